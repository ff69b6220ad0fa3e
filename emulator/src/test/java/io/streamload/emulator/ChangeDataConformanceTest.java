package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How each target reads deletes from JSON rows, and the table metadata a client may ask the FE
 * for. StarRocks' load planner adds {@code __op} itself for JSON stream loads into primary key
 * tables when {@code columns} does not name it, so each object's {@code __op} is read; on other
 * tables the field is ignored. Doris reads its delete sign only when {@code hidden_columns} (or
 * {@code columns}) names it.
 */
class ChangeDataConformanceTest {

    private static List<Long> ids(StreamLoadEmulator e, String table) {
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, table)) {
            out.add(((Number) r.get("id")).longValue());
        }
        return out;
    }

    @Test
    void starRocksReadsOpFromJsonObjectsOfPrimaryKeyTables() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.primary("pk"));
            String body = "[{\"id\":1,\"name\":\"a\",\"__op\":0},{\"id\":2,\"name\":\"b\"},{\"id\":1,\"__op\":1},"
                    + "{\"id\":3,\"__op\":1},{\"id\":3,\"name\":\"c\",\"__op\":0}]";
            JsonNode reply = Fixtures.load(e, "pk", body, "format", "json", "strip_outer_array", "true");
            assertEquals("Success", reply.get("Status").asText(), reply::toString);
            assertEquals(List.of(2L, 3L), ids(e, "pk"), "1 upserted then deleted; 3 deleted then inserted");

            JsonNode listed = Fixtures.load(e, "pk", "[{\"id\":2,\"name\":\"b\",\"__op\":1}]", "format", "json",
                    "strip_outer_array", "true", "columns", "id,name");
            assertEquals("Success", listed.get("Status").asText(), listed::toString);
            assertEquals(List.of(3L), ids(e, "pk"), "__op is read when columns does not name it");
        }
    }

    @Test
    void starRocksIgnoresOpOnDuplicateKeyTables() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("dup"));
            JsonNode reply = Fixtures.load(e, "dup", "[{\"id\":1,\"name\":\"a\"},{\"id\":1,\"__op\":1}]",
                    "format", "json", "strip_outer_array", "true");
            assertEquals("Success", reply.get("Status").asText(), reply::toString);
            assertEquals(List.of(1L, 1L), ids(e, "dup"), "the delete became one more row");
        }
    }

    @Test
    void dorisReadsTheDeleteSignOnlyWhenHidden() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.primary("uniq"));
            Fixtures.load(e, "uniq", "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}", "format", "json",
                    "read_json_by_line", "true");
            JsonNode ignored = Fixtures.load(e, "uniq", "{\"id\":1,\"__DORIS_DELETE_SIGN__\":1}", "format", "json",
                    "read_json_by_line", "true");
            assertEquals("Success", ignored.get("Status").asText(), ignored::toString);
            assertEquals(List.of(1L, 2L), ids(e, "uniq"));

            JsonNode applied = Fixtures.load(e, "uniq", "{\"id\":1,\"__DORIS_DELETE_SIGN__\":1}", "format", "json",
                    "read_json_by_line", "true", "hidden_columns", "__DORIS_DELETE_SIGN__");
            assertEquals("Success", applied.get("Status").asText(), applied::toString);
            assertEquals(List.of(2L), ids(e, "uniq"));
        }
    }

    @Test
    void dorisSchemaTellsTheKeysType() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.primary("uniq"));
            e.createTable(Fixtures.duplicate("dup"));
            JsonNode uniq = get(e, "/api/" + DB + "/uniq/_schema").json();
            assertEquals("UNIQUE_KEYS", uniq.get("data").get("keysType").asText(), uniq::toString);
            assertEquals("id", uniq.get("data").get("properties").get(0).get("name").asText());
            assertEquals("DUP_KEYS", get(e, "/api/" + DB + "/dup/_schema").json().get("data").get("keysType").asText());
            assertEquals(404, get(e, "/api/_get_ddl?db=" + DB + "&tbl=dup").status(), "StarRocks only");
            assertEquals(401, RawHttp.get(e.feUrl() + "/api/" + DB + "/dup/_schema").go().status());
        }
    }

    @Test
    void starRocksSchemaHasNoKeysButTheDdlHas() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.primary("pk"));
            e.createTable(Fixtures.duplicate("dup"));
            JsonNode schema = get(e, "/api/" + DB + "/pk/_schema").json();
            assertEquals(200, schema.get("status").asInt());
            assertFalse(schema.has("keysType"), schema::toString);
            String pk = get(e, "/api/_get_ddl?db=" + DB + "&tbl=pk").json().get("TABLE").get(0).asText();
            assertTrue(pk.contains("PRIMARY KEY(`id`)"), pk);
            String dup = get(e, "/api/_get_ddl?db=" + DB + "&tbl=dup").json().get("TABLE").get(0).asText();
            assertTrue(dup.contains("DUPLICATE KEY(`id`)"), dup);
            assertEquals(404, get(e, "/api/_get_ddl?db=" + DB + "&tbl=missing").status());
        }
    }

    private static RawHttp.Response get(StreamLoadEmulator e, String pathAndQuery) {
        return RawHttp.get(e.feUrl() + pathAndQuery).auth(USER, PASSWORD).go();
    }
}
