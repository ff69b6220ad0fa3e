package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rejected rows, the ErrorURL log on the BE, max_filter_ratio, and all-or-nothing loads. */
class ErrorUrlTest {

    @Test
    void withinTheRatioSucceedsWithFilteredRowsAndAStarRocksErrorLog() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.loadCsv(e, "t", "1,a,1\n\\N,b,2\n3,c\n4,d,4\n", "max_filter_ratio", "0.5");

            assertEquals("Success", reply.get("Status").asText(), reply::toString);
            assertEquals(4, reply.get("NumberTotalRows").asLong());
            assertEquals(2, reply.get("NumberLoadedRows").asLong());
            assertEquals(2, reply.get("NumberFilteredRows").asLong());
            String url = reply.get("ErrorURL").asText();
            assertTrue(url.startsWith(e.beUrl(0) + "/api/_load_error_log?file=error_log_"), url);
            assertEquals("Error: NULL value in non-nullable column 'id'. Row: [NULL, 'b', '2']\n"
                    + "Error: Target column count: 3 doesn't match source value column count: 2. Column separator: ',', "
                    + "Row delimiter: '\\n'. Row: 3,c\n", Fixtures.errorLog(url));
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }

    @Test
    void overTheRatioFailsWithTooManyFilteredRowsAndWritesNothing() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.loadCsv(e, "t", "1,a,1\n2,b,x\n3,c,3\n", "strict_mode", "true",
                    "label", "over1");

            assertEquals("Fail", reply.get("Status").asText());
            assertEquals("too many filtered rows", reply.get("Message").asText());
            assertEquals(1, reply.get("NumberFilteredRows").asLong());
            assertEquals("Error: Value 'x' is out of range. The type of 'score' is INT. Row: ['2', 'b', 'x']\n",
                    Fixtures.errorLog(reply.get("ErrorURL").asText()));
            assertEquals(0, e.rowCount(DB, "t"), "a failed load writes nothing, not even its good rows");
            assertEquals("ABORTED", e.labelState(DB, "over1"));
        }
    }

    @Test
    void aLoadIsAllOrNothingAcrossFailures() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.primary("pk"));
            Fixtures.loadCsv(e, "pk", "1,a,1\n2,b,2\n");
            List<Map<String, Object>> before = e.rows(DB, "pk");

            // Upserts and a delete, then one bad row: none of it may apply.
            JsonNode reply = Fixtures.loadCsv(e, "pk", "1,A,10,0\n2,,,1\n3,c,3,0\n4,d,bad,0\n",
                    "columns", "id,name,score,__op", "strict_mode", "true");

            assertEquals("Fail", reply.get("Status").asText());
            assertEquals(before, e.rows(DB, "pk"));
        }
    }

    @Test
    void csvErrorLogKeepsAtMostFiftyLinesButCountsEveryRow() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                body.append("\\N,n").append(i).append(",1\n");
            }
            JsonNode reply = Fixtures.loadCsv(e, "t", body.toString(), "max_filter_ratio", "1");

            assertEquals(60, reply.get("NumberFilteredRows").asLong());
            assertEquals(50, Fixtures.errorLog(reply.get("ErrorURL").asText()).lines().count());
        }
    }

    @Test
    void starRocksErrorLogKeepsFiftyOneJsonRowsAndCountsEveryRow() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", nullIds(60), "format", "json", "strip_outer_array", "true");

            assertEquals("too many filtered rows", reply.get("Message").asText());
            assertEquals(60, reply.get("NumberFilteredRows").asLong());
            List<String> lines = Fixtures.errorLog(reply.get("ErrorURL").asText()).lines().toList();
            assertEquals(51, lines.size());
            assertEquals("Error: NULL value in non-nullable column 'id'. Row: {\"id\":null,\"name\":\"n50\"}",
                    lines.get(50), "the first rows, in order, with no line marking the cut");
        }
    }

    @Test
    void dorisErrorLogKeepsFiftyRowsThenSaysItStopped() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", nullIds(60), "format", "json", "strip_outer_array", "true");

            assertEquals(60, reply.get("NumberFilteredRows").asLong());
            List<String> lines = Fixtures.errorLog(reply.get("ErrorURL").asText()).lines().toList();
            assertEquals(51, lines.size());
            assertTrue(lines.get(49).startsWith("Reason: NULL value in non-nullable column 'id'. src line [{"),
                    lines.get(49));
            assertEquals("TOO MUCH ERROR! already reach 50. show no more next error.", lines.get(50));
        }
    }

    private static String nullIds(int rows) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":null,\"name\":\"n").append(i).append("\"}");
        }
        return body.append(']').toString();
    }

    @Test
    void jsonErrorLogShowsTheObject() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "[{\"id\":null,\"name\":\"a\"},{\"id\":2}]", "format", "json",
                    "strip_outer_array", "true", "max_filter_ratio", "0.5");

            assertEquals("Success", reply.get("Status").asText());
            assertEquals("Error: NULL value in non-nullable column 'id'. Row: {\"id\":null,\"name\":\"a\"}\n",
                    Fixtures.errorLog(reply.get("ErrorURL").asText()));
        }
    }

    @Test
    void dorisErrorLogLinesUseReasonAndSrcLine() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.loadCsv(e, "t", "1,a,1\n\\N,b,2\n", "max_filter_ratio", "0.5");

            assertEquals("Success", reply.get("Status").asText());
            assertEquals(1, reply.get("NumberFilteredRows").asLong());
            assertEquals("Reason: NULL value in non-nullable column 'id'. src line [[NULL, 'b', '2']]; \n",
                    Fixtures.errorLog(reply.get("ErrorURL").asText()));
        }
    }

    @Test
    void noFilteredRowsNoErrorUrl() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            assertNull(Fixtures.loadCsv(e, "t", "1,a,1\n").get("ErrorURL"));
        }
    }

    @Test
    void unknownErrorLogIs404() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            assertEquals(404, RawHttp.get(e.beUrl(0) + "/api/_load_error_log?file=error_log_nope").send().status());
        }
    }
}
