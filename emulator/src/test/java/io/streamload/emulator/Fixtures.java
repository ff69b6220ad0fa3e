package io.streamload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamload.emulator.table.TableDefinition;

/** Shared set-up for the conformance tests: credentials, tables and load requests over raw HTTP. */
final class Fixtures {
    static final String USER = "loader";
    static final String PASSWORD = "s3cret";
    static final String DB = "demo";

    private Fixtures() {
    }

    static StreamLoadEmulator.Builder builder(Dialect dialect) {
        return StreamLoadEmulator.builder().dialect(dialect).credentials(USER, PASSWORD);
    }

    static StreamLoadEmulator start(Dialect dialect) {
        return builder(dialect).start();
    }

    /** {@code demo.<table>}: DUPLICATE KEY(id), id BIGINT NOT NULL, name VARCHAR(32), score INT. */
    static TableDefinition duplicate(String table) {
        return TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(32)", true)
                .column("score", "INT", true)
                .duplicateKey("id")
                .build();
    }

    /** {@code demo.<table>}: PRIMARY KEY(id), id BIGINT NOT NULL, name VARCHAR(32), score INT. */
    static TableDefinition primary(String table) {
        return TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(32)", true)
                .column("score", "INT", true)
                .primaryKey("id")
                .build();
    }

    static String streamLoadPath(String table) {
        return "/api/" + DB + "/" + table + "/_stream_load";
    }

    /** A stream load to the FE, authenticated and with {@code Expect: 100-continue}. */
    static RawHttp.Request streamLoad(StreamLoadEmulator e, String table) {
        return RawHttp.put(e.feUrl() + streamLoadPath(table)).auth(USER, PASSWORD).expectContinue();
    }

    /** A stream load straight to a BE. */
    static RawHttp.Request streamLoadOnBe(StreamLoadEmulator e, int be, String table) {
        return RawHttp.put(e.beUrl(be) + streamLoadPath(table)).auth(USER, PASSWORD).expectContinue();
    }

    /** Loads through the FE, following its 307, and returns the BE's JSON answer (HTTP 200 asserted). */
    static JsonNode load(StreamLoadEmulator e, String table, String body, String... headers) {
        RawHttp.Response r = streamLoad(e, table).headers(headers).body(body).go();
        assertEquals(200, r.status(), () -> "HTTP status of " + r);
        return r.json();
    }

    /** CSV with ',' separators through the FE. */
    static JsonNode loadCsv(StreamLoadEmulator e, String table, String body, String... headers) {
        RawHttp.Request req = streamLoad(e, table).header("column_separator", ",").headers(headers).body(body);
        RawHttp.Response r = req.go();
        assertEquals(200, r.status(), () -> "HTTP status of " + r);
        return r.json();
    }

    /** {@code GET /api/demo/get_load_state?label=} on the FE. */
    static JsonNode loadState(StreamLoadEmulator e, String label) {
        RawHttp.Response r = RawHttp.get(e.feUrl() + "/api/" + DB + "/get_load_state?label=" + label)
                .auth(USER, PASSWORD).go();
        assertEquals(200, r.status(), () -> "HTTP status of " + r);
        return r.json();
    }

    /** GET of an ErrorURL (no credentials needed, as on a BE). */
    static String errorLog(String errorUrl) {
        RawHttp.Response r = RawHttp.get(errorUrl).go();
        assertEquals(200, r.status(), () -> "HTTP status of " + r);
        return r.text();
    }
}
