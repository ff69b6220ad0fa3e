package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * What the integration tests share: worker and connector configs, producing numbered records,
 * and reading back what the emulator stored and what the consumer group committed.
 *
 * <p>Record ids encode where a record was produced: {@code id = partition * 10,000,000 + index},
 * where index is the record's offset in its partition (topics are fresh and written in order).
 */
final class ConnectFixture {

    static final String DB = "db";
    static final String USER = "root";
    static final String PASSWORD = "secret";
    static final long PARTITION_STRIDE = 10_000_000L;

    private ConnectFixture() {
    }

    static EmbeddedConnectCluster.Builder cluster(String name, int workers) {
        return cluster(name, workers, true);
    }

    /**
     * @param frequentCommits true: the workers commit offsets every 500 ms, so tests see committed
     *        offsets move within seconds; false: at Connect's default interval
     *        ({@code offset.flush.interval.ms}, 60 s), as a worker set up by the book does. A
     *        worker also returns from polling no later than its next commit, so a test of how
     *        soon intake resumes needs the default.
     */
    static EmbeddedConnectCluster.Builder cluster(String name, int workers, boolean frequentCommits) {
        Map<String, String> workerProps = new HashMap<>();
        if (frequentCommits) {
            workerProps.put("offset.flush.interval.ms", "500");
        }
        workerProps.put("scheduled.rebalance.max.delay.ms", "0");
        return new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).workerProps(workerProps);
    }

    static void createTable(StreamLoadEmulator emulator, String table) {
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(32)", true)
                .duplicateKey("id")
                .build());
    }

    static StreamLoadEmulator emulator(Dialect dialect) {
        return StreamLoadEmulator.builder().dialect(dialect).credentials(USER, PASSWORD).start();
    }

    static Map<String, String> sinkConfig(StreamLoadEmulator emulator, String topic, String table, int tasks) {
        return sinkConfig(emulator, Dialect.STARROCKS, topic, table, tasks);
    }

    static Map<String, String> sinkConfig(StreamLoadEmulator emulator, Dialect dialect, String topic, String table,
                                          int tasks) {
        Map<String, String> props = new HashMap<>();
        props.put("target", dialect.name().toLowerCase(java.util.Locale.ROOT));
        props.put("connector.class", StreamLoadSinkConnector.class.getName());
        props.put("tasks.max", Integer.toString(tasks));
        props.put("topics", topic);
        props.put("key.converter", StringConverter.class.getName());
        props.put("value.converter", StringConverter.class.getName());
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", USER);
        props.put("load.password", PASSWORD);
        props.put("load.database", DB);
        props.put("topic2table.map", topic + ":" + table);
        props.put("buffer.flush.interval.ms", "200");
        props.put("buffer.max.records", "5000");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "2000");
        props.put("max.retries", "1000");
        return props;
    }

    /** Produces {@code count} records to each partition, indices from {@code firstIndex}. */
    static void produce(EmbeddedConnectCluster cluster, String topic, int partitions, long firstIndex, int count) {
        produce(cluster.kafka(), topic, partitions, firstIndex, count);
    }

    /** Produces {@code count} records to each partition of a topic of {@code kafka}, indices from {@code firstIndex}. */
    static void produce(EmbeddedKafkaCluster kafka, String topic, int partitions, long firstIndex, int count) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(config)) {
            for (long index = firstIndex; index < firstIndex + count; index++) {
                for (int partition = 0; partition < partitions; partition++) {
                    long id = partition * PARTITION_STRIDE + index;
                    byte[] value = ("{\"id\":" + id + ",\"name\":\"n" + index % 1000 + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(topic, partition, null, value));
                }
            }
            producer.flush();
        }
    }

    /** How often each id is stored. */
    static Map<Long, Integer> storedIdCounts(StreamLoadEmulator emulator, String table) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (Map<String, Object> row : emulator.rows(DB, table)) {
            counts.merge(((Number) row.get("id")).longValue(), 1, Integer::sum);
        }
        return counts;
    }

    /** Asserts that ids {@code 0..count-1} of every partition are stored exactly once, and nothing else. */
    static void assertEveryIdExactlyOnce(StreamLoadEmulator emulator, String table, int partitions, long count) {
        Map<Long, Integer> counts = storedIdCounts(emulator, table);
        long duplicates = counts.values().stream().filter(n -> n > 1).count();
        long missing = 0;
        for (int partition = 0; partition < partitions; partition++) {
            for (long index = 0; index < count; index++) {
                if (!counts.containsKey(partition * PARTITION_STRIDE + index)) {
                    missing++;
                }
            }
        }
        assertEquals(0, missing, "ids missing");
        assertEquals(0, duplicates, "ids stored more than once");
        assertEquals(partitions * count, counts.size(), "ids stored");
    }

    /** Asserts that ids {@code 0..count-1} of every partition are stored at least once. */
    static void assertNoIdMissing(StreamLoadEmulator emulator, String table, int partitions, long count) {
        Map<Long, Integer> counts = storedIdCounts(emulator, table);
        long missing = 0;
        for (int partition = 0; partition < partitions; partition++) {
            for (long index = 0; index < count; index++) {
                if (!counts.containsKey(partition * PARTITION_STRIDE + index)) {
                    missing++;
                }
            }
        }
        assertEquals(0, missing, "ids missing");
    }

    /** How many of the connector's consumers (its tasks) hold at least one partition now. */
    static long consumersWithPartitions(EmbeddedConnectCluster cluster, String connector)
            throws ExecutionException, InterruptedException {
        String group = "connect-" + connector;
        try (Admin admin = cluster.kafka().createAdminClient()) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).count();
        }
    }

    /** The consumer group offsets the connector committed, by partition number. */
    static Map<Integer, Long> committedOffsets(EmbeddedConnectCluster cluster, String connector)
            throws ExecutionException, InterruptedException {
        return committedOffsets(cluster.kafka(), connector);
    }

    /** The consumer group offsets the connector committed in {@code kafka}, by partition number. */
    static Map<Integer, Long> committedOffsets(EmbeddedKafkaCluster kafka, String connector)
            throws ExecutionException, InterruptedException {
        try (Admin admin = kafka.createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> byPartition = new TreeMap<>();
            offsets.forEach((tp, offset) -> {
                if (offset != null) {
                    byPartition.put(tp.partition(), offset.offset());
                }
            });
            return byPartition;
        }
    }

    /**
     * The first committed offset (by partition) that points past a record the emulator does not
     * store, or null when every committed offset is covered by stored rows.
     */
    static String committedPastStored(Map<Integer, Long> committed, Map<Long, Integer> stored) {
        for (Map.Entry<Integer, Long> entry : committed.entrySet()) {
            long base = entry.getKey() * PARTITION_STRIDE;
            for (long index = 0; index < entry.getValue(); index++) {
                if (!stored.containsKey(base + index)) {
                    return "partition " + entry.getKey() + " committed " + entry.getValue()
                            + " but offset " + index + " is not stored";
                }
            }
        }
        return null;
    }

    static Map<Integer, Long> uniformOffsets(int partitions, long offset) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            offsets.put(partition, offset);
        }
        return offsets;
    }
}
