package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Each committed load adds a version to the table's tablet; past the limit a load is refused with
 * the server's own words, and compaction lets loads in again.
 */
class TabletVersionsTest {

    @Test
    void theServersShipTheirOwnLimits() {
        try (StreamLoadEmulator starRocks = Fixtures.start(Dialect.STARROCKS);
             StreamLoadEmulator doris = Fixtures.start(Dialect.DORIS)) {
            assertEquals(1000, starRocks.maxTabletVersions(), "StarRocks tablet_max_versions");
            assertEquals(2000, doris.maxTabletVersions(), "Doris max_tablet_version_num");
        }
    }

    @Test
    void starRocksRefusesALoadOnceTheTabletHoldsMoreVersionsThanTheLimit() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxTabletVersions(3)
                .compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals(1, e.tabletVersions(DB, "t"), "a new tablet holds the version its creation wrote");
            for (int i = 1; i <= 3; i++) {
                assertEquals("Success", Fixtures.load(e, "t", i + "\ta\t1\n", "label", "ok" + i).get("Status").asText());
            }
            assertEquals(4, e.tabletVersions(DB, "t"), "3 loads on top of the first version: one over the limit");

            JsonNode refused = Fixtures.load(e, "t", "9\tz\t9\n", "label", "refused");

            assertEquals("Fail", refused.get("Status").asText());
            assertTrue(refused.get("Message").asText().matches("Failed to load data into tablet \\d+, because of too many "
                    + "versions, current/limit: 4/3\\. You can reduce the loading job concurrency, or increase loading "
                    + "data batch size\\. If you are loading data with Routine Load, you can increase FE configs "
                    + "routine_load_task_consume_second and max_routine_load_batch_size,"), refused::toString);
            assertEquals(3, e.rowCount(DB, "t"), "nothing of the refused load is written");
            assertEquals("ABORTED", e.labelState(DB, "refused"), "its label stays free for a retry");
            assertEquals(4, e.tabletVersions(DB, "t"), "a refused load adds no version");
            assertEquals(4, e.peakTabletVersions(DB, "t"));
            assertEquals(1, e.refusedForVersions(DB, "t"), "the refusal is counted");
            assertEquals(1, e.refusedForVersions());
        }
    }

    @Test
    void dorisNamesItsCodeAndTheLimitSetting() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.DORIS).maxTabletVersions(1)
                .compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n", "label", "a").get("Status").asText());

            JsonNode refused = Fixtures.load(e, "t", "2\tb\t2\n", "label", "b");

            assertEquals("Fail", refused.get("Status").asText());
            assertTrue(refused.get("Message").asText().matches("\\[TOO_MANY_VERSION]failed to init rowset builder\\. "
                    + "version count: 2, exceed limit: 1, tablet: \\d+\\. Please reduce the frequency of loading data "
                    + "or adjust the max_tablet_version_num or time_series_max_tablet_version_num in be\\.conf to a "
                    + "larger value\\."), refused::toString);
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void compactionLetsTheSameLabelLoadAgain() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxTabletVersions(2)
                .compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "a");
            Fixtures.load(e, "t", "2\tb\t2\n", "label", "b");
            assertEquals("Fail", Fixtures.load(e, "t", "3\tc\t3\n", "label", "c").get("Status").asText());

            e.versionSettings(-1, 1000);
            Await.until("compaction merged the tablet down to one version", () -> e.tabletVersions(DB, "t") == 1);

            assertEquals("Success", Fixtures.load(e, "t", "3\tc\t3\n", "label", "c").get("Status").asText());
            assertEquals(3, e.rowCount(DB, "t"));
            assertEquals(3, e.peakTabletVersions(DB, "t"), "the peak stays");
        }
    }

    @Test
    void compactionServesTheFullestTabletFirst() {
        TabletVersions versions = new TabletVersions(1000, 10);
        for (int i = 0; i < 20; i++) {
            versions.added(DB, "hot");
        }
        versions.added(DB, "cold");
        long start = System.nanoTime();
        versions.compact(start);
        versions.compact(start + 1_000_000_000L);

        assertEquals(11, versions.versions(DB, "hot"), "ten merged away, all from the fullest tablet");
        assertEquals(2, versions.versions(DB, "cold"));
        assertEquals(21, versions.peak());
    }

    @Test
    void theAdminApiReportsVersionsAndChangesTheLimitAndRate() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "a");

            RawHttp.Response changed = RawHttp.put(e.feUrl() + "/_emulator/versions")
                    .body("{\"maxTabletVersions\": 1, \"compactionVersionsPerSecond\": 0}").go();
            assertEquals(200, changed.status(), changed::toString);
            assertEquals("Fail", Fixtures.load(e, "t", "2\tb\t2\n", "label", "b").get("Status").asText());

            JsonNode report = RawHttp.get(e.feUrl() + "/_emulator/versions").go().json();
            assertEquals(1, report.get("maxTabletVersions").asInt());
            assertEquals(0.0, report.get("compactionVersionsPerSecond").asDouble());
            assertEquals(2, report.get("peak").asInt());
            assertEquals(1, report.get("refused").asLong());
            JsonNode table = report.get("tables").get(0);
            assertEquals("t", table.get("table").asText());
            assertEquals(2, table.get("versions").asInt());
            assertEquals(2, table.get("peak").asInt());
            assertEquals(1, table.get("refused").asLong(), "the load of label b");

            RawHttp.Response bad = RawHttp.put(e.feUrl() + "/_emulator/versions").body("{\"maxTabletVersions\": 0}").go();
            assertEquals(400, bad.status());
            assertTrue(bad.json().get("Message").asText().contains("maxTabletVersions"), bad::toString);
            RawHttp.Response unknown = RawHttp.put(e.feUrl() + "/_emulator/versions").body("{\"limit\": 5}").go();
            assertEquals(400, unknown.status());
            assertTrue(unknown.json().get("Message").asText().contains("'limit'"), unknown::toString);
        }
    }
}
