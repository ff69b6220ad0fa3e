package io.streamload.packaging;

import static io.streamload.packaging.ConnectWorker.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * The plugin archive on real distributed workers of every Apache Kafka Connect version users run.
 * Each version's worker is its own JVM, started with {@code ConnectDistributed} on the class path
 * of that version's {@code connect-runtime} (module {@code connect-workers}), against a broker and
 * the Stream Load emulator in this JVM. On each: records are loaded; bad records go to the dead
 * letter queue with the reason; a bad config is refused over REST, naming the field; the task's
 * metrics are read over JMX; a topic-renaming transform is handled as that version allows; and
 * the worker's log shows no error of the connector and no missing class or method.
 *
 * <p>Which versions run: {@code streamload.connect.versions} (comma-separated lines such as
 * {@code 3.4,4.1}), set by the build (see the root README's table); all of them when unset.
 */
@ParameterizedClass(name = "Connect {0}")
@MethodSource("versions")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectVersionsIT {

    static final List<String> ALL_VERSIONS = List.of("3.4", "3.6", "3.9", "4.0", "4.1");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "shop";
    private static final String USER = "loader";
    /** Distinctive, so that the worker's log can be searched for it. */
    private static final String PASSWORD = "pw-4c1e9b-not-for-logs";
    private static final String ERROR_MESSAGE_HEADER = "__connect.errors.exception.message";
    private static final String TASK_METRICS = "kafka.connect:type=streamload-sink-task-metrics";
    /** What a worker's log must never hold: an API the plugin calls missing from the worker. */
    private static final List<String> LINKAGE_ERRORS = List.of("NoSuchMethodError", "NoClassDefFoundError",
            "AbstractMethodError", "IncompatibleClassChangeError", "ClassNotFoundException: org.apache.kafka",
            "LinkageError");

    private static EmbeddedKafkaCluster kafka;
    private static StreamLoadEmulator emulator;
    private static ConnectWorker worker;
    private static long workerStartedAt;
    /** Connectors of this version whose task is meant to fail: their errors are no surprise in the log. */
    private static final List<String> expectedFailures = new ArrayList<>();

    @Parameter
    String line;

    static Stream<String> versions() {
        String chosen = System.getProperty("streamload.connect.versions", "");
        if (chosen.isBlank()) {
            return ALL_VERSIONS.stream();
        }
        List<String> versions = Stream.of(chosen.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        for (String version : versions) {
            if (!ALL_VERSIONS.contains(version)) {
                throw new IllegalArgumentException("streamload.connect.versions names " + version
                        + ", which has no worker module; known: " + ALL_VERSIONS);
            }
        }
        return versions.stream();
    }

    @BeforeAll
    static void startBrokerAndTarget() {
        Properties broker = new Properties();
        // Each connector's consumer group, and each worker's group, would wait 3 s for more members.
        broker.put("group.initial.rebalance.delay.ms", "0");
        kafka = new EmbeddedKafkaCluster(1, broker);
        kafka.start();
        emulator = StreamLoadEmulator.builder().credentials(USER, PASSWORD).start();
    }

    @AfterAll
    static void stopBrokerAndTarget() {
        if (emulator != null) {
            emulator.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @BeforeParameterizedClassInvocation
    static void startWorker(String line) throws Exception {
        workerStartedAt = System.nanoTime();
        expectedFailures.clear();
        Path dir = Path.of("target", "connect-" + line).toAbsolutePath();
        worker = ConnectWorker.start(line, dir, kafka.bootstrapServers(), "matrix-" + slug(line));
        System.out.printf("%s up in %.1f s%n", worker, seconds(workerStartedAt));
    }

    @AfterParameterizedClassInvocation
    static void stopWorker(String line) throws Exception {
        if (worker == null) {
            return;
        }
        try {
            worker.close();
            assertFalse(worker.stoppedByForce(), worker + " did not stop within a minute of SIGTERM");
        } finally {
            String took = String.format("Connect %s (%s): %.1f s, worker start to stop%n", line,
                    worker.kafkaVersion(), seconds(workerStartedAt));
            System.out.print(took);
            Files.writeString(worker.log().resolveSibling("took.txt"), took);
            worker = null;
        }
    }

    @Test
    @Order(1)
    void recordsProducedToATopicAreStoredInTheTable() throws Exception {
        String name = "orders-" + slug(line);
        createTable(name.replace('-', '_'));
        kafka.createTopic(name, 2);
        worker.putConnector(name, sinkConfig(name, name.replace('-', '_'), 2));
        worker.awaitRunning(name, 2);

        int count = 400;
        produce(name, count, id -> "{\"id\":" + id + ",\"customer\":\"c" + id + "\"}");
        waitFor(() -> emulator.rowCount(DB, name.replace('-', '_')) >= count, Duration.ofSeconds(60),
                () -> "rows stored: " + emulator.rowCount(DB, name.replace('-', '_')) + " of " + count);
        assertEquals(count, emulator.rowCount(DB, name.replace('-', '_')), "rows stored");
        waitFor(() -> committed(name).equals(Map.of(0, (long) count / 2, 1, (long) count / 2)),
                Duration.ofSeconds(30), () -> "offsets committed past every record: " + committed(name));
        worker.awaitRunning(name, 2);
        worker.deleteConnector(name);
    }

    @Test
    @Order(2)
    void badRecordsGoToTheDeadLetterQueueWithTheReason() throws Exception {
        String name = "rejects-" + slug(line);
        String table = name.replace('-', '_');
        String dlq = "dlq-" + slug(line);
        createTable(table);
        kafka.createTopic(name, 1);
        // Created up front, as an operator would: a worker that creates it logs an ERROR first.
        kafka.createTopic(dlq, 1);
        Map<String, String> config = sinkConfig(name, table, 1);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        worker.putConnector(name, config);
        worker.awaitRunning(name, 1);

        // One the connector cannot encode (found in put()), one the target refuses (found by a load).
        String malformed = "{\"id\":7,\"customer\":";
        String refused = "{\"id\":null,\"customer\":\"nobody\"}";
        produce(name, 50, id -> id == 7 ? malformed : id == 23 ? refused
                : "{\"id\":" + id + ",\"customer\":\"c" + id + "\"}");

        waitFor(() -> emulator.rowCount(DB, table) >= 48, Duration.ofSeconds(60),
                () -> "good rows stored: " + emulator.rowCount(DB, table) + " of 48");
        Map<String, String> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.consume(2, 60_000, dlq)) {
            Header reason = record.headers().lastHeader(ERROR_MESSAGE_HEADER);
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertNotNull(reason, "the dead letter queue record " + value + " has no " + ERROR_MESSAGE_HEADER);
            reasons.put(value, new String(reason.value(), StandardCharsets.UTF_8));
        }
        assertEquals(new TreeSet<>(List.of(malformed, refused)), reasons.keySet(),
                "the bad records, with their original bytes, and nothing else");
        assertTrue(reasons.get(malformed).contains("not a valid JSON object"), reasons.toString());
        assertTrue(reasons.get(refused).contains("NULL value in non-nullable column 'id'"), reasons.toString());
        assertEquals(48, emulator.rowCount(DB, table), "every good record stored once");
        // Reported from a load thread, which logs under the task's name as Connect's own lines do.
        List<String> reported = worker.logLines().stream()
                .filter(l -> l.contains("Not loaded: StarRocks rejected the row")).toList();
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).contains("[" + name + "|task-0]"), reported.get(0));
        waitFor(() -> committed(name).equals(Map.of(0, 50L)), Duration.ofSeconds(30),
                () -> "offsets committed past the bad records: " + committed(name));
        worker.awaitRunning(name, 1);
        worker.deleteConnector(name);
    }

    @Test
    @Order(3)
    void aBadConfigIsRefusedOverRestNamingTheField() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("name", "invalid-" + slug(line));
        config.put("connector.class", PluginArchive.CONNECTOR_CLASS);
        config.put("topics", "orders");
        config.put("load.urls", "http://fe1:8030,http://root:" + PASSWORD + "@fe2:8030");
        config.put("load.user", USER);
        config.put("load.database", DB);
        config.put("max.retries", "many");
        var response = worker.put("connector-plugins/StreamLoadSinkConnector/config/validate", config);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());

        Map<String, List<String>> errors = new TreeMap<>();
        for (JsonNode entry : result.path("configs")) {
            List<String> messages = new ArrayList<>();
            entry.path("value").path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(entry.path("value").path("name").asText(), messages);
            }
        }
        assertEquals(Set.of("load.urls", "max.retries"), errors.keySet(), errors.toString());
        assertEquals(errors.values().stream().mapToInt(List::size).sum(), result.path("error_count").asInt(),
                "error_count");
        assertTrue(errors.get("load.urls").get(0).contains("load.urls"), errors.toString());
        assertTrue(errors.get("max.retries").get(0).contains("max.retries"), errors.toString());
        assertFalse(response.body().contains(PASSWORD), "the validation answer echoes the password");
    }

    @Test
    @Order(4)
    void theTaskMetricsOverJmxCountWhatWasLoaded() throws Exception {
        String name = "metrics-" + slug(line);
        String table = name.replace('-', '_');
        createTable(table);
        kafka.createTopic(name, 1);
        worker.putConnector(name, sinkConfig(name, table, 1));
        worker.awaitRunning(name, 1);

        int count = 250;
        produce(name, count, id -> "{\"id\":" + id + ",\"customer\":\"c" + id + "\"}");
        waitFor(() -> emulator.rowCount(DB, table) >= count, Duration.ofSeconds(60),
                () -> "rows stored: " + emulator.rowCount(DB, table) + " of " + count);

        ObjectName task = new ObjectName(TASK_METRICS + ",connector=" + name + ",task=0");
        waitFor(() -> metric(task, "records-loaded-total") >= count, Duration.ofSeconds(30),
                () -> "records-loaded-total of " + task + " reaching " + count);
        assertEquals(count, metric(task, "records-loaded-total"), "records loaded, over JMX");
        assertEquals(count, metric(task, "rows-loaded-total"), "rows loaded, over JMX");
        assertEquals(0, metric(task, "loads-failed-total"), "loads failed, over JMX");
        assertEquals(0, metric(task, "records-rejected-total"), "records rejected, over JMX");
        assertTrue(metric(task, "loads-succeeded-total") >= 1, "loads succeeded, over JMX");
        assertEquals(emulator.rowCount(DB, table), metric(task, "rows-loaded-total"), "as the table holds");

        // Connect 4.1 also takes the task's metrics as plugin metrics (KIP-877); older workers
        // have no such API, and the connector does without.
        ObjectName plugin = new ObjectName("kafka.connect:type=plugins,connector=" + name + ",task=0");
        if (ConnectWorker.atLeast(line, 4, 1)) {
            assertEquals(count, metric(plugin, "records-loaded-total"), "records loaded, as a plugin metric");
        } else {
            assertEquals(Set.of(), worker.mbeanNames(plugin), "no plugin metrics before Connect 4.1");
        }
        worker.deleteConnector(name);
        waitFor(() -> worker.mbeanNames(task).isEmpty(), Duration.ofSeconds(30),
                () -> task + " unregistered when the connector is deleted");
    }

    @Test
    @Order(5)
    void aTopicRenamingTransformLoadsOn36AndLaterAndIsRefusedClearlyBefore() throws Exception {
        String name = "renamed-" + slug(line);
        String renamed = "db_" + name.replace('-', '_');
        createTable(renamed);
        kafka.createTopic(name, 1);
        Map<String, String> config = sinkConfig(name, renamed, 1);
        // As the CDC example routes: the transform renames the topic, the table takes its name.
        config.remove("topic2table.map");
        config.put("transforms", "route");
        config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        config.put("transforms.route.regex", "(.*)-(.*)");
        config.put("transforms.route.replacement", "db_$1_$2");
        worker.putConnector(name, config);
        worker.awaitRunning(name, 1);
        produce(name, 30, id -> "{\"id\":" + id + ",\"customer\":\"c" + id + "\"}");

        if (ConnectWorker.atLeast(line, 3, 6)) {
            waitFor(() -> emulator.rowCount(DB, renamed) >= 30, Duration.ofSeconds(60),
                    () -> "rows stored: " + emulator.rowCount(DB, renamed) + " of 30");
            waitFor(() -> committed(name).equals(Map.of(0, 30L)), Duration.ofSeconds(30),
                    () -> "offsets committed under the topic read: " + committed(name));
            worker.awaitRunning(name, 1);
        } else {
            // The worker cannot tell which partition a renamed record was read from: the task
            // stops on the first one and says what to change, instead of never committing.
            expectedFailures.add(name);
            JsonNode[] task = new JsonNode[1];
            waitFor(() -> {
                task[0] = worker.status(name).path("tasks").path(0);
                return "FAILED".equals(task[0].path("state").asText());
            }, Duration.ofSeconds(60), () -> "the task of " + name + " failed; status: " + task[0]);
            String trace = task[0].path("trace").asText();
            assertTrue(trace.contains("a transform renamed the topic"), trace);
            assertTrue(trace.contains("Kafka Connect 3.6 or later"), trace);
            assertEquals(Map.of(), committed(name), "nothing committed");
            assertEquals(0, emulator.rowCount(DB, renamed), "nothing loaded");
        }
        worker.deleteConnector(name);
    }

    /**
     * lz4_frame and zstd come from the worker, not the plugin: kafka-clients' lz4-java and zstd-jni,
     * reached through the plugin's class loader on every Connect line.
     */
    @Test
    @Order(6)
    void bodiesCompressedWithTheWorkersLz4AndZstdAreStored() throws Exception {
        for (String codec : List.of("lz4_frame", "zstd")) {
            String name = "compressed-" + codec.replace('_', '-') + "-" + slug(line);
            String table = name.replace('-', '_');
            createTable(table);
            kafka.createTopic(name, 1);
            Map<String, String> config = sinkConfig(name, table, 1);
            config.put("load.compression", codec);
            worker.putConnector(name, config);
            worker.awaitRunning(name, 1);
            int count = 300;
            produce(name, count, id -> "{\"id\":" + id + ",\"customer\":\"customer-" + id % 10 + "\"}");
            waitFor(() -> emulator.rowCount(DB, table) >= count, Duration.ofSeconds(60),
                    () -> codec + " rows stored: " + emulator.rowCount(DB, table) + " of " + count);
            assertEquals(count, emulator.rowCount(DB, table), codec + " rows stored");
            long wire = emulator.loads().stream().filter(l -> l.table().equals(table))
                    .mapToLong(l -> l.loadBytes()).sum();
            assertTrue(wire * 2 < (long) count * "{\"id\":100,\"customer\":\"customer-1\"}".length(),
                    codec + " sent " + wire + " bytes");
            worker.awaitRunning(name, 1);
            worker.deleteConnector(name);
        }
    }

    @Test
    @Order(7)
    void theWorkerLogHasNoConnectorErrorNoMissingApiAndNoPassword() throws Exception {
        List<String> errors = new ArrayList<>();
        List<String> linkage = new ArrayList<>();
        List<String> passwords = new ArrayList<>();
        for (String logLine : worker.logLines()) {
            boolean expected = expectedFailures.stream().anyMatch(c -> logLine.contains("[" + c + "|")
                    || logLine.contains("id=" + c + "-"));
            if (logLine.contains(" ERROR ") && !expected
                    && (logLine.contains("streamload") || logLine.contains("-" + slug(line)))) {
                errors.add(logLine);
            }
            if (LINKAGE_ERRORS.stream().anyMatch(logLine::contains)) {
                linkage.add(logLine);
            }
            if (logLine.contains(PASSWORD)) {
                passwords.add("a line holds the load password");
            }
        }
        assertEquals(List.of(), linkage, "missing classes or methods in " + worker.log());
        assertEquals(List.of(), errors, "errors of the connector in " + worker.log());
        assertEquals(List.of(), passwords, worker.log().toString());
        assertTrue(worker.logLines().stream().anyMatch(l -> l.contains("loads into StarRocks database " + DB)),
                "the task's log lines reach " + worker.log());
    }

    private static Map<String, String> sinkConfig(String topic, String table, int tasks) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", PluginArchive.CONNECTOR_CLASS);
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("load.urls", emulator.feUrl());
        config.put("load.user", USER);
        config.put("load.password", PASSWORD);
        config.put("load.database", DB);
        config.put("topic2table.map", topic + ":" + table);
        config.put("buffer.flush.interval.ms", "200");
        return config;
    }

    private static void createTable(String table) {
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("customer", "VARCHAR(32)", true)
                .duplicateKey("id")
                .build());
    }

    /** Produces records {@code 0..count-1}, spread over the topic's partitions by id. */
    private static void produce(String topic, int count, java.util.function.IntFunction<String> value) {
        int partitions = kafka.describeTopics(topic).get(topic).orElseThrow().partitions().size();
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            for (int id = 0; id < count; id++) {
                producer.send(new ProducerRecord<>(topic, id % partitions, null,
                        value.apply(id).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** The offsets the connector's consumer group committed, by partition. */
    private static Map<Integer, Long> committed(String connector) throws Exception {
        try (Admin admin = kafka.createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> byPartition = new TreeMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition.partition(), offset.offset());
                }
            });
            return byPartition;
        }
    }

    private static long metric(ObjectName mbean, String attribute) throws Exception {
        return ((Number) worker.attribute(mbean, attribute)).longValue();
    }

    /** {@code 3.4} as {@code v34}: for topic, connector, table and group names. */
    private static String slug(String line) {
        return "v" + line.replace(".", "");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
