package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flag headers as each target reads them: some refuse a value that is not {@code true} or
 * {@code false} (any case), the others take anything but {@code true} as false; and each target
 * reads only its own names.
 */
class BooleanHeadersTest {
    private StreamLoadEmulator e;

    private void start(Dialect dialect) {
        e = Fixtures.start(dialect);
        e.createTable(Fixtures.duplicate("dup"));
        e.createTable(Fixtures.primary("pk"));
    }

    @AfterEach
    void stop() {
        if (e != null) {
            e.close();
        }
    }

    private List<List<Object>> rows(String table) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, table)) {
            out.add(Arrays.asList(r.get("id"), r.get("name"), r.get("score")));
        }
        return out;
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    private static void assertFail(JsonNode reply, String message) {
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(message, reply.get("Message").asText());
    }

    private static void assertSuccess(JsonNode reply) {
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
    }

    @Test
    void starRocksRefusesAStrictModeThatIsNotABoolean() {
        start(Dialect.STARROCKS);
        for (String v : List.of("yes", "1", "on")) {
            assertFail(Fixtures.loadCsv(e, "dup", "1,a,1\n", "strict_mode", v),
                    "Invalid strict mode format. Must be bool type");
        }
        assertEquals(0, e.rowCount(DB, "dup"));
        JsonNode strict = Fixtures.loadCsv(e, "dup", "x,a,1\n", "strict_mode", "TRUE");
        assertFail(strict, "too many filtered rows");
        assertSuccess(Fixtures.loadCsv(e, "dup", "1,a,1\n", "strict_mode", "False"));
    }

    @Test
    void starRocksRefusesAPartialUpdateThatIsNotABoolean() {
        start(Dialect.STARROCKS);
        assertFail(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_update", "1"),
                "Invalid partial update flag format. Must be bool type");
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_update", "TRUE"));
        assertEquals(List.of(row(1L, "a", 100L)), rows("pk"));
    }

    @Test
    void starRocksTakesAStripOuterArrayThatIsNotTrueAsFalse() {
        start(Dialect.STARROCKS);
        JsonNode reply = Fixtures.load(e, "dup", "[{\"id\":1}]", "format", "json", "strip_outer_array", "yes");
        assertFail(reply, "too many filtered rows");
        assertSuccess(Fixtures.load(e, "dup", "[{\"id\":1}]", "format", "json", "strip_outer_array", "True"));
        assertEquals(1, e.rowCount(DB, "dup"));
    }

    @Test
    void starRocksDoesNotReadDorisPartialColumns() {
        start(Dialect.STARROCKS);
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_columns", "true"));
        assertEquals(List.of(row(1L, null, 100L)), rows("pk"), "a whole-row upsert, not a partial update");
    }

    @Test
    void dorisRefusesAStrictModeThatIsNotABoolean() {
        start(Dialect.DORIS);
        assertFail(Fixtures.loadCsv(e, "dup", "1,a,1\n", "strict_mode", "yes"),
                "[INVALID_ARGUMENT]Invalid strict mode format. Must be bool type");
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void dorisTakesTwoPhaseCommitOnlyAsTheExactWordTrue() {
        start(Dialect.DORIS);
        JsonNode upper = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "upper", "two_phase_commit", "TRUE");
        assertSuccess(upper);
        assertEquals("false", upper.get("TwoPhaseCommit").asText());
        assertEquals("VISIBLE", Fixtures.loadState(e, "upper").get("data").asText());

        JsonNode yes = Fixtures.loadCsv(e, "dup", "2,b,2\n", "label", "yes", "two_phase_commit", "yes");
        assertSuccess(yes);
        assertEquals("VISIBLE", Fixtures.loadState(e, "yes").get("data").asText());
        assertEquals(2, e.rowCount(DB, "dup"));
    }

    @Test
    void dorisTakesAPartialColumnsThatIsNotTrueAsFalse() {
        start(Dialect.DORIS);
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n2,b,2\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_columns", "yes"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "2,200\n", "columns", "id,score", "partial_columns", "True"));
        assertEquals(List.of(row(1L, null, 100L), row(2L, "b", 200L)), rows("pk"));
    }

    @Test
    void dorisDoesNotReadStarRocksPartialUpdate() {
        start(Dialect.DORIS);
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_update", "true"));
        assertEquals(List.of(row(1L, null, 100L)), rows("pk"), "a whole-row upsert, not a partial update");
    }

    @Test
    void dorisTakesAReadJsonByLineThatIsNotTrueAsFalse() {
        start(Dialect.DORIS);
        // Read as one document stream, not line by line: an object spread over lines still loads.
        JsonNode reply = Fixtures.load(e, "dup", "{\"id\":1,\n\"name\":\"a\"}", "format", "json",
                "read_json_by_line", "yes");
        assertSuccess(reply);
        assertEquals(1, e.rowCount(DB, "dup"));
    }
}
