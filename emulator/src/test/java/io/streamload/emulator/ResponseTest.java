package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stream load answers: field names, types and order per dialect, and every Status. */
class ResponseTest {
    static final List<String> STARROCKS_FIELDS = List.of("TxnId", "Label", "Status", "Message", "NumberTotalRows",
            "NumberLoadedRows", "NumberFilteredRows", "NumberUnselectedRows", "LoadBytes", "LoadTimeMs",
            "BeginTxnTimeMs", "StreamLoadPlanTimeMs", "ReadDataTimeMs", "WriteDataTimeMs", "CommitAndPublishTimeMs");
    static final List<String> DORIS_FIELDS = List.of("TxnId", "Label", "Comment", "TwoPhaseCommit", "Status", "Message",
            "NumberTotalRows", "NumberLoadedRows", "NumberFilteredRows", "NumberUnselectedRows", "LoadBytes", "LoadTimeMs",
            "BeginTxnTimeMs", "StreamLoadPutTimeMs", "ReadDataTimeMs", "WriteDataTimeMs", "CommitAndPublishTimeMs");

    private static List<String> with(List<String> fields, String after, String added) {
        List<String> out = new ArrayList<>(fields);
        out.add(after == null ? out.size() : out.indexOf(after) + 1, added);
        return out;
    }

    private static void assertNumbers(JsonNode reply, List<String> names) {
        for (String n : names) {
            if (n.startsWith("Number") || n.endsWith("Ms") || n.equals("LoadBytes") || n.equals("TxnId")) {
                assertTrue(reply.get(n).isIntegralNumber(), n + " must be an integer: " + reply);
            }
        }
    }

    @Test
    void starRocksSuccessFieldsInOrder() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            String body = "1\ta\t1\n2\tb\t2\n";
            JsonNode reply = Fixtures.load(e, "t", body, "label", "ok1");

            assertEquals(STARROCKS_FIELDS, RawHttp.keys(reply));
            assertNumbers(reply, STARROCKS_FIELDS);
            assertTrue(reply.get("TxnId").asLong() > 0);
            assertEquals("ok1", reply.get("Label").asText());
            assertEquals("Success", reply.get("Status").asText());
            assertEquals("OK", reply.get("Message").asText());
            assertEquals(2, reply.get("NumberTotalRows").asLong());
            assertEquals(2, reply.get("NumberLoadedRows").asLong());
            assertEquals(0, reply.get("NumberFilteredRows").asLong());
            assertEquals(0, reply.get("NumberUnselectedRows").asLong());
            assertEquals(body.length(), reply.get("LoadBytes").asLong());
        }
    }

    @Test
    void starRocksErrorUrlComesLast() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\nx\ty\n", "max_filter_ratio", "0.5");

            assertEquals(with(STARROCKS_FIELDS, null, "ErrorURL"), RawHttp.keys(reply));
            assertTrue(reply.get("ErrorURL").isTextual());
        }
    }

    @Test
    void dorisSuccessFieldsInOrderWithTwoPhaseCommitAsString() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n", "label", "ok1");

            assertEquals(DORIS_FIELDS, RawHttp.keys(reply));
            assertNumbers(reply, DORIS_FIELDS);
            assertTrue(reply.get("TwoPhaseCommit").isTextual(), "TwoPhaseCommit is a string in Doris");
            assertEquals("false", reply.get("TwoPhaseCommit").asText());
            assertEquals("Success", reply.get("Status").asText());
            assertEquals("OK", reply.get("Message").asText());
        }
    }

    @Test
    void failHasTheSameFieldsAndAMessage() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n", "columns", "id,nope,score");

            assertEquals("Fail", reply.get("Status").asText());
            assertEquals(STARROCKS_FIELDS, RawHttp.keys(reply));
            assertTrue(reply.get("Message").asText().contains("nope"), reply::toString);
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    @Test
    void dorisFailMessageCarriesItsCode() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\nx\ty\tz\n");

            assertEquals("Fail", reply.get("Status").asText());
            assertEquals(with(DORIS_FIELDS, null, "ErrorURL"), RawHttp.keys(reply));
            assertEquals("[DATA_QUALITY_ERROR]too many filtered rows", reply.get("Message").asText());
        }
    }

    @Test
    void publishTimeoutIsCommittedButVisibleOnlyLater() {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).publishDelay(Duration.ofSeconds(2)).start()) {
            e.createTable(Fixtures.duplicate("t"));
            e.inject(Fault.of(FaultKind.PUBLISH_TIMEOUT));
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n", "label", "pt1");

            assertEquals("Publish Timeout", reply.get("Status").asText(), reply::toString);
            assertEquals(STARROCKS_FIELDS, RawHttp.keys(reply));
            assertEquals(1, reply.get("NumberLoadedRows").asLong());
            assertEquals("COMMITTED", e.labelState(DB, "pt1"));
            assertEquals(0, e.rowCount(DB, "t"), "committed but not yet visible");

            JsonNode again = Fixtures.load(e, "t", "1\ta\t1\n", "label", "pt1");
            assertEquals("Label Already Exists", again.get("Status").asText());
            assertEquals("FINISHED", again.get("ExistingJobStatus").asText(), "COMMITTED counts as finished");

            Await.until("pt1 becomes VISIBLE", () -> "VISIBLE".equals(e.labelState(DB, "pt1")));
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void labelAlreadyExistsFinishedAfterCommit() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "dup1");
            JsonNode reply = Fixtures.load(e, "t", "2\tb\t2\n", "label", "dup1");

            assertEquals(with(STARROCKS_FIELDS, "Status", "ExistingJobStatus"), RawHttp.keys(reply));
            assertEquals(-1, reply.get("TxnId").asLong());
            assertEquals("Label Already Exists", reply.get("Status").asText());
            assertEquals("FINISHED", reply.get("ExistingJobStatus").asText());
            assertEquals("Label [dup1] has already been used.", reply.get("Message").asText());
            assertEquals(1, e.rowCount(DB, "t"), "the duplicate is not loaded");
        }
    }

    @Test
    void labelAlreadyExistsRunningWhileTheFirstLoadRuns() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            e.inject(Fault.of(FaultKind.DELAY).label("slow").delay(Duration.ofMillis(1500)));
            CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
                    () -> Fixtures.load(e, "t", "1\ta\t1\n", "label", "slow1"));
            Await.until("the first load holds its delay", () -> e.pendingFaults().isEmpty());

            JsonNode second = Fixtures.load(e, "t", "2\tb\t2\n", "label", "slow1");
            assertEquals("Label Already Exists", second.get("Status").asText(), second::toString);
            assertEquals("RUNNING", second.get("ExistingJobStatus").asText());
            assertEquals(-1, second.get("TxnId").asLong());

            assertEquals("Success", first.get(10, TimeUnit.SECONDS).get("Status").asText());
            assertEquals(1, e.rowCount(DB, "t"));
            assertEquals("FINISHED", Fixtures.load(e, "t", "2\tb\t2\n", "label", "slow1")
                    .get("ExistingJobStatus").asText());
        }
    }

    @Test
    void dorisLabelAlreadyExistsFieldsInOrder() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            Fixtures.load(e, "t", "1\ta\t1\n", "label", "dup1");
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n", "label", "dup1");

            assertEquals(with(DORIS_FIELDS, "Status", "ExistingJobStatus"), RawHttp.keys(reply));
            assertEquals("Label Already Exists", reply.get("Status").asText());
            assertEquals("FINISHED", reply.get("ExistingJobStatus").asText());
            assertTrue(reply.get("Message").asText().contains("Label [dup1] has already been used."), reply::toString);
        }
    }
}
