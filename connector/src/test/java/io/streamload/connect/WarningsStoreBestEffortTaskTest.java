package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.streamload.connect.errors.SecretSources;
import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.testing.CredentialsServer;
import io.streamload.warnings.testing.TestMysql;

/**
 * The warnings store is best effort: a task whose store password cannot be read on its worker
 * (file missing, variable unset, or a source the worker's administrator did not allow) starts and loads as usual, rejected records still reach the
 * reporter, nothing reaches the store, and what the store missed is counted in
 * {@code warnings-store-dropped-total}.
 */
class WarningsStoreBestEffortTaskTest {

    private static final String DB = "db";
    private static StreamLoadEmulator emulator;
    private static TestMysql mysql;

    private final Map<SinkRecord, String> reported = new LinkedHashMap<>();
    private StreamLoadSinkTask task;

    @BeforeAll
    static void start() {
        emulator = StreamLoadEmulator.builder().dialect(Dialect.STARROCKS).credentials("root", "secret").start();
        mysql = TestMysql.shared();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void aMissingPasswordFileLeavesLoadingAlone(@TempDir Path dir) throws Exception {
        withWorkerProperty(SecretSources.SECRETS_DIR_PROPERTY, dir.toString(), () ->
                loadsWithoutTheStore("file", mysql.url().toString(),
                        Map.of("load.errors.password.file", dir.resolve("no-such-file").toString()), () -> { }));
    }

    @Test
    void aMissingPasswordVariableLeavesLoadingAlone() throws Exception {
        withWorkerProperty(SecretSources.ENV_PREFIX_PROPERTY, "STREAMLOAD_TEST_", () ->
                loadsWithoutTheStore("env", mysql.url().toString(),
                        Map.of("load.errors.password.env", "STREAMLOAD_TEST_VARIABLE_NOBODY_SETS"), () -> { }));
    }

    /**
     * A REST user names a file of the worker outside the directory its administrator allowed, and
     * a MySQL server of their own as the store: the task loads as usual and the server never gets
     * a password made from the file (the store does not even connect).
     */
    @Test
    void aPasswordFileOutsideTheAllowedDirectoryNeverReachesTheStoreServer(@TempDir Path dir) throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Path outside = Files.writeString(dir.resolve("cloud-credentials"), "cloud-key");
        Files.createSymbolicLink(secrets.resolve("link"), outside);
        for (Path named : List.of(outside, secrets.resolve("link"), Path.of(secrets + "/../cloud-credentials"))) {
            try (CredentialsServer attacker = CredentialsServer.start()) {
                String url = "mysql://loader@127.0.0.1:" + attacker.port() + "/c1?connectTimeout=2000";
                withWorkerProperty(SecretSources.SECRETS_DIR_PROPERTY, secrets.toString(), () ->
                        loadsWithoutTheStore("refused_" + Math.abs(named.toString().hashCode()), url,
                                Map.of("load.errors.password.file", named.toString()), () -> {
                                    CredentialsServer.Login login;
                                    try {
                                        login = attacker.nextLogin(Duration.ofSeconds(2));
                                    } catch (AssertionError noLogin) {
                                        return; // never connected: nothing of the file was sent
                                    }
                                    assertFalse(login.usedPassword("cloud-key"),
                                            named + ": the file's content was sent as the password");
                                    assertArrayEquals(new byte[0], login.scramble(),
                                            named + ": no password at all may be sent");
                                }));
            }
        }
    }

    /** Runs {@code body} on a worker whose administrator set the system property {@code key} to {@code value}. */
    private static void withWorkerProperty(String key, String value, ThrowingRunnable body) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * @param afterLoading runs once the records are loaded, before the store's counters are checked
     */
    private void loadsWithoutTheStore(String name, String url, Map<String, String> passwordSource,
                                      ThrowingRunnable afterLoading) throws Exception {
        String table = "best_effort_" + name;
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", true)
                .duplicateKey("id")
                .build());
        String cluster = mysql.newDatabaseName("best_effort");
        String connector = "best-effort-" + name;
        Map<String, String> props = new HashMap<>();
        props.put("name", connector);
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:" + table);
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.put("errors.tolerance", "all");
        props.put("load.errors.url", url);
        props.put("load.errors.cluster.id", cluster);
        props.putAll(passwordSource);

        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props).withReporter(new CollectingReporter());
        task.initialize(context);
        task.start(props);
        TopicPartition tp = new TopicPartition("topic", 0);
        context.assign(List.of(tp));
        task.open(List.of(tp));

        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 20; offset++) {
            String value = offset == 5 || offset == 12 ? "{\"id\":" + offset + ",\"name\":\"far too long\"}"
                    : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }
        task.put(records);
        assertEquals(Map.of(tp, new OffsetAndMetadata(20)), task.preCommit(Map.of()));

        assertEquals(18, emulator.rowCount(DB, table), "every good record loaded");
        assertEquals(2, reported.size(), "the bad records still reach the reporter");
        afterLoading.run();
        ObjectName metrics = new ObjectName("kafka.connect:type=streamload-sink-task-metrics,connector=" + connector
                + ",task=0");
        long dropped = ((Number) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(metrics, "warnings-store-dropped-total")).longValue();
        assertTrue(dropped >= 2, "each rejected row (and load summary) the store missed is counted: " + dropped);
        task.stop();
        task = null;
        assertEquals(0, mysql.count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                + cluster + "'"), "nothing reached the store");
    }

    private final class CollectingReporter implements ErrantRecordReporter {
        @Override
        public Future<Void> report(SinkRecord record, Throwable error) {
            synchronized (reported) {
                reported.put(record, error.getMessage());
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
