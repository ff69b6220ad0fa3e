package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
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

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.testing.TestMysql;

/**
 * The warnings store is best effort: a task whose store password cannot be read on its worker
 * (file missing, variable unset) starts and loads as usual, rejected records still reach the
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
        loadsWithoutTheStore("file", Map.of("load.errors.password.file", dir.resolve("no-such-file").toString()));
    }

    @Test
    void aMissingPasswordVariableLeavesLoadingAlone() throws Exception {
        loadsWithoutTheStore("env", Map.of("load.errors.password.env", "STREAMLOAD_TEST_VARIABLE_NOBODY_SETS"));
    }

    private void loadsWithoutTheStore(String name, Map<String, String> passwordSource) throws Exception {
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
        props.put("load.errors.url", mysql.url().toString());
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
