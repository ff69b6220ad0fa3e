package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's own HTTP API under /_emulator/ on the FE listener. */
class AdminApiTest {
    private static final String PEOPLE = "{\"model\":\"PRIMARY_KEY\",\"keys\":[\"id\"],\"columns\":["
            + "{\"name\":\"id\",\"type\":\"BIGINT\",\"nullable\":false},"
            + "{\"name\":\"name\",\"type\":\"VARCHAR(16)\"},"
            + "{\"name\":\"born\",\"type\":\"DATE\"}]}";

    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
    }

    @AfterEach
    void stop() {
        e.close();
    }

    private String admin(String path) {
        return e.feUrl() + "/_emulator/" + path;
    }

    @Test
    void createTableLoadAndReadRowsInKeyOrder() {
        RawHttp.Response created = RawHttp.put(admin("tables/demo/people")).body(PEOPLE).go();
        assertEquals(200, created.status(), created::toString);
        assertEquals("PRIMARY_KEY", created.json().get("model").asText());

        Fixtures.loadCsv(e, "people", "3,carol,1990-01-03\n1,alice,1990-01-01\n2,bob,\\N\n");
        JsonNode rows = RawHttp.get(admin("tables/demo/people/rows")).go().json();
        assertTrue(rows.isArray());
        assertEquals("[{\"id\":1,\"name\":\"alice\",\"born\":\"1990-01-01\"},{\"id\":2,\"name\":\"bob\",\"born\":null},"
                + "{\"id\":3,\"name\":\"carol\",\"born\":\"1990-01-03\"}]", rows.toString());

        JsonNode definition = RawHttp.get(admin("tables/demo/people")).go().json();
        assertEquals(List.of("id", "name", "born"), names(definition.get("columns")));
    }

    private static List<String> names(JsonNode columns) {
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.get("name").asText()));
        return out;
    }

    @Test
    void dropTableThenLoadsFailNamingTheTable() throws Exception {
        RawHttp.put(admin("tables/demo/people")).body(PEOPLE).go();
        assertEquals(200, RawHttp.delete(admin("tables/demo/people")).go().status());
        assertEquals(404, RawHttp.get(admin("tables/demo/people/rows")).go().status());

        RawHttp.Response viaFe = Fixtures.streamLoad(e, "people").body("1,a,\\N\n").send();
        assertEquals(200, viaFe.status());
        assertTrue(viaFe.json().get("Message").asText().contains("demo.people"), viaFe::toString);

        JsonNode onBe = Fixtures.streamLoadOnBe(e, 0, "people").body("1,a,\\N\n").go().json();
        assertEquals("Fail", onBe.get("Status").asText());
        assertTrue(onBe.get("Message").asText().contains("demo.people"), onBe::toString);

        assertEquals(404, RawHttp.delete(admin("tables/demo/people")).go().status());
    }

    @Test
    void badTableDefinitionGetsAClearErrorNamingTheTable() {
        RawHttp.Response unknownType = RawHttp.put(admin("tables/demo/bad"))
                .body("{\"columns\":[{\"name\":\"id\",\"type\":\"WIDGET\"}]}").go();
        assertEquals(400, unknownType.status());
        assertEquals("Fail", unknownType.json().get("Status").asText());
        String message = unknownType.json().get("Message").asText();
        assertTrue(message.contains("demo.bad") && message.contains("WIDGET") && message.contains("'id'"), message);

        RawHttp.Response notJson = RawHttp.put(admin("tables/demo/bad2")).body("{columns:").go();
        assertEquals(400, notJson.status());
        assertTrue(notJson.json().get("Message").asText().contains("demo.bad2"), notJson::toString);

        RawHttp.Response noKeys = RawHttp.put(admin("tables/demo/bad3"))
                .body("{\"model\":\"PRIMARY_KEY\",\"columns\":[{\"name\":\"id\",\"type\":\"INT\",\"nullable\":false}]}").go();
        assertEquals(400, noKeys.status());
        assertTrue(noKeys.json().get("Message").asText().contains("demo.bad3"), noKeys::toString);

        RawHttp.Response nullableKey = RawHttp.put(admin("tables/demo/bad4"))
                .body("{\"model\":\"PRIMARY_KEY\",\"keys\":[\"id\"],\"columns\":[{\"name\":\"id\",\"type\":\"INT\"}]}").go();
        assertEquals(400, nullableKey.status());
        assertTrue(nullableKey.json().get("Message").asText().contains("demo.bad4"), nullableKey::toString);

        assertEquals(404, RawHttp.get(admin("tables/demo/bad")).go().status(), "a bad definition creates nothing");
    }

    @Test
    void listTablesLoadsAndLabels() {
        RawHttp.put(admin("tables/demo/people")).body(PEOPLE).go();
        Fixtures.loadCsv(e, "people", "1,a,\\N\n", "label", "l-ok");
        Fixtures.loadCsv(e, "people", "x,a,\\N\n", "label", "l-bad");

        JsonNode tables = RawHttp.get(admin("tables")).go().json();
        assertEquals("people", tables.get(0).get("table").asText());

        JsonNode loads = RawHttp.get(admin("loads")).go().json();
        assertEquals(2, loads.size());
        assertEquals("l-ok", loads.get(0).get("label").asText());
        assertEquals("VISIBLE", loads.get(0).get("state").asText());
        assertEquals("l-bad", loads.get(1).get("label").asText());
        assertEquals("ABORTED", loads.get(1).get("state").asText());

        assertEquals("VISIBLE", RawHttp.get(admin("labels/demo/l-ok")).go().json().get("state").asText());
        assertEquals("UNKNOWN", RawHttp.get(admin("labels/demo/l-never")).go().json().get("state").asText());
        assertEquals(1, e.loads().stream().filter(l -> l.label().equals("l-ok")).count());
    }

    @Test
    void setListAndClearFaults() throws Exception {
        RawHttp.put(admin("tables/demo/people")).body(PEOPLE).go();
        RawHttp.Response set = RawHttp.post(admin("faults"))
                .body("{\"kind\":\"HTTP_503_BEFORE_LOAD\",\"table\":\"people\",\"times\":2}").go();
        assertEquals(200, set.status(), set::toString);
        RawHttp.post(admin("faults")).body("{\"kind\":\"delay\",\"label\":\"slow\",\"delay_ms\":50}").go();

        JsonNode listed = RawHttp.get(admin("faults")).go().json();
        assertEquals(2, listed.size());
        assertEquals("HTTP_503_BEFORE_LOAD", listed.get(0).get("kind").asText());
        assertEquals(2, listed.get(0).get("remaining").asInt());
        assertEquals("people", listed.get(0).get("table").asText());
        assertEquals(50, listed.get(1).get("delay_ms").asLong());

        assertEquals(503, Fixtures.streamLoad(e, "people").body("1,a,\\N\n").sendFollowing().status());
        assertEquals(1, RawHttp.get(admin("faults")).go().json().get(0).get("remaining").asInt());

        assertEquals(200, RawHttp.delete(admin("faults")).go().status());
        assertEquals(0, RawHttp.get(admin("faults")).go().json().size());
        assertEquals(200, Fixtures.streamLoad(e, "people").header("column_separator", ",")
                .body("1,a,\\N\n").sendFollowing().status());
        assertEquals(1, e.rowCount(DB, "people"));
    }

    @Test
    void unknownFaultKindIsRejectedWithTheKnownKinds() {
        RawHttp.Response r = RawHttp.post(admin("faults")).body("{\"kind\":\"EXPLODE\"}").go();
        assertEquals(400, r.status());
        assertTrue(r.json().get("Message").asText().contains("HTTP_502_AFTER_COMMIT"), r::toString);
    }

    @Test
    void adminApiNeedsNoCredentialsButLoadsStillDo() throws Exception {
        assertEquals(200, RawHttp.get(admin("loads")).go().status());
        RawHttp.put(admin("tables/demo/people")).body(PEOPLE).go();
        assertEquals(401, RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("people")).expectContinue()
                .body("1,a,\\N\n").send().status());
        assertEquals(200, RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("people")).auth(USER, PASSWORD)
                .expectContinue().header("column_separator", ",").body("1,a,\\N\n").go().status());
    }
}
