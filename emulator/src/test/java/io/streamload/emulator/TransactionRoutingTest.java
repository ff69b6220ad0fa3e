package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where StarRocks answers each step of a transaction (FE {@code TransactionLoadAction} with
 * {@code TransactionLoadCoordinatorMgr} and {@code TransactionWithoutChannelHandler}; BE
 * {@code transaction_mgr.cpp}): the FE sends {@code begin} to a live BE and every later step of the
 * label to that BE, which alone holds the transaction while it is open; the FE itself commits or
 * rolls back a prepared transaction and answers for finished ones. Every step is looked at one hop at
 * a time, with three BEs.
 */
class TransactionRoutingTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.builder(Dialect.STARROCKS).backends(3).start();
        e.createTable(Fixtures.duplicate("t"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    /** One hop: a body-less step as the official SDK sends it (POST, no body, no Expect). */
    private RawHttp.Response step(String base, String op, String label) throws IOException {
        return RawHttp.post(base + "/api/transaction/" + op).auth(USER, PASSWORD)
                .headers("label", label, "db", DB, "table", "t").send();
    }

    /** One hop of a load, with Expect as every client sends a body. */
    private RawHttp.Response load(String base, String label, String body) throws IOException {
        return RawHttp.put(base + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", label, "db", DB, "table", "t").body(body).send();
    }

    /** The BE a 307 from the FE points to, after checking the redirect is what StarRocks sends. */
    private String redirectedTo(RawHttp.Response r, String op) {
        assertEquals(307, r.status(), () -> op + ": " + r);
        assertEquals("close", r.header("Connection"), op);
        String location = r.header("Location");
        assertFalse(location.contains("@"), () -> "no credentials in the Location: " + location);
        String path = "/api/transaction/" + op;
        assertTrue(location.endsWith(path), () -> "same path: " + location);
        String be = location.substring(0, location.length() - path.length());
        assertTrue(List.of(e.beUrl(0), e.beUrl(1), e.beUrl(2)).contains(be), location);
        return be;
    }

    private static void assertStatus(String status, RawHttp.Response r) {
        assertEquals(200, r.status(), r::toString);
        assertEquals(status, r.json().get("Status").asText(), r::toString);
    }

    /** begin through the FE; returns the BE that took it. */
    private String begin(String label) throws IOException {
        String be = redirectedTo(step(e.feUrl(), "begin", label), "begin");
        assertStatus("OK", step(be, "begin", label));
        return be;
    }

    @Test
    void everyStepOfALabelGoesToTheBeThatBeganIt() throws Exception {
        Map<String, String> coordinator = new LinkedHashMap<>();
        for (String label : List.of("r1", "r2", "r3", "r4")) {
            coordinator.put(label, begin(label));
        }
        assertEquals(3, new HashSet<>(coordinator.values()).size(), "begins are spread over the live BEs");

        // Interleaved: each label's steps still find their own BE.
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<String, String> c : coordinator.entrySet()) {
                String be = redirectedTo(load(e.feUrl(), c.getKey(), "1\ta\t1\n"), "load");
                assertEquals(c.getValue(), be, c.getKey());
                assertStatus("OK", load(be, c.getKey(), "1\ta\t1\n"));
            }
        }
        for (Map.Entry<String, String> c : coordinator.entrySet()) {
            String be = redirectedTo(step(e.feUrl(), "prepare", c.getKey()), "prepare");
            assertEquals(c.getValue(), be, c.getKey());
            assertStatus("OK", step(be, "prepare", c.getKey()));
        }
        assertEquals(0, e.rowCount(DB, "t"));
        for (String label : coordinator.keySet()) {
            assertStatus("OK", step(e.feUrl(), "commit", label));
        }
        assertEquals(8, e.rowCount(DB, "t"));
    }

    @Test
    void commitAndRollbackOfAnOpenTransactionGoToItsBe() throws Exception {
        String be = begin("open1");
        assertStatus("OK", load(be, "open1", "1\ta\t1\n"));
        assertEquals(be, redirectedTo(step(e.feUrl(), "commit", "open1"), "commit"));
        assertStatus("OK", step(be, "commit", "open1"));
        assertEquals("VISIBLE", e.labelState(DB, "open1"));

        String other = begin("open2");
        assertStatus("OK", load(other, "open2", "2\tb\t2\n"));
        assertEquals(other, redirectedTo(step(e.feUrl(), "rollback", "open2"), "rollback"));
        RawHttp.Response rollback = step(other, "rollback", "open2");
        assertStatus("OK", rollback);
        assertEquals(List.of("Status", "Message", "Label"), RawHttp.keys(rollback.json()));
        assertEquals("ABORTED", e.labelState(DB, "open2"));
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void theFeCommitsAPreparedTransactionItself() throws Exception {
        String be = begin("prep1");
        assertStatus("OK", load(be, "prep1", "1\ta\t1\n"));
        assertStatus("OK", step(be, "prepare", "prep1"));
        long txnId = e.loads().stream().filter(l -> l.label().equals("prep1")).findFirst().orElseThrow().txnId();

        RawHttp.Response commit = step(e.feUrl(), "commit", "prep1");
        assertStatus("OK", commit);
        JsonNode reply = commit.json();
        assertEquals(List.of("Status", "TxnId", "Message", "Label"), RawHttp.keys(reply));
        assertEquals(txnId, reply.get("TxnId").asLong());
        assertEquals("", reply.get("Message").asText());
        assertEquals("prep1", reply.get("Label").asText());
        assertEquals(1, e.rowCount(DB, "t"));
        assertEquals("VISIBLE", e.labelState(DB, "prep1"));

        // Sent again (a committer that does not know its commit went through): the FE says so.
        RawHttp.Response again = step(e.feUrl(), "commit", "prep1");
        assertStatus("OK", again);
        assertEquals("Transaction " + txnId + " has already committed, label is prep1",
                again.json().get("Message").asText());
        assertEquals(1, e.rowCount(DB, "t"));

        RawHttp.Response rollback = step(e.feUrl(), "rollback", "prep1");
        assertStatus("FAILED", rollback);
        assertEquals("class com.starrocks.common.StarRocksException: Can not abort VISIBLE transaction " + txnId
                + ", label is prep1", rollback.json().get("Message").asText());
    }

    @Test
    void faultsAfterCommitStrikeTheCommitTheFeMakes() throws Exception {
        String be = begin("prep3");
        assertStatus("OK", load(be, "prep3", "1\ta\t1\n"));
        assertStatus("OK", step(be, "prepare", "prep3"));
        e.inject(Fault.of(FaultKind.RESET_AFTER_COMMIT).label("prep3"));

        assertThrows(IOException.class, () -> step(e.feUrl(), "commit", "prep3"));
        assertEquals("VISIBLE", e.labelState(DB, "prep3"), "committed, though the client never heard");
        assertStatus("OK", step(e.feUrl(), "commit", "prep3"));
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void theFeRollsBackAPreparedTransactionItself() throws Exception {
        String be = begin("prep2");
        assertStatus("OK", load(be, "prep2", "1\ta\t1\n"));
        assertStatus("OK", step(be, "prepare", "prep2"));
        long txnId = e.loads().stream().filter(l -> l.label().equals("prep2")).findFirst().orElseThrow().txnId();

        assertStatus("OK", step(e.feUrl(), "rollback", "prep2"));
        assertEquals("ABORTED", e.labelState(DB, "prep2"));
        assertEquals(0, e.rowCount(DB, "t"));

        RawHttp.Response again = step(e.feUrl(), "rollback", "prep2");
        assertStatus("OK", again);
        assertEquals("Transaction " + txnId + " has already aborted, label is prep2", again.json().get("Message").asText());
        RawHttp.Response commit = step(e.feUrl(), "commit", "prep2");
        assertStatus("FAILED", commit);
        assertEquals("class com.starrocks.common.StarRocksException: Can not commit ABORTED transaction " + txnId
                + ", label is prep2", commit.json().get("Message").asText());
    }

    @Test
    void onlyTheCoordinatorServesAnOpenTransaction() throws Exception {
        String be = begin("own1");
        String other = List.of(e.beUrl(0), e.beUrl(1), e.beUrl(2)).stream().filter(u -> !u.equals(be)).findFirst()
                .orElseThrow();

        RawHttp.Response misrouted = load(other, "own1", "1\ta\t1\n");
        assertStatus("TXN_NOT_EXISTS", misrouted);
        assertEquals("Transaction with label own1 not exists", misrouted.json().get("Message").asText());
        for (String op : List.of("prepare", "commit", "rollback")) {
            RawHttp.Response r = step(other, op, "own1");
            assertStatus("TXN_NOT_EXISTS", r);
            assertEquals("transaction with label own1 not exists", r.json().get("Message").asText());
        }
        assertEquals("PREPARE", e.labelState(DB, "own1"), "nothing the other BE said touched the transaction");

        assertStatus("OK", load(be, "own1", "1\ta\t1\n"));
        assertStatus("OK", step(be, "prepare", "own1"));
        // Prepared, the BE has let go of it: only the FE commits it now.
        assertStatus("TXN_NOT_EXISTS", step(be, "commit", "own1"));
        assertStatus("TXN_NOT_EXISTS", step(be, "prepare", "own1"));
        assertStatus("TXN_NOT_EXISTS", load(be, "own1", "2\tb\t2\n"));
        assertStatus("OK", step(e.feUrl(), "commit", "own1"));
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void theFeRedirectsToTheCoordinatorEvenWhenItIsDown() throws Exception {
        String be = begin("down1");
        int index = List.of(e.beUrl(0), e.beUrl(1), e.beUrl(2)).indexOf(be);
        e.stopBe(index);

        assertEquals(be, redirectedTo(step(e.feUrl(), "prepare", "down1"), "prepare"));
        assertThrows(IOException.class, () -> step(be, "prepare", "down1"));
        // A begin of a new label only goes to live BEs.
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            taken.add(redirectedTo(step(e.feUrl(), "begin", "down-new" + i), "begin"));
        }
        assertFalse(taken.contains(be), taken::toString);
    }

    @Test
    void theFeChecksTheHeadersAndTheDatabase() throws Exception {
        RawHttp.Response noDb = RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "h1", "table", "t").send();
        assertStatus("FAILED", noDb);
        assertEquals("class com.starrocks.common.StarRocksException: No database selected.",
                noDb.json().get("Message").asText());

        RawHttp.Response noLabel = RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("db", DB, "table", "t").send();
        assertStatus("FAILED", noLabel);
        assertEquals("class com.starrocks.common.StarRocksException: Empty label.", noLabel.json().get("Message").asText());

        RawHttp.Response noSuchDb = RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "h1", "db", "nodb", "table", "t").send();
        assertStatus("FAILED", noSuchDb);
        assertEquals("class com.starrocks.common.StarRocksException: Database[nodb] does not exist.",
                noSuchDb.json().get("Message").asText());
        assertNull(noSuchDb.header("Location"));
    }

    @Test
    void aBeginRepeatedWhileTheTransactionIsOpenGoesBackToItsBe() throws Exception {
        String be = begin("again1");
        for (int i = 0; i < 3; i++) {
            assertEquals(be, redirectedTo(step(e.feUrl(), "begin", "again1"), "begin"));
        }
        RawHttp.Response twice = step(be, "begin", "again1");
        assertStatus("LABEL_ALREADY_EXISTS", twice);
        assertEquals("RUNNING", twice.json().get("ExistingJobStatus").asText());
    }
}
