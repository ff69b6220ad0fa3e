package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.DB;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.consumersWithPartitions;
import static io.streamload.connect.ConnectFixture.sinkConfig;
import static io.streamload.connect.ConnectFixture.storedIdCounts;
import static io.streamload.connect.ConnectFixture.uniformOffsets;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * {@code load.mode=merge_commit} on a real Connect worker against the emulator, both targets:
 * the tasks' concurrent loads of a table land in fewer transactions than loads, every record is
 * stored, a key's last change wins on a primary key table, offsets are committed only once the
 * target confirmed; an unknown outcome is sent again and, as documented, the batch may then be
 * stored twice; validation refuses the mode with exactly once on {@code load.mode}.
 * One Connect cluster for the class; each test has its own emulator, topic and connector.
 */
class MergeCommitIT {

    private static final int PARTITIONS = 4;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("streamload-merge-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    private static StreamLoadEmulator emulator(Dialect dialect) {
        // Doris takes its window from the table (group_commit_interval_ms), StarRocks from the load.
        return StreamLoadEmulator.builder().dialect(dialect).credentials(ConnectFixture.USER, ConnectFixture.PASSWORD)
                .backends(2).groupCommitInterval(Duration.ofMillis(300)).start();
    }

    private static Map<String, String> mergeConfig(StreamLoadEmulator emulator, Dialect dialect, String topic,
                                                   String table, int tasks) {
        Map<String, String> config = sinkConfig(emulator, dialect, topic, table, tasks);
        config.put("load.mode", "merge_commit");
        if (dialect == Dialect.STARROCKS) {
            config.put("load.merge.interval.ms", "300");
            config.put("load.merge.parallel", "2");
        }
        config.put("buffer.max.records", "50");
        config.put("buffer.flush.interval.ms", "50");
        return config;
    }

    /**
     * Each partition {@code p} gets {@code count} changes of 50 keys {@code p * 1000 + i % 50},
     * the {@code i}-th carrying name {@code v<i>}: the last change of a key has the highest i.
     */
    private static void produceChanges(String topic, int count) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    String value = "{\"id\":" + (p * 1000 + i % 50) + ",\"name\":\"v" + i + "\"}";
                    producer.send(new ProducerRecord<>(topic, p, null, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void concurrentLoadsAreMergedIntoFewerTransactionsAndEveryKeyKeepsItsLastChange(Dialect dialect) throws Exception {
        String name = "merged-" + dialect.name().toLowerCase(Locale.ROOT);
        String table = name.replace('-', '_');
        try (StreamLoadEmulator emulator = emulator(dialect)) {
            emulator.createTable(TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                    .column("name", "VARCHAR(32)", true).primaryKey("id").build());
            connect.kafka().createTopic(name, PARTITIONS);
            connect.configureConnector(name, mergeConfig(emulator, dialect, name, table, PARTITIONS));
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, PARTITIONS, "tasks running");
            // Loads merge only when tasks send at once: a task sends one load at a time into a
            // primary key table, so a task holding every partition would never overlap itself.
            waitFor(() -> consumersWithPartitions(connect, name) == PARTITIONS, Duration.ofSeconds(60),
                    "every task holds a partition");

            int perPartition = 1_000;
            produceChanges(name, perPartition);
            waitFor(() -> committedOffsets(connect, name).equals(uniformOffsets(PARTITIONS, perPartition)),
                    Duration.ofSeconds(90), "every offset committed");

            List<Map<String, Object>> rows = emulator.rows(DB, table);
            assertEquals(PARTITIONS * 50, rows.size(), "one row per key");
            for (Map<String, Object> row : rows) {
                long key = ((Number) row.get("id")).longValue() % 1000;
                assertEquals("v" + (perPartition - 50 + key), row.get("name"), "the last change of key " + row.get("id"));
            }
            long requests = emulator.loadRequests(DB, table);
            long transactions = emulator.transactions(DB, table);
            assertTrue(requests >= PARTITIONS * perPartition / 50, requests + " load requests");
            assertTrue(transactions < requests, "the target merged " + requests + " loads into " + transactions
                    + " transactions");
            connect.deleteConnector(name);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anUnknownOutcomeIsSentAgainAndItsBatchMayBeStoredTwiceAsDocumented(Dialect dialect) throws Exception {
        String name = "merged-502-" + dialect.name().toLowerCase(Locale.ROOT);
        String table = name.replace('-', '_');
        try (StreamLoadEmulator emulator = emulator(dialect)) {
            ConnectFixture.createTable(emulator, table);
            // The first load commits, then its answer is a gateway's 502: nothing says it loaded.
            emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(1));
            connect.kafka().createTopic(name, 1);
            Map<String, String> config = mergeConfig(emulator, dialect, name, table, 1);
            config.put("buffer.max.records", "100");
            connect.configureConnector(name, config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "task running");

            ConnectFixture.produce(connect, name, 1, 0, 500);
            waitFor(() -> committedOffsets(connect, name).equals(uniformOffsets(1, 500)), Duration.ofSeconds(60),
                    "every offset committed");

            Map<Long, Integer> stored = storedIdCounts(emulator, table);
            assertNull(ConnectFixture.committedPastStored(committedOffsets(connect, name), stored));
            assertEquals(500, stored.size(), "every record stored");
            long twice = stored.values().stream().filter(n -> n == 2).count();
            assertTrue(twice > 0 && twice <= 100, "the batch whose answer was lost is stored twice, and only it: "
                    + twice + " ids twice");
            assertEquals(500 + twice, emulator.rowCount(DB, table));
            ObjectName task = new ObjectName("kafka.connect:type=streamload-sink-task-metrics,connector=" + name
                    + ",task=0");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertEquals(1L, jmx.getAttribute(task, "unknown-outcomes-total"));
            assertEquals(0L, jmx.getAttribute(task, "unknown-resolved-loaded-total"), "no label can say it had loaded");
            connect.deleteConnector(name);
        }
    }

    @Test
    void validationRefusesMergeCommitWithExactlyOnceOnLoadMode() {
        try (StreamLoadEmulator emulator = emulator(Dialect.STARROCKS)) {
            Map<String, String> config = new HashMap<>(mergeConfig(emulator, Dialect.STARROCKS, "t", "t", 1));
            config.put("name", "merge-validate");
            config.put("delivery.guarantee", "exactly_once");
            config.put("exactly.once.log.bootstrap.servers", connect.kafka().bootstrapServers());
            ConfigInfos infos = connect.validateConnectorConfig(StreamLoadSinkConnector.class.getSimpleName(), config);
            assertEquals(1, infos.errorCount(), "one field at fault");
            ConfigInfo mode = infos.values().stream().filter(v -> v.configValue().name().equals("load.mode"))
                    .findFirst().orElseThrow();
            assertTrue(mode.configValue().errors().get(0).contains("at least once only"), mode.toString());
        }
    }
}
