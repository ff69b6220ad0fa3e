package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Doris says and takes differently from StarRocks. */
class DorisDialectTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.DORIS);
        e.createTable(Fixtures.duplicate("dup"));
        e.createTable(Fixtures.primary("uniq"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    private List<List<Object>> rows(String table) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, table)) {
            out.add(Arrays.asList(r.get("id"), r.get("name"), r.get("score")));
        }
        return out;
    }

    private static List<Object> row(Object... v) {
        return Arrays.asList(v);
    }

    private JsonNode twoPc(String... headers) {
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/" + DB + "/_stream_load_2pc").auth(USER, PASSWORD)
                .headers(headers).go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    @Test
    void lineDelimiter() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,a,1;2,b,2;", "line_delimiter", ";");
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(List.of(row(1L, "a", 1L), row(2L, "b", 2L)), rows("dup"));
    }

    @Test
    void hiddenDeleteSignColumnUpsertsAndDeletes() {
        Fixtures.loadCsv(e, "uniq", "1,a,1\n2,b,2\n");
        JsonNode reply = Fixtures.loadCsv(e, "uniq", "1,A,10,0\n2,b,2,1\n3,c,3,0\n",
                "hidden_columns", "__DORIS_DELETE_SIGN__");

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(List.of(row(1L, "A", 10L), row(3L, "c", 3L)), rows("uniq"));
    }

    @Test
    void mergeTypeDeleteDeletesEveryRowOfTheLoad() {
        Fixtures.loadCsv(e, "uniq", "1,a,1\n2,b,2\n3,c,3\n");
        JsonNode reply = Fixtures.loadCsv(e, "uniq", "1,a,1\n3,c,3\n", "merge_type", "DELETE");

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(List.of(row(2L, "b", 2L)), rows("uniq"));
    }

    @Test
    void mergeTypeMergeDeletesRowsMatchingTheDeleteCondition() {
        Fixtures.loadCsv(e, "uniq", "1,a,1\n2,b,2\n");
        JsonNode reply = Fixtures.loadCsv(e, "uniq", "1,a,0\n2,B,20\n3,c,30\n", "merge_type", "MERGE", "delete", "score=0");

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(List.of(row(2L, "B", 20L), row(3L, "c", 30L)), rows("uniq"));
    }

    @Test
    void readJsonByLine() {
        JsonNode reply = Fixtures.load(e, "dup", "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n",
                "format", "json", "read_json_by_line", "true");
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(List.of(row(1L, "a", null), row(2L, "b", null)), rows("dup"));
    }

    @Test
    void twoPhaseCommitPrecommitsThenCommitMakesRowsVisible() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "tpc1", "two_phase_commit", "true");

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals("true", reply.get("TwoPhaseCommit").asText());
        long txnId = reply.get("TxnId").asLong();
        assertEquals(0, e.rowCount(DB, "dup"), "pre-committed rows are not visible");
        assertEquals("PRECOMMITTED", Fixtures.loadState(e, "tpc1").get("data").asText());
        JsonNode again = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "tpc1");
        assertEquals("PRECOMMITTED", again.get("ExistingJobStatus").asText());

        JsonNode commit = twoPc("txn_id", Long.toString(txnId), "txn_operation", "commit");
        assertEquals(List.of("status", "msg"), RawHttp.keys(commit));
        assertEquals("Success", commit.get("status").asText());
        assertEquals("transaction [" + txnId + "] commit successfully.", commit.get("msg").asText());
        assertEquals(1, e.rowCount(DB, "dup"));
        assertEquals("VISIBLE", Fixtures.loadState(e, "tpc1").get("data").asText());

        JsonNode twice = twoPc("txn_id", Long.toString(txnId), "txn_operation", "commit");
        assertEquals("Fail", twice.get("status").asText());
        assertTrue(twice.get("msg").asText().contains("transaction [" + txnId + "] is already VISIBLE, not pre-committed"),
                twice::toString);
    }

    @Test
    void twoPhaseCommitAbortByLabelDiscardsTheRowsAndFreesTheLabel() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "tpc2", "two_phase_commit", "true");
        long txnId = reply.get("TxnId").asLong();

        JsonNode abort = twoPc("label", "tpc2", "txn_operation", "abort");
        assertEquals("Success", abort.get("status").asText(), abort::toString);
        assertEquals("transaction [" + txnId + "] abort successfully.", abort.get("msg").asText());
        assertEquals(0, e.rowCount(DB, "dup"));
        assertEquals("ABORTED", Fixtures.loadState(e, "tpc2").get("data").asText());

        assertEquals("Success", Fixtures.loadCsv(e, "dup", "2,b,2\n", "label", "tpc2").get("Status").asText());
        assertEquals(List.of(row(2L, "b", 2L)), rows("dup"));
    }

    @Test
    void twoPhaseCommitIsRedirectedToABeWithTheCredentialsInTheLocation() throws Exception {
        long txnId = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "tpc3", "two_phase_commit", "true")
                .get("TxnId").asLong();
        RawHttp.Request commit = RawHttp.put(e.feUrl() + "/api/" + DB + "/_stream_load_2pc").auth(USER, PASSWORD)
                .headers("txn_id", Long.toString(txnId), "txn_operation", "commit");

        RawHttp.Response redirect = commit.send();
        assertEquals(307, redirect.status(), redirect::toString);
        assertEquals("close", redirect.header("Connection"));
        String be = e.beUrl(0);
        assertEquals("http://" + USER + ":" + PASSWORD + "@" + be.substring("http://".length()) + "/api/" + DB
                + "/_stream_load_2pc", redirect.header("Location"));
        assertEquals(0, e.rowCount(DB, "dup"), "the FE commits nothing itself");

        JsonNode reply = commit.to(redirect.header("Location")).send().json();
        assertEquals("Success", reply.get("status").asText(), reply::toString);
        assertEquals(1, e.rowCount(DB, "dup"));
    }

    @Test
    void twoPhaseCommitOfATableAddressesTheSameTransactions() {
        long txnId = Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "tpc4", "two_phase_commit", "true")
                .get("TxnId").asLong();
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/" + DB + "/dup/_stream_load_2pc").auth(USER, PASSWORD)
                .headers("txn_id", Long.toString(txnId), "txn_operation", "commit").go();
        assertEquals("Success", r.json().get("status").asText(), r::toString);
        assertEquals(1, e.rowCount(DB, "dup"));
    }

    @Test
    void twoPhaseCommitWithoutTransactionOrOperationIsRefusedByTheFe() throws Exception {
        RawHttp.Response noTxn = RawHttp.put(e.feUrl() + "/api/" + DB + "/_stream_load_2pc").auth(USER, PASSWORD)
                .headers("txn_operation", "commit").send();
        assertEquals(200, noTxn.status(), noTxn::toString);
        assertEquals("FAILED", noTxn.json().get("status").asText());
        assertEquals("No transaction id or label selected.", noTxn.json().get("msg").asText());

        RawHttp.Response noOp = RawHttp.put(e.feUrl() + "/api/" + DB + "/_stream_load_2pc").auth(USER, PASSWORD)
                .headers("txn_id", "1").send();
        assertEquals("FAILED", noOp.json().get("status").asText());
        assertEquals("No transaction operation('commit' or 'abort') selected.", noOp.json().get("msg").asText());
    }

    @Test
    void twoPhaseCommitOfAnUnknownTransactionIsNotFound() {
        JsonNode reply = twoPc("txn_id", "999999", "txn_operation", "commit");
        assertEquals("Fail", reply.get("status").asText());
        assertTrue(reply.get("msg").asText().contains("transaction [999999] not found"), reply::toString);
    }

    @Test
    void getLoadStatePutsTheStateInData() {
        Fixtures.loadCsv(e, "dup", "1,a,1\n", "label", "st1");
        JsonNode visible = Fixtures.loadState(e, "st1");
        assertEquals("VISIBLE", visible.get("data").asText(), visible::toString);
        assertEquals("UNKNOWN", Fixtures.loadState(e, "never").get("data").asText());
    }

    @Test
    void failMessagesArePrefixedWithTheirCode() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "x,a,1\n", "strict_mode", "true");
        assertEquals("Fail", reply.get("Status").asText());
        assertEquals("[DATA_QUALITY_ERROR]too many filtered rows", reply.get("Message").asText());
        assertTrue(Fixtures.errorLog(reply.get("ErrorURL").asText()).startsWith("Reason: "));
    }

    @Test
    void starRocksTransactionApiIsNotServed() throws Exception {
        RawHttp.Response r = RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "x", "db", DB, "table", "dup").send();
        assertEquals(404, r.status());
    }
}
