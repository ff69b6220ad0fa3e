package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counting fast path: a table that validates and stores nothing, and counts rows and bytes. */
class CountingTableTest {
    private static final String COUNTING = "{\"counting\":true,\"columns\":["
            + "{\"name\":\"id\",\"type\":\"BIGINT\",\"nullable\":false},{\"name\":\"payload\",\"type\":\"VARCHAR(4)\"}]}";

    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
        assertEquals(200, RawHttp.put(e.feUrl() + "/_emulator/tables/demo/sink").body(COUNTING).go().status());
    }

    @AfterEach
    void stop() {
        e.close();
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void csvRowsAndBytesAreCountedWithoutChecks() {
        String body = "1,a\n2,far too long for the column\nnot even,a,row\n";
        JsonNode reply = Fixtures.loadCsv(e, "sink", body);

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(3, reply.get("NumberLoadedRows").asLong());
        assertEquals(3, e.rowCount(DB, "sink"));
        assertEquals(bytes(body), e.loadedBytes(DB, "sink"));
        assertEquals(0, e.rows(DB, "sink").size(), "nothing is stored");
    }

    @Test
    void csvWithoutTrailingDelimiterAndCustomDelimiter() {
        Fixtures.loadCsv(e, "sink", "1,a\n2,b");
        Fixtures.loadCsv(e, "sink", "3,c|4,d|", "row_delimiter", "|");
        assertEquals(4, e.rowCount(DB, "sink"));
    }

    @Test
    void jsonLinesCountObjectsNotNestedOnesNorBracesInStrings() {
        String body = "{\"id\":1,\"payload\":{\"nested\":{}}}\n{\"id\":2,\"payload\":\"} { [\"}\n";
        JsonNode reply = Fixtures.load(e, "sink", body, "format", "json");

        assertEquals(2, reply.get("NumberLoadedRows").asLong(), reply::toString);
        assertEquals(2, e.rowCount(DB, "sink"));
        assertEquals(bytes(body), e.loadedBytes(DB, "sink"));
    }

    @Test
    void jsonArrayWithStripOuterArrayCountsElements() {
        String body = "[{\"id\":1,\"payload\":[{\"x\":1}]},{\"id\":2},{\"id\":3,\"payload\":\"\\\"}\"}]";
        JsonNode reply = Fixtures.load(e, "sink", body, "format", "json", "strip_outer_array", "true");

        assertEquals(3, reply.get("NumberLoadedRows").asLong(), reply::toString);
        assertEquals(3, e.rowCount(DB, "sink"));
    }

    @Test
    void countsAddUpOverLoadsAndTransactions() {
        Fixtures.loadCsv(e, "sink", "1,a\n2,b\n");
        RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "c-tx", "db", DB, "table", "sink").go();
        RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "c-tx", "db", DB, "table", "sink").body("3,c\n4,d\n5,e\n").go();
        assertEquals(2, e.rowCount(DB, "sink"), "not counted before commit");
        JsonNode commit = RawHttp.post(e.feUrl() + "/api/transaction/commit").auth(USER, PASSWORD)
                .headers("label", "c-tx", "db", DB, "table", "sink").go().json();

        assertEquals("OK", commit.get("Status").asText(), commit::toString);
        assertEquals(5, e.rowCount(DB, "sink"));
        assertEquals(bytes("1,a\n2,b\n") + bytes("3,c\n4,d\n5,e\n"), e.loadedBytes(DB, "sink"));
        JsonNode count = RawHttp.get(e.feUrl() + "/_emulator/tables/demo/sink/count").go().json();
        assertEquals(5, count.get("rows").asLong());
    }
}
