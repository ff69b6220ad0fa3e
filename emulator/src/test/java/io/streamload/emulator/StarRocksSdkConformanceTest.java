package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.starrocks.data.load.stream.LabelGenerator;
import com.starrocks.data.load.stream.LabelGeneratorFactory;
import com.starrocks.data.load.stream.StreamLoadDataFormat;
import com.starrocks.data.load.stream.StreamLoadSnapshot;
import com.starrocks.data.load.stream.TransactionStatus;
import com.starrocks.data.load.stream.properties.StreamLoadProperties;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;
import com.starrocks.data.load.stream.v2.StreamLoadManagerV2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * StarRocks' own Stream Load client ({@code com.starrocks:starrocks-stream-load-sdk}, the one inside
 * its Flink and Spark connectors) against the emulator's StarRocks dialect: a client written by the
 * server's authors, so whatever it needs is what a StarRocks cluster does. It loads through the FE as
 * it would in production: stream loads, transaction loads committed by the SDK itself, and the manual
 * begin/load/prepare/commit/rollback path; CSV and JSON, plain and {@code lz4_frame}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StarRocksSdkConformanceTest {
    private static final String TABLE = "t";

    private StreamLoadEmulator e;
    private final List<StreamLoadManagerV2> managers = new ArrayList<>();

    @BeforeEach
    void start() {
        e = Fixtures.builder(Dialect.STARROCKS).backends(3).start();
        e.createTable(Fixtures.primary(TABLE));
    }

    @AfterEach
    void stop() {
        managers.forEach(StreamLoadManagerV2::close);
        e.close();
    }

    /** How a test sets up the SDK: the body format, compression, loads or transactions, labels. */
    private final class Sdk {
        private StreamLoadDataFormat format = StreamLoadDataFormat.CSV;
        private String compression;
        private boolean transaction;
        private boolean autoCommit = true;
        private long chunkBytes = 1 << 20;
        private LabelGeneratorFactory labels;
        private boolean mergeCommit;

        Sdk json() {
            format = StreamLoadDataFormat.JSON;
            return this;
        }

        Sdk lz4() {
            compression = "lz4_frame";
            return this;
        }

        Sdk transactions() {
            transaction = true;
            return this;
        }

        /** Transactions the test prepares, commits or aborts itself. */
        Sdk manualCommit() {
            transaction = true;
            autoCommit = false;
            return this;
        }

        /**
         * Merge commit headers (3.4+), passed as any data header: SDK 1.0 predates merge commit
         * and sends them through without knowing them.
         */
        Sdk mergeCommit() {
            mergeCommit = true;
            return this;
        }

        /** Every chunk of at most this many bytes is a load of its own. */
        Sdk chunkBytes(long bytes) {
            chunkBytes = bytes;
            return this;
        }

        /** The labels the SDK takes, in turn, for the loads or transactions it starts. */
        Sdk labels(String... fixed) {
            ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(Arrays.asList(fixed));
            labels = (db, table) -> (LabelGenerator) () -> {
                String next = queue.poll();
                if (next == null) {
                    throw new IllegalStateException("the test gave the SDK no label for this load");
                }
                return next;
            };
            return this;
        }

        /**
         * The manager as the Flink connector sets it up (StarRocksSinkOptions): the data headers go
         * both to the defaults of every request and to the table's common properties.
         */
        StreamLoadManagerV2 start() {
            StreamLoadTableProperties.Builder table = StreamLoadTableProperties.builder()
                    .database(DB).table(TABLE).streamLoadDataFormat(format).chunkLimit(chunkBytes);
            Map<String, String> headers = new HashMap<>();
            headers.put("timeout", "30");
            if (format == StreamLoadDataFormat.JSON) {
                headers.put("format", "json");
                headers.put("strip_outer_array", "true");
                headers.put("ignore_json_size", "true");
            } else {
                headers.put("format", "csv");
                headers.put("column_separator", ",");
            }
            if (compression != null) {
                headers.put("compression", compression);
            }
            if (mergeCommit) {
                headers.put("enable_merge_commit", "true");
                headers.put("merge_commit_interval_ms", "500");
                headers.put("merge_commit_parallel", "2");
            }
            table.addCommonProperties(headers);
            StreamLoadProperties.Builder properties = StreamLoadProperties.builder()
                    .loadUrls(e.feUrl())
                    .username(USER)
                    .password(PASSWORD)
                    .connectTimeout(5_000)
                    .socketTimeout(20_000)
                    .ioThreadCount(2)
                    .labelPrefix("sdk")
                    .addHeaders(headers)
                    .defaultTableProperties(table.build());
            if (transaction) {
                properties.enableTransaction();
            }
            StreamLoadManagerV2 manager = new StreamLoadManagerV2(properties.build(), autoCommit);
            if (labels != null) {
                manager.setLabelGeneratorFactory(labels);
            }
            manager.init();
            managers.add(manager);
            return manager;
        }
    }

    private Sdk sdk() {
        return new Sdk();
    }

    private static void writeCsv(StreamLoadManagerV2 m, String... rows) {
        m.write(null, DB, TABLE, rows);
    }

    /** Rows of {@code t} as (id, name, score). */
    private List<List<Object>> rows() {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, TABLE)) {
            out.add(Arrays.asList(r.get("id"), r.get("name"), r.get("score")));
        }
        return out;
    }

    private static List<Object> row(Object... v) {
        return Arrays.asList(v);
    }

    private static TransactionStatus state(StreamLoadManagerV2 m, String label) throws Exception {
        return m.getStreamLoader().getLoadStatus(DB, TABLE, label);
    }

    // --- stream loads ---------------------------------------------------------------------------

    @Test
    void streamLoadCsv() {
        StreamLoadManagerV2 m = sdk().start();
        writeCsv(m, "1,a,10", "2,b,20");
        m.flush();
        writeCsv(m, "3,c,30");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L), row(3L, "c", 30L)), rows());
    }

    @Test
    void mergeCommitLoadsOfSeveralClientsAtOnceShareTransactions() throws Exception {
        List<StreamLoadManagerV2> clients = List.of(sdk().mergeCommit().start(), sdk().mergeCommit().start(),
                sdk().mergeCommit().start(), sdk().mergeCommit().start());
        List<java.util.concurrent.CompletableFuture<Void>> flushes = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            StreamLoadManagerV2 m = clients.get(i);
            writeCsv(m, (i + 1) + ",n" + i + "," + i);
            flushes.add(java.util.concurrent.CompletableFuture.runAsync(m::flush));
        }
        for (java.util.concurrent.CompletableFuture<Void> f : flushes) {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(4, rows().size(), rows().toString());
        assertEquals(4, e.loadRequests(DB, TABLE));
        assertTrue(e.transactions(DB, TABLE) < 4, "4 loads within one 500 ms window, got "
                + e.transactions(DB, TABLE) + " transactions");
        assertTrue(e.loads().stream().allMatch(r -> r.label().startsWith("merge_commit_")),
                "the server's labels, not the SDK's");
    }

    @Test
    void streamLoadJson() {
        StreamLoadManagerV2 m = sdk().json().start();
        m.write(null, DB, TABLE, "{\"id\":1,\"name\":\"a\",\"score\":10}", "{\"id\":2,\"name\":\"b\"}");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", null)), rows());
    }

    @Test
    void streamLoadCsvLz4Frame() {
        StreamLoadManagerV2 m = sdk().lz4().start();
        writeCsv(m, "1,a,10", "2,b,20");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
    }

    @Test
    void streamLoadJsonLz4Frame() {
        StreamLoadManagerV2 m = sdk().json().lz4().start();
        m.write(null, DB, TABLE, "{\"id\":1,\"name\":\"a\",\"score\":10}", "{\"id\":2,\"name\":\"b\",\"score\":20}");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
    }

    // --- transaction loads, committed by the SDK --------------------------------------------------

    @Test
    void transactionCsvOfSeveralLoads() {
        // 8-byte chunks: each row is a /api/transaction/load of its own, all in one transaction.
        StreamLoadManagerV2 m = sdk().transactions().chunkBytes(8).labels("txcsv1").start();
        writeCsv(m, "1,a,10", "2,b,20", "3,c,30");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L), row(3L, "c", 30L)), rows());
        assertEquals("VISIBLE", e.labelState(DB, "txcsv1"));
    }

    @Test
    void transactionJson() {
        StreamLoadManagerV2 m = sdk().transactions().json().start();
        m.write(null, DB, TABLE, "{\"id\":1,\"name\":\"a\",\"score\":10}", "{\"id\":2,\"name\":\"b\",\"score\":20}");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
    }

    @Test
    void transactionCsvLz4Frame() {
        StreamLoadManagerV2 m = sdk().transactions().lz4().chunkBytes(8).start();
        writeCsv(m, "1,a,10", "2,b,20");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
    }

    @Test
    void transactionJsonLz4Frame() {
        StreamLoadManagerV2 m = sdk().transactions().json().lz4().start();
        m.write(null, DB, TABLE, "{\"id\":1,\"name\":\"a\",\"score\":10}", "{\"id\":2,\"name\":\"b\",\"score\":20}");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
    }

    // --- labels -----------------------------------------------------------------------------------

    @Test
    void aFinishedLabelUsedAgainLoadsNothingAndTheSdkTakesItAsDone() throws Exception {
        StreamLoadManagerV2 m = sdk().labels("twice", "twice").start();
        assertEquals(TransactionStatus.UNKNOWN, state(m, "twice"));
        writeCsv(m, "1,a,10");
        m.flush();
        assertEquals(TransactionStatus.VISIBLE, state(m, "twice"));

        // Label Already Exists with ExistingJobStatus FINISHED: the SDK counts the batch as loaded.
        writeCsv(m, "2,b,20");
        m.flush();
        assertEquals(List.of(row(1L, "a", 10L)), rows(), "the second batch under a used label is not loaded");
        assertEquals(TransactionStatus.VISIBLE, state(m, "twice"));
    }

    @Test
    void aLabelStillRunningFailsTheLoad() throws Exception {
        StreamLoadManagerV2 open = sdk().manualCommit().labels("busy").start();
        writeCsv(open, "1,a,10");
        open.flush();
        assertEquals(TransactionStatus.PREPARE, state(open, "busy"));

        StreamLoadManagerV2 m = sdk().labels("busy").start();
        writeCsv(m, "2,b,20");
        RuntimeException failed = assertThrows(RuntimeException.class, m::flush);
        assertTrue(String.valueOf(failed.getMessage()).contains("label existed")
                && failed.getMessage().contains("existingJobStatus: RUNNING"), failed::toString);
        assertEquals(List.of(), rows());
    }

    @Test
    void aTransactionLabelUsedAgainIsRefusedAtBegin() {
        StreamLoadManagerV2 first = sdk().transactions().labels("txtwice").start();
        writeCsv(first, "1,a,10");
        first.flush();

        StreamLoadManagerV2 again = sdk().transactions().labels("txtwice").start();
        writeCsv(again, "2,b,20");
        RuntimeException failed = assertThrows(RuntimeException.class, again::flush);
        assertTrue(failed.toString().contains("LABEL_ALREADY_EXISTS"), failed::toString);
        assertEquals(List.of(row(1L, "a", 10L)), rows());
    }

    // --- the manual path: begin, load, prepare, then commit or rollback ---------------------------

    @Test
    void manualPrepareThenCommit() throws Exception {
        StreamLoadManagerV2 m = sdk().manualCommit().labels("manual1").start();
        writeCsv(m, "1,a,10", "2,b,20");
        m.flush();
        assertEquals(TransactionStatus.PREPARE, state(m, "manual1"));
        StreamLoadSnapshot snapshot = m.snapshot();

        assertTrue(m.prepare(snapshot));
        assertEquals(TransactionStatus.PREPARED, state(m, "manual1"));
        assertEquals(List.of(), rows(), "a prepared transaction is not visible");

        assertTrue(m.commit(snapshot));
        assertEquals(TransactionStatus.VISIBLE, state(m, "manual1"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows());
        assertEquals(null, m.getException());
    }

    @Test
    void manualCommitSentAgainIsAcceptedAndLoadsNothingTwice() throws Exception {
        StreamLoadManagerV2 m = sdk().manualCommit().labels("manual2").start();
        writeCsv(m, "1,a,10");
        m.flush();
        StreamLoadSnapshot snapshot = m.snapshot();
        assertTrue(m.prepare(snapshot));
        assertTrue(m.commit(snapshot));

        // A committer that restarts from its checkpoint commits the same labels again.
        StreamLoadManagerV2 restarted = sdk().manualCommit().start();
        StreamLoadSnapshot replay = new StreamLoadSnapshot();
        replay.setTransactions(List.of(new StreamLoadSnapshot.Transaction(DB, TABLE, "manual2")));
        assertTrue(restarted.commit(replay));
        assertEquals(List.of(row(1L, "a", 10L)), rows());
    }

    @Test
    void manualCommitWithoutPrepare() throws Exception {
        StreamLoadManagerV2 m = sdk().manualCommit().labels("manual3").start();
        writeCsv(m, "1,a,10");
        m.flush();
        assertTrue(m.commit(m.snapshot()));
        assertEquals(TransactionStatus.VISIBLE, state(m, "manual3"));
        assertEquals(List.of(row(1L, "a", 10L)), rows());
    }

    @Test
    void manualRollbackOfALoadedTransaction() throws Exception {
        StreamLoadManagerV2 m = sdk().manualCommit().labels("manual4", "manual4").start();
        writeCsv(m, "1,a,10");
        m.flush();
        assertTrue(m.abort(m.snapshot()));
        assertEquals(TransactionStatus.ABORTED, state(m, "manual4"));
        assertEquals(List.of(), rows());

        // An aborted label is free again.
        writeCsv(m, "2,b,20");
        m.flush();
        assertTrue(m.commit(m.snapshot()));
        assertEquals(List.of(row(2L, "b", 20L)), rows());
    }

    @Test
    void manualRollbackOfAPreparedTransaction() throws Exception {
        StreamLoadManagerV2 m = sdk().manualCommit().labels("manual5").start();
        writeCsv(m, "1,a,10");
        m.flush();
        StreamLoadSnapshot snapshot = m.snapshot();
        assertTrue(m.prepare(snapshot));
        assertTrue(m.abort(snapshot));
        assertEquals(TransactionStatus.ABORTED, state(m, "manual5"));
        assertEquals(List.of(), rows());
    }

    @Test
    void severalTransactionsAtOnceOverSeveralBackends() throws Exception {
        List<StreamLoadManagerV2> open = new ArrayList<>();
        List<StreamLoadSnapshot> snapshots = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            StreamLoadManagerV2 m = sdk().manualCommit().chunkBytes(8).labels("many" + i).start();
            writeCsv(m, i + ",x" + i + "," + i, (i + 10) + ",y" + i + "," + i);
            m.flush();
            open.add(m);
            snapshots.add(m.snapshot());
        }
        for (int i = 0; i < open.size(); i++) {
            assertTrue(open.get(i).prepare(snapshots.get(i)));
        }
        for (int i = 0; i < open.size(); i++) {
            assertTrue(open.get(i).commit(snapshots.get(i)));
            assertEquals(TransactionStatus.VISIBLE, state(open.get(i), "many" + (i + 1)));
        }
        assertEquals(8, e.rowCount(DB, TABLE));
    }
}
