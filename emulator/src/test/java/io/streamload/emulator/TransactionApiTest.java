package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StarRocks' transaction interface: begin, several loads, prepare, commit or rollback. */
class TransactionApiTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
        e.createTable(Fixtures.duplicate("t"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    /** begin/prepare/commit/rollback: POST without body and without Expect, as the official SDK sends them. */
    private JsonNode op(String op, String label, String... extraHeaders) {
        RawHttp.Response r = RawHttp.post(e.feUrl() + "/api/transaction/" + op).auth(USER, PASSWORD)
                .headers("label", label, "db", DB, "table", "t").headers(extraHeaders).go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private JsonNode load(String label, String body) {
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", label, "db", DB, "table", "t", "column_separator", ",").body(body).go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private JsonNode load(String label, byte[] body, String... headers) {
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", label, "db", DB, "table", "t", "column_separator", ",").headers(headers).body(body)
                .go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    /**
     * A transaction's loads name their codec as stream loads do: a compressed CSV by {@code format}
     * ({@code parse_stream_load_format}), and a body of either format by {@code compression}, which
     * StarRocks' own SDK sends with its transaction loads.
     */
    @Test
    void transactionLoadsReadCompressedBodies() {
        op("begin", "txz");
        assertStatus("OK", load("txz", LoadCompressionTest.gzip("1,a,1\n2,b,2\n"), "format", "gzip"));
        assertStatus("OK", load("txz", LoadCompressionTest.zstd("{\"id\":3,\"name\":\"c\"}"), "format", "json",
                "compression", "zstd"));
        assertStatus("OK", op("prepare", "txz"));
        assertStatus("OK", op("commit", "txz"));
        assertEquals(3, e.rowCount(DB, "t"));
    }

    private static void assertStatus(String status, JsonNode reply) {
        assertEquals(status, reply.get("Status").asText(), reply::toString);
    }

    @Test
    void beginSeveralLoadsPrepareCommit() {
        JsonNode begin = op("begin", "tx1");
        assertEquals(List.of("Status", "Message", "Label", "TxnId", "BeginTxnTimeMs"), RawHttp.keys(begin));
        assertStatus("OK", begin);
        assertEquals("", begin.get("Message").asText());
        assertEquals("tx1", begin.get("Label").asText());
        long txnId = begin.get("TxnId").asLong();
        assertEquals("PREPARE", e.labelState(DB, "tx1"));

        JsonNode first = load("tx1", "1,a,1\n2,b,2\n");
        assertEquals(List.of("Status", "Message", "Label", "TxnId", "LoadBytes", "StreamLoadPlanTimeMs",
                "ReceivedDataTimeMs"), RawHttp.keys(first));
        assertStatus("OK", first);
        assertEquals(txnId, first.get("TxnId").asLong());
        assertEquals(12, first.get("LoadBytes").asLong());
        assertStatus("OK", load("tx1", "3,c,3\n"));
        assertEquals(0, e.rowCount(DB, "t"), "nothing is visible before commit");

        JsonNode prepare = op("prepare", "tx1");
        assertStatus("OK", prepare);
        assertEquals(List.of("Status", "Message", "Label", "TxnId", "NumberTotalRows", "NumberLoadedRows",
                "NumberFilteredRows", "NumberUnselectedRows", "LoadBytes", "LoadTimeMs", "StreamLoadPlanTimeMs",
                "ReceivedDataTimeMs", "WriteDataTimeMs", "CommitAndPublishTimeMs"), RawHttp.keys(prepare));
        assertEquals(3, prepare.get("NumberLoadedRows").asLong());
        assertEquals("PREPARED", e.labelState(DB, "tx1"));
        assertEquals(0, e.rowCount(DB, "t"));

        // A prepared transaction is committed by the FE itself, in the FE's own words: no counters.
        JsonNode commit = op("commit", "tx1");
        assertStatus("OK", commit);
        assertEquals(List.of("Status", "TxnId", "Message", "Label"), RawHttp.keys(commit));
        assertEquals(txnId, commit.get("TxnId").asLong());
        assertEquals("tx1", commit.get("Label").asText());
        assertEquals(3, e.rowCount(DB, "t"));
        assertEquals("VISIBLE", e.labelState(DB, "tx1"));
    }

    @Test
    void commitWithoutPrepareCommitsToo() {
        op("begin", "tx2");
        load("tx2", "1,a,1\n");
        assertStatus("OK", op("commit", "tx2"));
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void rollbackDiscardsEverythingAndFreesTheLabel() {
        op("begin", "tx3");
        load("tx3", "1,a,1\n");
        JsonNode rollback = op("rollback", "tx3");
        assertStatus("OK", rollback);
        assertEquals(List.of("Status", "Message", "Label"), RawHttp.keys(rollback));
        assertEquals(0, e.rowCount(DB, "t"));
        assertEquals("ABORTED", e.labelState(DB, "tx3"));

        assertStatus("OK", op("begin", "tx3"));
    }

    @Test
    void labelAlreadyExistsOnBegin() {
        op("begin", "tx4");
        JsonNode running = op("begin", "tx4");
        assertEquals(List.of("Status", "ExistingJobStatus", "Message"), RawHttp.keys(running));
        assertStatus("LABEL_ALREADY_EXISTS", running);
        assertEquals("RUNNING", running.get("ExistingJobStatus").asText());

        load("tx4", "1,a,1\n");
        op("commit", "tx4");
        JsonNode finished = op("begin", "tx4");
        assertStatus("LABEL_ALREADY_EXISTS", finished);
        assertEquals("FINISHED", finished.get("ExistingJobStatus").asText());
    }

    @Test
    void unknownLabelsAreRefusedByTheFe() {
        for (String operation : List.of("prepare", "commit", "rollback")) {
            JsonNode reply = op(operation, "nope");
            assertStatus("FAILED", reply);
            assertEquals(List.of("Status", "Message"), RawHttp.keys(reply));
            assertEquals("class com.starrocks.common.StarRocksException: No transaction found with db[demo] and label[nope]",
                    reply.get("Message").asText());
        }
        JsonNode load = load("nope", "1,a,1\n");
        assertStatus("FAILED", load);
        assertTrue(load.get("Message").asText().contains("Can't find the transaction with db [demo] and label[nope]"),
                load::toString);
    }

    @Test
    void txnNotExistsForUnknownLabelsOnABe() {
        for (String operation : List.of("prepare", "commit", "rollback")) {
            JsonNode reply = RawHttp.post(e.beUrl(0) + "/api/transaction/" + operation).auth(USER, PASSWORD)
                    .headers("label", "nope", "db", DB, "table", "t").go().json();
            assertStatus("TXN_NOT_EXISTS", reply);
            assertEquals(List.of("Status", "Message"), RawHttp.keys(reply));
            assertEquals("transaction with label nope not exists", reply.get("Message").asText());
        }
        JsonNode load = RawHttp.put(e.beUrl(0) + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "nope", "db", DB, "table", "t").body("1\ta\t1\n").go().json();
        assertStatus("TXN_NOT_EXISTS", load);
        assertEquals("Transaction with label nope not exists", load.get("Message").asText());
    }

    private static void assertCommitOfAbortedRefused(JsonNode reply, String label) {
        assertStatus("FAILED", reply);
        String message = reply.get("Message").asText();
        assertTrue(message.startsWith("class com.starrocks.common.StarRocksException: Can not commit ABORTED transaction ")
                && message.endsWith(", label is " + label), reply::toString);
    }

    @Test
    void txnInProcessingWhenTheSameLabelIsUsedConcurrently() throws Exception {
        op("begin", "tx5");
        e.inject(Fault.of(FaultKind.DELAY).path("/api/transaction/load").label("tx5").delay(Duration.ofMillis(1500)));
        CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> load("tx5", "1,a,1\n"));
        Await.until("the first load holds the transaction", () -> e.pendingFaults().isEmpty());

        JsonNode concurrent = load("tx5", "2,b,2\n");
        assertStatus("TXN_IN_PROCESSING", concurrent);
        assertEquals(List.of("Status", "Label", "Message"), RawHttp.keys(concurrent));
        assertEquals("tx5", concurrent.get("Label").asText());
        assertStatus("TXN_IN_PROCESSING", op("commit", "tx5"));

        assertStatus("OK", slow.get(10, TimeUnit.SECONDS));
        assertStatus("OK", op("commit", "tx5"));
        assertEquals(1, e.rowCount(DB, "t"), "only the load that got the transaction is in it");
    }

    @Test
    void idleTransactionTimesOut() {
        assertStatus("OK", op("begin", "idle1", "idle_transaction_timeout", "1"));
        Await.until("the idle transaction is rolled back", () -> "ABORTED".equals(e.labelState(DB, "idle1")));
        assertStatus("TXN_NOT_EXISTS", load("idle1", "1,a,1\n"));
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void activityKeepsATransactionAlive() {
        op("begin", "busy1", "idle_transaction_timeout", "1");
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1600);
        int loads = 0;
        while (System.nanoTime() < until) {
            assertStatus("OK", load("busy1", "1,a,1\n"));
            loads++;
        }
        assertStatus("OK", op("commit", "busy1"));
        assertEquals(loads, e.rowCount(DB, "t"));
    }

    @Test
    void timeoutOnBeginAbortsEvenABusyTransaction() {
        assertStatus("OK", op("begin", "total1", "timeout", "1"));
        Await.until("the transaction is rolled back by its timeout although it keeps loading", () -> {
            load("total1", "1,a,1\n");
            return "ABORTED".equals(e.labelState(DB, "total1"));
        });
        assertCommitOfAbortedRefused(op("commit", "total1"), "total1");
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void preparedTransactionTimesOut() {
        op("begin", "prep1", "prepared_timeout", "1");
        load("prep1", "1,a,1\n");
        assertStatus("OK", op("prepare", "prep1"));
        Await.until("the prepared transaction is rolled back", () -> "ABORTED".equals(e.labelState(DB, "prep1")));
        assertCommitOfAbortedRefused(op("commit", "prep1"), "prep1");
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void anErrorInALoadRollsTheTransactionBack() {
        op("begin", "bad1");
        load("bad1", "1,a,1\n");
        JsonNode bad = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "bad1", "db", DB, "table", "t", "columns", "id,nope").body("1,2\n").go().json();
        assertTrue(!"OK".equals(bad.get("Status").asText()), bad::toString);
        assertEquals("ABORTED", e.labelState(DB, "bad1"));
        assertCommitOfAbortedRefused(op("commit", "bad1"), "bad1");
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void tooManyFilteredRowsFailsThePrepareAndWritesNothing() {
        op("begin", "dirty1");
        load("dirty1", "1,a,1\n\\N,b,2\n");
        JsonNode prepare = op("prepare", "dirty1");
        assertTrue(!"OK".equals(prepare.get("Status").asText()), prepare::toString);
        assertTrue(prepare.get("Message").asText().contains("too many filtered rows"), prepare::toString);
        assertTrue(prepare.get("ErrorURL").asText().contains("/api/_load_error_log?file="));
        assertEquals("ABORTED", e.labelState(DB, "dirty1"));
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void theFilterRatioCountsOnlyTheRowsTheWhereSelected() {
        // Two of four rows are not selected; of the two selected, one is filtered: 1/2 is over
        // 0.3 (the servers' ratio), while 1/4 would not be.
        op("begin", "where1");
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "where1", "db", DB, "table", "t", "column_separator", ",", "where", "id > 2",
                        "strict_mode", "true", "max_filter_ratio", "0.3")
                .body("1,a,1\n2,b,2\n3,c,3\n4,d,notanint\n").go();
        assertEquals(200, r.status(), r::toString);
        JsonNode prepare = op("prepare", "where1");
        assertTrue(prepare.get("Message").asText().contains("too many filtered rows"), prepare::toString);
        assertEquals("ABORTED", e.labelState(DB, "where1"));
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void transactionLoadWithoutExpectFailsAtTheFe() throws Exception {
        op("begin", "ne1");
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD)
                .headers("label", "ne1", "db", DB, "table", "t").body("1\ta\t1\n").send();
        assertEquals(200, r.status());
        assertEquals("FAILED", r.json().get("Status").asText());
        assertTrue(r.json().get("Message").asText().endsWith("There is no 100-continue header"));
    }

    @Test
    void transactionLoadIsRedirectedToABe() throws Exception {
        op("begin", "redir1");
        RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "redir1", "db", DB, "table", "t").body("1\ta\t1\n").send();
        assertEquals(307, r.status());
        assertEquals(e.beUrl(0) + "/api/transaction/load", r.header("Location"));
    }
}
