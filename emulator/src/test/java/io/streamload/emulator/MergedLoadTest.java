package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Loads the server merges: StarRocks merge commit and Doris group commit. Concurrent loads of a
 * table within one window share one transaction and one new version; the answers name that
 * transaction and the server's label; the servers' refusals come back in their words.
 */
class MergedLoadTest {

    private static final String[] STARROCKS_MERGE = {"enable_merge_commit", "true", "merge_commit_interval_ms", "400",
            "merge_commit_parallel", "2"};
    private static final String[] DORIS_GROUP_COMMIT = {"group_commit", "sync_mode"};

    /** Sends {@code n} loads at once, each one row, and returns their answers. */
    private static List<JsonNode> concurrentLoads(StreamLoadEmulator e, int n, String... headers) throws Exception {
        List<CompletableFuture<JsonNode>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String row = i + "\tname" + i + "\t" + i + "\n";
            sent.add(CompletableFuture.supplyAsync(() -> Fixtures.load(e, "t", row, headers)));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (CompletableFuture<JsonNode> f : sent) {
            answers.add(f.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    @Test
    void starRocksMergesConcurrentLoadsIntoOneTransactionAndVersion() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).backends(3).start()) {
            e.createTable(Fixtures.duplicate("t"));
            List<JsonNode> answers = concurrentLoads(e, 8, STARROCKS_MERGE);

            Set<Long> txnIds = new HashSet<>();
            for (JsonNode a : answers) {
                assertEquals("Success", a.get("Status").asText(), a::toString);
                assertTrue(a.get("Label").asText().startsWith("merge_commit_"), a::toString);
                assertTrue(a.has("RequestId"), a::toString);
                assertFalse(a.has("NumberLoadedRows"), "merge commit answers carry no row counts: " + a);
                txnIds.add(a.get("TxnId").asLong());
            }
            assertEquals(8, e.rowCount(DB, "t"));
            assertEquals(txnIds.size(), e.transactions(DB, "t"), "one transaction per window");
            assertTrue(e.transactions(DB, "t") < 8, "8 concurrent loads within 400 ms merged into fewer transactions, got "
                    + e.transactions(DB, "t"));
            assertEquals(8, e.loadRequests(DB, "t"));
        }
    }

    @Test
    void aMergedTransactionAddsOneTabletVersionHoweverManyLoadsItHolds() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            concurrentLoads(e, 8, STARROCKS_MERGE);

            long transactions = e.transactions(DB, "t");
            assertTrue(transactions < 8, "the loads merged, got " + transactions + " transactions");
            assertEquals(1 + transactions, e.tabletVersions(DB, "t"),
                    "the creation's version and one per merged transaction, not one per load");
        }
    }

    @Test
    void starRocksRefusesAMergedLoadIntoATabletWithTooManyVersions() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxTabletVersions(2)
                .compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", STARROCKS_MERGE);
            Fixtures.load(e, "t", "2\tb\t2\n", STARROCKS_MERGE);
            JsonNode refused = Fixtures.load(e, "t", "3\tc\t3\n", STARROCKS_MERGE);

            assertEquals("Fail", refused.get("Status").asText(), refused::toString);
            assertTrue(refused.get("Message").asText().startsWith("Load is aborted, reason: Failed to load data into "
                    + "tablet "), refused::toString);
            assertTrue(refused.get("Message").asText().contains("because of too many versions, current/limit: 3/2"),
                    refused::toString);
            assertEquals(2, e.rowCount(DB, "t"), "nothing of the refused window is written");
            assertEquals(3, e.tabletVersions(DB, "t"), "a refused window adds no version");
            assertEquals(1, e.refusedForVersions(DB, "t"));
        }
    }

    @Test
    void dorisRefusesAGroupCommitLoadIntoATabletWithTooManyVersionsAsAnyLoad() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.DORIS).groupCommitInterval(Duration.ofMillis(100))
                .maxTabletVersions(1).compactionVersionsPerSecond(0).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", DORIS_GROUP_COMMIT);
            JsonNode refused = Fixtures.load(e, "t", "2\tb\t2\n", DORIS_GROUP_COMMIT);

            assertEquals("Fail", refused.get("Status").asText(), refused::toString);
            assertTrue(refused.get("Message").asText().startsWith("[TOO_MANY_VERSION]failed to init rowset builder. "
                    + "version count: 2, exceed limit: 1"), refused::toString);
            assertEquals(1, e.rowCount(DB, "t"));
            assertEquals(1, e.refusedForVersions(DB, "t"));
        }
    }

    @Test
    void starRocksKeepsTheClientsLabelOnlyAsTheRequestIdSoASecondLoadUnderItLoadsAgain() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode first = Fixtures.load(e, "t", "1\ta\t1\n", withLabel(STARROCKS_MERGE, "mine"));
            JsonNode second = Fixtures.load(e, "t", "1\ta\t1\n", withLabel(STARROCKS_MERGE, "mine"));

            assertEquals("mine", first.get("RequestId").asText());
            assertEquals("Success", second.get("Status").asText(), "the label is not checked: " + second);
            assertNotEquals(first.get("Label").asText(), second.get("Label").asText());
            assertEquals(2, e.rowCount(DB, "t"), "the same rows twice: a merged load is not deduplicated by label");
            assertEquals("UNKNOWN", e.labelState(DB, "mine"));
        }
    }

    @Test
    void starRocksAbortsTheWholeWindowWhenOneLoadIsOverTheFilterRatio() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            CompletableFuture<JsonNode> good = CompletableFuture.supplyAsync(() ->
                    Fixtures.load(e, "t", "1\ta\t1\n", STARROCKS_MERGE));
            CompletableFuture<JsonNode> bad = CompletableFuture.supplyAsync(() ->
                    Fixtures.load(e, "t", "not-a-number\tb\t2\n", STARROCKS_MERGE));
            JsonNode goodAnswer = good.get(30, TimeUnit.SECONDS);
            JsonNode badAnswer = bad.get(30, TimeUnit.SECONDS);

            assertEquals("Fail", badAnswer.get("Status").asText(), badAnswer::toString);
            assertEquals("Load is aborted, reason: too many filtered rows", badAnswer.get("Message").asText());
            assertEquals(badAnswer.get("TxnId").asLong(), goodAnswer.get("TxnId").asLong(),
                    "both sent at once, within one 400 ms window");
            assertEquals("Fail", goodAnswer.get("Status").asText(), "a good load in the aborted window fails too");
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals(0, e.transactions(DB, "t"));
        }
    }

    @Test
    void starRocksRefusesAMergeWithoutItsWindow() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode a = Fixtures.load(e, "t", "1\ta\t1\n", "enable_merge_commit", "true");
            assertEquals("Fail", a.get("Status").asText());
            assertEquals("Batch write interval must be set positive, but is null", a.get("Message").asText());

            JsonNode b = Fixtures.load(e, "t", "1\ta\t1\n", "enable_merge_commit", "yes");
            assertEquals("Invalid parameter enable_merge_commit. The value must be bool type, but is yes",
                    b.get("Message").asText());
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    @Test
    void anOlderServerIgnoresTheMergeHeadersAndLoadsPlainly() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).mergesLoads(false).start()) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode a = Fixtures.load(e, "t", "1\ta\t1\n", withLabel(STARROCKS_MERGE, "plain1"));
            assertEquals("Success", a.get("Status").asText());
            assertEquals("plain1", a.get("Label").asText());
            assertEquals(1, a.get("NumberLoadedRows").asLong());
            assertFalse(a.has("RequestId"));
        }
    }

    @Test
    void dorisGroupCommitMergesConcurrentLoadsAndNamesItsOwnLabel() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.DORIS).groupCommitInterval(Duration.ofMillis(400)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            List<JsonNode> answers = concurrentLoads(e, 8, DORIS_GROUP_COMMIT);

            Set<Long> txnIds = new HashSet<>();
            for (JsonNode a : answers) {
                assertEquals("Success", a.get("Status").asText(), a::toString);
                assertTrue(a.get("GroupCommit").asBoolean(), a::toString);
                assertTrue(a.get("Label").asText().matches("group_commit_[0-9a-f]{16}_[0-9a-f]{16}"), a::toString);
                assertEquals(1, a.get("NumberLoadedRows").asLong());
                txnIds.add(a.get("TxnId").asLong());
            }
            assertEquals(8, e.rowCount(DB, "t"));
            assertEquals(txnIds.size(), e.transactions(DB, "t"));
            assertTrue(e.transactions(DB, "t") < 8, "got " + e.transactions(DB, "t") + " transactions");
        }
    }

    @Test
    void dorisRefusesALabelWithGroupCommitAndAnUnknownMode() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.DORIS).groupCommitInterval(Duration.ofMillis(100)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode labelled = Fixtures.load(e, "t", "1\ta\t1\n", "group_commit", "sync_mode", "label", "mine");
            assertEquals("Fail", labelled.get("Status").asText());
            assertEquals("[INVALID_ARGUMENT]label and group_commit can't be set at the same time",
                    labelled.get("Message").asText());

            JsonNode unknown = Fixtures.load(e, "t", "1\ta\t1\n", "group_commit", "fast");
            assertEquals("[INVALID_ARGUMENT]group_commit can only be [async_mode, sync_mode, off_mode]",
                    unknown.get("Message").asText());
            assertEquals(0, e.rowCount(DB, "t"));

            JsonNode off = Fixtures.load(e, "t", "1\ta\t1\n", "group_commit", "off_mode", "label", "mine");
            assertEquals("Success", off.get("Status").asText(), "off_mode is a plain load: " + off);
            assertEquals("mine", off.get("Label").asText());
        }
    }

    @Test
    void dorisRefusesOnlyTheLoadOverTheFilterRatioWithItsOwnErrorLog() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.DORIS).groupCommitInterval(Duration.ofMillis(100)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode bad = Fixtures.load(e, "t", "x\ta\t1\n", DORIS_GROUP_COMMIT);
            assertEquals("[DATA_QUALITY_ERROR]too many filtered rows", bad.get("Message").asText(), bad::toString);
            assertTrue(bad.hasNonNull("ErrorURL"), bad::toString);
            JsonNode good = Fixtures.load(e, "t", "1\ta\t1\n", DORIS_GROUP_COMMIT);
            assertEquals("Success", good.get("Status").asText());
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void adminApiCountsTransactionsAndLoadRequestsPerTable() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            concurrentLoads(e, 4, STARROCKS_MERGE);
            Fixtures.load(e, "t", "9\tz\t9\n");
            JsonNode counts = RawHttp.get(e.feUrl() + "/_emulator/tables/demo/t/count").go().json();
            assertEquals(5, counts.get("rows").asLong());
            assertEquals(5, counts.get("loadRequests").asLong());
            assertEquals(e.transactions(DB, "t"), counts.get("transactions").asLong());
            assertTrue(counts.get("transactions").asLong() < 5, counts::toString);
        }
    }

    private static String[] withLabel(String[] headers, String label) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "label";
        all[headers.length + 1] = label;
        return all;
    }
}
