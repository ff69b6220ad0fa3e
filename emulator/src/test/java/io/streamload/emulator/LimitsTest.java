package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The body size limit and the concurrent-load limit, both answered with Fail bodies. */
class LimitsTest {

    @Test
    void bodyOverTheLimitByContentLength() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxBodyBytes(10).start()) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n2\tb\t2\n", "label", "big1");

            assertEquals("Fail", reply.get("Status").asText());
            assertEquals("body size 12 exceed limit: 10", reply.get("Message").asText());
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n", "label", "big1").get("Status").asText(),
                    "the label of a refused load stays free");
        }
    }

    @Test
    void chunkedBodyOverTheLimitIsStoppedWhileReading() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxBodyBytes(10).start()) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = Fixtures.streamLoad(e, "t").header("label", "big2").chunked()
                    .body("1\ta\t1\n2\tb\t2\n3\tc\t3\n").go();

            JsonNode reply = r.json();
            assertEquals("Fail", reply.get("Status").asText(), r::toString);
            assertTrue(reply.get("Message").asText().matches("body size \\d+ exceed limit: 10"), r::toString);
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals("ABORTED", e.labelState(DB, "big2"));
        }
    }

    @Test
    void chunkedBodyWithinTheLimitLoads() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = Fixtures.streamLoad(e, "t").chunked().body("1\ta\t1\n2\tb\t2\n").go();
            assertEquals("Success", r.json().get("Status").asText(), r::toString);
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }

    @Test
    void concurrentLoadsOverTheLimitAreRefused() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxConcurrentLoads(1).start()) {
            e.createTable(Fixtures.duplicate("t"));
            e.inject(Fault.of(FaultKind.DELAY).label("first").delay(Duration.ofMillis(1500)));
            CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
                    () -> Fixtures.load(e, "t", "1\ta\t1\n", "label", "first"));
            Await.until("the first load is running", () -> e.pendingFaults().isEmpty());

            JsonNode second = Fixtures.load(e, "t", "2\tb\t2\n", "label", "second");
            assertEquals("Fail", second.get("Status").asText());
            assertEquals("Stream Load exceed http cuncurrent limit 1, please try again later",
                    second.get("Message").asText());

            assertEquals("Success", first.get(10, TimeUnit.SECONDS).get("Status").asText());
            assertEquals("Success", Fixtures.load(e, "t", "2\tb\t2\n", "label", "second").get("Status").asText(),
                    "a throttled label can be retried");
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }
}
