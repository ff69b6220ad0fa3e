package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamload.emulator.table.TableDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Labels: unique per database within the retention window, free again after a failure, and their states. */
class LabelTest {

    private static String state(StreamLoadEmulator e, String label) {
        return Fixtures.loadState(e, label).get("state").asText();
    }

    @Test
    void labelsAreUniquePerDatabaseOnly() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            e.createTable(TableDefinition.builder("other", "t").column("id", "BIGINT", false).build());
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n", "label", "same").get("Status").asText());

            RawHttp.Response r = RawHttp.put(e.feUrl() + "/api/other/t/_stream_load").auth(USER, PASSWORD)
                    .expectContinue().header("label", "same").body("1\n").go();
            assertEquals("Success", r.json().get("Status").asText(), r::toString);
            assertEquals("Label Already Exists", Fixtures.load(e, "t", "2\tb\t2\n", "label", "same").get("Status").asText());
        }
    }

    @Test
    void labelOfAFailedLoadIsReusableAtOnce() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals("Fail", Fixtures.load(e, "t", "x\ta\t1\n", "label", "retry1").get("Status").asText());
            assertEquals("ABORTED", state(e, "retry1"));

            JsonNode retry = Fixtures.load(e, "t", "1\ta\t1\n", "label", "retry1");
            assertEquals("Success", retry.get("Status").asText(), retry::toString);
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void labelIsFreeAgainAfterTheRetentionWindow() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).labelRetention(Duration.ofMillis(300)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "short");
            assertEquals("Label Already Exists", Fixtures.load(e, "t", "1\ta\t1\n", "label", "short").get("Status").asText());

            Await.until("label 'short' expires", () -> "UNKNOWN".equals(e.labelState(DB, "short")));
            assertEquals("Success", Fixtures.load(e, "t", "2\tb\t2\n", "label", "short").get("Status").asText());
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }

    @Test
    void defaultRetentionKeepsLabelsFinished() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "kept");
            assertEquals("VISIBLE", state(e, "kept"));
            assertEquals("FINISHED", Fixtures.load(e, "t", "1\ta\t1\n", "label", "kept").get("ExistingJobStatus").asText());
        }
    }

    @Test
    void getLoadStateBodyShape() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            JsonNode body = Fixtures.loadState(e, "never-used");
            assertEquals(List.of("status", "code", "msg", "message", "state"), RawHttp.keys(body));
            assertEquals("OK", body.get("status").asText());
            assertEquals("0", body.get("code").asText());
            assertEquals("Success", body.get("msg").asText());
            assertEquals("OK", body.get("message").asText());
            assertEquals("UNKNOWN", body.get("state").asText());
        }
    }

    @Test
    void getLoadStateWalksThroughEveryState() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).publishDelay(Duration.ofSeconds(2)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals("UNKNOWN", state(e, "s-run"));

            // PREPARE: a load that is still running.
            e.inject(Fault.of(FaultKind.DELAY).label("s-run").delay(Duration.ofMillis(1200)));
            CompletableFuture<JsonNode> running = CompletableFuture.supplyAsync(
                    () -> Fixtures.load(e, "t", "1\ta\t1\n", "label", "s-run"));
            Await.until("the load is running", () -> e.pendingFaults().isEmpty());
            assertEquals("PREPARE", state(e, "s-run"));
            running.get(10, TimeUnit.SECONDS);
            assertEquals("VISIBLE", state(e, "s-run"));

            // PREPARED: a prepared transaction.
            txn(e, "begin", "s-prep");
            RawHttp.Response load = RawHttp.put(e.feUrl() + "/api/transaction/load").auth(USER, PASSWORD).expectContinue()
                    .headers("label", "s-prep", "db", DB, "table", "t").body("2\tb\t2\n").go();
            assertEquals("OK", load.json().get("Status").asText(), load::toString);
            txn(e, "prepare", "s-prep");
            assertEquals("PREPARED", state(e, "s-prep"));

            // COMMITTED: published late.
            e.inject(Fault.of(FaultKind.PUBLISH_TIMEOUT));
            Fixtures.load(e, "t", "3\tc\t3\n", "label", "s-commit");
            assertEquals("COMMITTED", state(e, "s-commit"));

            // ABORTED: failed.
            Fixtures.load(e, "t", "bad\n", "label", "s-abort");
            assertEquals("ABORTED", state(e, "s-abort"));
        }
    }

    private static void txn(StreamLoadEmulator e, String op, String label) throws Exception {
        RawHttp.Response r = RawHttp.post(e.feUrl() + "/api/transaction/" + op).auth(USER, PASSWORD)
                .headers("label", label, "db", DB, "table", "t").go();
        assertEquals("OK", r.json().get("Status").asText(), r::toString);
    }
}
