package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each injectable fault, what the client sees, and what was (or was not) loaded. */
class FaultInjectionTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
        e.createTable(Fixtures.duplicate("t"));
        e.createTable(Fixtures.duplicate("other"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    private RawHttp.Request load(String label, String body) {
        return Fixtures.streamLoad(e, "t").header("label", label).body(body);
    }

    @ParameterizedTest
    @CsvSource({"HTTP_502_BEFORE_LOAD, 502", "HTTP_503_BEFORE_LOAD, 503", "HTTP_504_BEFORE_LOAD, 504"})
    void proxyErrorBeforeLoadingLoadsNothing(FaultKind kind, int status) throws Exception {
        e.inject(Fault.of(kind));
        RawHttp.Response r = load("p1", "1\ta\t1\n").sendFollowing();

        assertEquals(status, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        assertTrue(r.text().contains("<center><h1>" + status), r::toString);
        assertEquals(0, e.rowCount(DB, "t"));
        assertEquals("UNKNOWN", e.labelState(DB, "p1"));

        assertEquals(200, load("p1", "1\ta\t1\n").sendFollowing().status(), "the fault strikes once");
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void http502AfterCommitLoadsButTellsTheClientItFailed() throws Exception {
        e.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT));
        RawHttp.Response r = load("ac1", "1\ta\t1\n2\tb\t2\n").sendFollowing();

        assertEquals(502, r.status());
        assertEquals(2, e.rowCount(DB, "t"), "the load IS applied");
        assertEquals("VISIBLE", e.labelState(DB, "ac1"));
        JsonNode retry = load("ac1", "1\ta\t1\n2\tb\t2\n").sendFollowing().json();
        assertEquals("Label Already Exists", retry.get("Status").asText());
        assertEquals("FINISHED", retry.get("ExistingJobStatus").asText());
        assertEquals(2, e.rowCount(DB, "t"), "retrying with the same label loads no duplicate");
    }

    @Test
    void resetWhileReadingTheBodyLoadsNothing() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            body.append(i).append("\tname").append(i).append('\t').append(i).append('\n');
        }
        e.inject(Fault.of(FaultKind.RESET_WHILE_READING_BODY));
        assertThrows(IOException.class, () -> load("rb1", body.toString()).sendFollowing());

        assertEquals(0, e.rowCount(DB, "t"));
        assertNotEquals("VISIBLE", e.labelState(DB, "rb1"));
        Await.until("the reset load is aborted", () -> "ABORTED".equals(e.labelState(DB, "rb1")));
        assertEquals(200, load("rb1", "1\ta\t1\n").go().status());
        assertEquals("VISIBLE", e.labelState(DB, "rb1"), "the label of the reset load is free");
    }

    @Test
    void resetAfterCommitLoadsAndAnswersNothing() {
        e.inject(Fault.of(FaultKind.RESET_AFTER_COMMIT));
        assertThrows(IOException.class, () -> load("rc1", "1\ta\t1\n").sendFollowing());

        assertEquals(1, e.rowCount(DB, "t"));
        assertEquals("VISIBLE", e.labelState(DB, "rc1"));
    }

    @Test
    void delayHoldsTheAnswer() {
        e.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(400)));
        long start = System.nanoTime();
        JsonNode reply = load("d1", "1\ta\t1\n").go().json();

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos());
        assertEquals("Success", reply.get("Status").asText());
    }

    @Test
    void loadOutlivingItsTimeoutHeaderIsAbortedAndWritesNothing() {
        e.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(1300)));
        JsonNode reply = load("to1", "1\ta\t1\n").header("timeout", "1").go().json();

        assertEquals("Fail", reply.get("Status").asText());
        assertTrue(reply.get("Message").asText().contains("timeout of 1 s"), reply.toString());
        assertEquals(0, e.rowCount(DB, "t"));
        assertEquals("ABORTED", e.labelState(DB, "to1"));
    }

    @Test
    void publishTimeoutFault() {
        e.inject(Fault.of(FaultKind.PUBLISH_TIMEOUT));
        JsonNode reply = load("pt1", "1\ta\t1\n").go().json();

        assertEquals("Publish Timeout", reply.get("Status").asText());
        Await.until("pt1 becomes visible", () -> "VISIBLE".equals(e.labelState(DB, "pt1")));
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void throttleConcurrentLimitMessage() {
        e.inject(Fault.of(FaultKind.THROTTLE_CONCURRENT_LIMIT));
        JsonNode reply = load("th1", "1\ta\t1\n").go().json();

        assertEquals("Fail", reply.get("Status").asText());
        assertEquals("Stream Load exceed http cuncurrent limit 64, please try again later", reply.get("Message").asText());
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void serviceShuttingDownMessage() {
        e.inject(Fault.of(FaultKind.SERVICE_SHUTTING_DOWN));
        JsonNode reply = load("sd1", "1\ta\t1\n").go().json();

        assertEquals("Fail", reply.get("Status").asText());
        assertEquals("Service is shutting down, please retry later!", reply.get("Message").asText());
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void runningTxnsLimitMessageNamesTheDatabase() {
        e.inject(Fault.of(FaultKind.RUNNING_TXNS_LIMIT).times(2));
        JsonNode reply = load("rt1", "1\ta\t1\n").go().json();
        assertEquals("Fail", reply.get("Status").asText());
        assertEquals("current running txns on db demo is 1000, larger than limit 1000", reply.get("Message").asText());

        JsonNode begin = RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "rt2", "db", DB, "table", "t").go().json();
        assertTrue(begin.get("Message").asText().startsWith("current running txns on db demo is"), begin::toString);
        assertEquals(0, e.rowCount(DB, "t"));
    }

    @Test
    void faultsAreScopedByTableLabelAndPath() throws Exception {
        e.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD).table("other"));
        e.inject(Fault.of(FaultKind.HTTP_504_BEFORE_LOAD).label("batch-7"));
        e.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).path("/get_load_state"));

        assertEquals(200, load("batch-1", "1\ta\t1\n").sendFollowing().status());
        assertEquals(504, load("batch-7-a", "1\ta\t1\n").sendFollowing().status());
        assertEquals(503, Fixtures.streamLoad(e, "other").body("1\ta\t1\n").sendFollowing().status());
        assertEquals(502, RawHttp.get(e.feUrl() + "/api/" + DB + "/get_load_state?label=x").auth(USER, PASSWORD)
                .send().status());
        assertTrue(e.pendingFaults().isEmpty());
    }

    @Test
    void faultTimesCountsMatchingRequests() throws Exception {
        e.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD).times(2));
        assertEquals(503, load("n1", "1\ta\t1\n").sendFollowing().status());
        assertEquals(503, load("n1", "1\ta\t1\n").sendFollowing().status());
        assertEquals(200, load("n1", "1\ta\t1\n").sendFollowing().status());
        assertEquals(1, e.rowCount(DB, "t"));
    }

    @Test
    void clearFaultsDropsPendingFaults() throws Exception {
        e.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD).times(5));
        e.clearFaults();
        assertEquals(200, load("c1", "1\ta\t1\n").sendFollowing().status());
    }

    @Test
    void http502AfterTransactionCommitCommits() throws Exception {
        RawHttp.post(e.feUrl() + "/api/transaction/begin").auth(USER, PASSWORD)
                .headers("label", "tx1", "db", DB, "table", "t").go();
        RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                .headers("label", "tx1", "db", DB, "table", "t").body("1\ta\t1\n").go();
        e.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).path("/api/transaction/commit"));

        RawHttp.Response commit = RawHttp.post(e.feUrl() + "/api/transaction/commit").auth(USER, PASSWORD)
                .headers("label", "tx1", "db", DB, "table", "t").sendFollowing();
        assertEquals(502, commit.status());
        assertEquals(1, e.rowCount(DB, "t"));
        assertEquals("VISIBLE", e.labelState(DB, "tx1"));
    }
}
