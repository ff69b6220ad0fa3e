package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code where} header: rows it does not select are neither loaded nor filtered, they count in
 * NumberUnselectedRows; it names the table's columns, after the {@code columns} mapping.
 */
class WhereHeaderTest {
    /** id BIGINT NOT NULL, name VARCHAR(32), score INT; row 3 has no score, row 4 no name. */
    private static final String ROWS = "1,a,1\n2,b,5\n3,c,\\N\n4,\\N,10\n5,e,5\n";

    private StreamLoadEmulator e;
    private int tables;

    private void start(Dialect dialect) {
        e = Fixtures.start(dialect);
    }

    @AfterEach
    void stop() {
        if (e != null) {
            e.close();
        }
    }

    private String freshTable() {
        String name = "t" + (++tables);
        e.createTable(Fixtures.duplicate(name));
        return name;
    }

    private List<Long> ids(String table) {
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, table)) {
            out.add(((Number) r.get("id")).longValue());
        }
        return out;
    }

    /** The ids ROWS leaves in a new table under {@code where}; asserts the counters of the answer. */
    private List<Long> selected(String where) {
        String table = freshTable();
        JsonNode reply = Fixtures.loadCsv(e, table, ROWS, "where", where);
        assertEquals("Success", reply.get("Status").asText(), () -> where + ": " + reply);
        List<Long> ids = ids(table);
        assertEquals(5, reply.get("NumberTotalRows").asLong(), where);
        assertEquals(ids.size(), reply.get("NumberLoadedRows").asLong(), where);
        assertEquals(0, reply.get("NumberFilteredRows").asLong(), where);
        assertEquals(5 - ids.size(), reply.get("NumberUnselectedRows").asLong(), where);
        assertNull(reply.get("ErrorURL"), where);
        return ids;
    }

    @Test
    void comparisonsWithNumbers() {
        start(Dialect.STARROCKS);
        assertEquals(List.of(2L, 5L), selected("score = 5"));
        assertEquals(List.of(1L, 4L), selected("score != 5"));
        assertEquals(List.of(1L, 4L), selected("score <> 5"));
        assertEquals(List.of(1L), selected("score < 5"));
        assertEquals(List.of(1L, 2L, 5L), selected("score <= 5"));
        assertEquals(List.of(4L), selected("score > 5"));
        assertEquals(List.of(2L, 4L, 5L), selected("score >= 5"));
        assertEquals(List.of(4L), selected("5 < score"));
        assertEquals(List.of(1L, 2L, 5L), selected("score <= 5.5"));
    }

    @Test
    void comparisonsWithStringsAndQuotedNames() {
        start(Dialect.STARROCKS);
        assertEquals(List.of(2L), selected("name = 'b'"));
        assertEquals(List.of(3L), selected("`name` = \"c\""));
        assertEquals(List.of(3L, 5L), selected("name > 'b'"));
        assertEquals(List.of(1L), selected("id = '1'"));
    }

    @Test
    void inNotInAndNullTests() {
        start(Dialect.STARROCKS);
        assertEquals(List.of(1L, 5L), selected("name IN ('a', 'e')"));
        assertEquals(List.of(2L, 5L), selected("score in (5)"));
        assertEquals(List.of(4L, 5L), selected("id NOT IN (1, 2, 3)"));
        assertEquals(List.of(), selected("score NOT IN (5, NULL)"));
        assertEquals(List.of(3L), selected("score IS NULL"));
        assertEquals(List.of(1L, 2L, 3L, 5L), selected("name is not null"));
        assertEquals(List.of(), selected("score = NULL"));
    }

    @Test
    void andOrNotAndParentheses() {
        start(Dialect.STARROCKS);
        assertEquals(List.of(2L), selected("score > 1 AND name <> 'e'"), "row 4 has no name: NULL <> 'e' is NULL");
        assertEquals(List.of(1L, 4L), selected("score = 1 OR name IS NULL"));
        assertEquals(List.of(1L, 4L), selected("NOT (score = 5)"));
        assertEquals(List.of(1L), selected("(id = 1 OR id = 2) AND NOT score > 1"));
        assertEquals(List.of(2L, 3L, 4L), selected("id BETWEEN 2 AND 4"));
        assertEquals(List.of(3L), selected("score IS NULL OR score > 5 AND name IS NOT NULL"),
                "AND binds tighter than OR");
    }

    @Test
    void jsonRowsAreSelectedToo() {
        start(Dialect.STARROCKS);
        String table = freshTable();
        JsonNode reply = Fixtures.load(e, table, "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}",
                "format", "json", "where", "name = 'b'");
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(1, reply.get("NumberUnselectedRows").asLong());
        assertEquals(List.of(2L), ids(table));
    }

    @Test
    void whereNamesTheTableColumnsAfterTheColumnsMapping() {
        start(Dialect.STARROCKS);
        String table = freshTable();
        JsonNode mapped = Fixtures.loadCsv(e, table, "1,a\n2,b\n", "columns", "src_id,src_name,id=src_id,name=src_name",
                "where", "name = 'b'");
        assertEquals("Success", mapped.get("Status").asText(), mapped::toString);
        assertEquals(List.of(2L), ids(table));

        JsonNode source = Fixtures.loadCsv(e, table, "3,c\n", "columns", "src_id,src_name,id=src_id,name=src_name",
                "where", "src_name = 'c'");
        assertEquals("Fail", source.get("Status").asText(), source::toString);
        assertEquals("unknown column in where statement. the column 'src_name' in where clause must be in the target table.",
                source.get("Message").asText());
        assertEquals(List.of(2L), ids(table));
    }

    @Test
    void anUnknownColumnIsRefused() {
        start(Dialect.STARROCKS);
        String table = freshTable();
        JsonNode reply = Fixtures.loadCsv(e, table, "1,a,1\n", "where", "nope = 1 AND id > 0");
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals("unknown column in where statement. the column 'nope' in where clause must be in the target table.",
                reply.get("Message").asText());
        assertEquals(0, e.rowCount(DB, table));
    }

    @Test
    void aWhereThatDoesNotParseIsRefused() {
        start(Dialect.STARROCKS);
        String table = freshTable();
        for (String bad : List.of("score >", "score = = 1", "(id = 1", "id IN ()", "name = 'open", "id = 1 id = 2")) {
            JsonNode reply = Fixtures.loadCsv(e, table, "1,a,1\n", "where", bad);
            assertEquals("Fail", reply.get("Status").asText(), () -> bad + ": " + reply);
            assertTrue(reply.get("Message").asText().startsWith("Getting syntax error at line 1, column "),
                    () -> bad + ": " + reply);
        }
        JsonNode reply = Fixtures.loadCsv(e, table, "1,a,1\n", "where", "id = 1 id = 2");
        assertEquals("Getting syntax error at line 1, column 7. Detail message: Unexpected input 'id', "
                + "the most similar input is {<EOF>}.", reply.get("Message").asText());
        assertEquals(0, e.rowCount(DB, table));
    }

    @Test
    void anUnselectedRowIsNotCheckedAgainstTheTable() {
        // The NOT NULL check belongs to the table sink, which only sees the selected rows.
        start(Dialect.STARROCKS);
        String table = freshTable();
        JsonNode reply = Fixtures.loadCsv(e, table, "\\N,a,1\n2,b,9\n", "where", "score > 5");
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(1, reply.get("NumberUnselectedRows").asLong());
        assertEquals(0, reply.get("NumberFilteredRows").asLong());
        assertNull(reply.get("ErrorURL"));
        assertEquals(List.of(2L), ids(table));
    }

    @Test
    void maxFilterRatioIsTakenOfTheSelectedRows() {
        start(Dialect.STARROCKS);
        String table = freshTable();
        // 4 rows, 2 unselected, 1 of the 2 selected filtered: 1/2 is over 0.4, though 1/4 is not.
        JsonNode reply = Fixtures.loadCsv(e, table, "1,a,1\n2,b,2\nx,c,9\n4,d,9\n", "where", "score > 5",
                "strict_mode", "true", "max_filter_ratio", "0.4");
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals("too many filtered rows", reply.get("Message").asText());
        assertEquals(2, reply.get("NumberUnselectedRows").asLong());
        assertEquals(1, reply.get("NumberFilteredRows").asLong());
        assertNotNull(reply.get("ErrorURL"));
        assertEquals(0, e.rowCount(DB, table));
    }

    @Test
    void dorisSelectsAndRefusesInItsOwnWords() {
        start(Dialect.DORIS);
        assertEquals(List.of(2L, 5L), selected("score = 5 and name is not null"));

        String table = freshTable();
        JsonNode unknown = Fixtures.loadCsv(e, table, "1,a,1\n", "where", "nope = 1");
        assertEquals("Fail", unknown.get("Status").asText(), unknown::toString);
        assertEquals("[ANALYSIS_ERROR]TStatus: errCode = 2, detailMessage = unknown column in where statement, "
                + "column=nope. the column 'nope' in where clause must be in the target table.",
                unknown.get("Message").asText());

        JsonNode syntax = Fixtures.loadCsv(e, table, "1,a,1\n", "where", "score >");
        assertEquals("Fail", syntax.get("Status").asText(), syntax::toString);
        assertTrue(syntax.get("Message").asText().startsWith(
                "[ANALYSIS_ERROR]TStatus: errCode = 2, detailMessage = Syntax error in line 1:"), syntax::toString);
    }
}
