package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.cli.WarningsReporterMain;
import io.streamload.warnings.testing.TestMysql;

/**
 * Rejected rows end to end: a real worker with a dead letter queue, the emulator as the target
 * and a real MariaDB as the warnings store. Bad records of five kinds are reported one by one
 * (dead letter queue with the original bytes and the reason, load_errors, SHOW LOAD WARNINGS),
 * good ones are loaded, and a MySQL outage neither slows loading nor loses what the dead letter
 * queue can give back.
 */
class RejectedRowsIT {

    private static final String DB = ConnectFixture.DB;
    private static final String ERROR_MESSAGE_HEADER = "__connect.errors.exception.message";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedConnectCluster connect;
    private static TestMysql mysql;

    @BeforeAll
    static void start() {
        mysql = TestMysql.shared();
        connect = ConnectFixture.cluster("rejected-rows-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stop() {
        connect.stop();
    }

    @Test
    void thirtySevenBadRecordsOfFiveKindsAreReportedAndTheRestLoaded() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            createTable(emulator, "orders");
            String cluster = mysql.newDatabaseName("orders");
            connect.kafka().createTopic("orders-json", 2);
            connect.kafka().createTopic("orders-csv", 1);

            // 700 JSON records, 30 bad (four kinds); 300 CSV lines, 7 with a missing column.
            Map<String, byte[]> bad = new LinkedHashMap<>();
            Map<String, String> expectedReason = new HashMap<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            String[] kinds = {"null", "long", "date", "malformed"};
            for (int i = 0; i < 700; i++) {
                String value = "{\"id\":" + i + ",\"name\":\"n" + i + "\",\"day\":\"2024-01-31\"}";
                if (i % 23 == 5 && bad.size() < 30) {
                    String kind = kinds[bad.size() % kinds.length];
                    value = switch (kind) {
                        case "null" -> "{\"id\":null,\"name\":\"n" + i + "\"}";
                        case "long" -> "{\"id\":" + i + ",\"name\":\"a name much longer than sixteen\"}";
                        case "date" -> "{\"id\":" + i + ",\"day\":\"2024-02-30x\"}";
                        default -> "{\"id\":" + i + ",\"name\":";
                    };
                    bad.put(value, value.getBytes(StandardCharsets.UTF_8));
                    expectedReason.put(value, switch (kind) {
                        case "null" -> "NULL value in non-nullable column 'id'";
                        case "long" -> "is too long";
                        case "date" -> "2024-02-30x";
                        default -> "not a valid JSON object";
                    });
                }
                records.add(new ProducerRecord<>("orders-json", i % 2, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            int csvBad = 0;
            for (int i = 0; i < 300; i++) {
                String value = (10_000 + i) + ",c" + i + ",2024-03-01";
                if (i % 41 == 7 && csvBad < 7) {
                    value = (10_000 + i) + ",c" + i;
                    bad.put(value, value.getBytes(StandardCharsets.UTF_8));
                    expectedReason.put(value, "doesn't match source value column count");
                    csvBad++;
                }
                records.add(new ProducerRecord<>("orders-csv", 0, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            assertEquals(37, bad.size());
            assertEquals(7, csvBad);

            Map<String, String> json = tolerantConfig(emulator, "orders-json", "orders", cluster, "orders-dlq");
            Map<String, String> csv = tolerantConfig(emulator, "orders-csv", "orders", cluster, "orders-dlq");
            csv.put("format", "csv");
            csv.put("csv.column.separator", ",");
            connect.configureConnector("orders-json", json);
            connect.configureConnector("orders-csv", csv);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("orders-json", 1, "json sink running");
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("orders-csv", 1, "csv sink running");
            produce(records);

            waitFor(() -> emulator.rowCount(DB, "orders") == 963, Duration.ofSeconds(90), "963 good rows stored");
            Iterable<ConsumerRecord<byte[], byte[]>> dlq = connect.kafka().consume(37, 60_000, "orders-dlq");
            assertEquals(37, count(dlq), "records in the dead letter queue");
            Map<String, String> dlqReasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : dlq) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                Header message = record.headers().lastHeader(ERROR_MESSAGE_HEADER);
                assertNotNull(message, "Connect's error headers on " + value);
                dlqReasons.put(value, new String(message.value(), StandardCharsets.UTF_8));
            }
            assertEquals(bad.keySet(), dlqReasons.keySet(), "exactly the bad records, with their original bytes");
            dlqReasons.forEach((value, reason) -> assertTrue(reason.contains(expectedReason.get(value)),
                    "reason of " + value + ": " + reason));

            waitFor(() -> mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors") == 37,
                    Duration.ofSeconds(30), "37 rows in load_errors");
            assertEquals(963, emulator.rowCount(DB, "orders"), "no row stored twice");
            waitFor(() -> committedOffsets(connect, "orders-json").equals(Map.of(0, 350L, 1, 350L)),
                    Duration.ofSeconds(30), "json offsets committed past the bad records");
            waitFor(() -> committedOffsets(connect, "orders-csv").equals(Map.of(0, 300L)),
                    Duration.ofSeconds(30), "csv offsets committed past the bad records");

            // SHOW LOAD WARNINGS by the label of a rejected row: the rows the load under that label
            // refused (the error log named them all), each with its reason.
            String label = firstLabel(cluster);
            JsonNode byLabel = show(cluster, "SHOW LOAD WARNINGS WHERE LABEL = \"" + label + "\"");
            assertEquals(mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors WHERE label = '" + label
                    + "'"), byLabel.size(), byLabel.toString());
            for (JsonNode warning : byLabel) {
                assertEquals(label, warning.get("Label").asText());
                assertTrue(warning.get("ErrorMsgDetail").asText().length() > 5, byLabel.toString());
            }
            assertEquals(37, show(cluster, "show load warnings limit 1000").size(), "every rejected row shown");
            JsonNode dlqShown = JSON.readTree(cli("dlq", "show", "--bootstrap-servers",
                    connect.kafka().bootstrapServers(), "--topic", "orders-dlq", "--json"));
            assertEquals(37, dlqShown.size(), "dlq show lists every record");
            assertTrue(dlqShown.toString().contains("NULL value in non-nullable column 'id'"), dlqShown.toString());

            connect.deleteConnector("orders-json");
            connect.deleteConnector("orders-csv");
        }
    }

    @Test
    void withoutToleranceTheTaskFailsWithTheReasonAndCommitsNothingPastIt() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            createTable(emulator, "strict");
            connect.kafka().createTopic("strict", 1);
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, "strict", "strict", 1);
            config.put("buffer.max.records", "10");
            connect.configureConnector("strict", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("strict", 1, "sink running");
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String value = i == 23 ? "{\"id\":null}" : "{\"id\":" + i + "}";
                records.add(new ProducerRecord<>("strict", 0, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            produce(records);

            waitFor(() -> taskState("strict").state().equals("FAILED"), Duration.ofSeconds(60), "the task failed");
            String trace = taskState("strict").trace();
            assertTrue(trace.contains("too many filtered rows"), trace);
            assertTrue(trace.contains("NULL value in non-nullable column 'id'"), trace);
            Long committed = committedOffsets(connect, "strict").get(0);
            assertTrue(committed == null || committed <= 23, "committed " + committed + ", the bad record is 23");
            assertTrue(emulator.rowCount(DB, "strict") <= 23, "nothing past the bad record stored");
            connect.deleteConnector("strict");
        }
    }

    @Test
    void aMysqlOutageDoesNotSlowLoadingAndTheDeadLetterQueueFillsTheGap() throws Exception {
        assumeTrue(mysql.isEmbedded(), "only an embedded MariaDB can be stopped by the test");
        try (StreamLoadEmulator emulator = emulator()) {
            createTable(emulator, "outage");
            String cluster = mysql.newDatabaseName("outage");
            connect.kafka().createTopic("outage", 1);
            Map<String, String> config = tolerantConfig(emulator, "outage", "outage", cluster, "outage-dlq");
            // A queue that holds what one small batch brings (the summaries of its two loads, the
            // refused one and the rest, and its rejected row) but not what a whole outage brings
            // (ten rejected rows and their loads' summaries), so the outage makes the writer drop.
            config.put("load.errors.queue.capacity", "5");
            connect.configureConnector("outage", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("outage", 1, "sink running");

            produce(batch("outage", 0, 20));
            waitFor(() -> mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors") == 1,
                    Duration.ofSeconds(60), "the first rejected row written");

            long jobsBeforeOutage = mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_jobs");
            mysql.stop();
            try {
                produce(batch("outage", 20, 200));
                waitFor(() -> emulator.rowCount(DB, "outage") == 19 + 190, Duration.ofSeconds(60),
                        "loading goes on while MySQL is down");
                assertEquals(11, count(connect.kafka().consume(11, 60_000, "outage-dlq")));
            } finally {
                mysql.start();
            }
            waitFor(() -> mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_jobs") > jobsBeforeOutage,
                    Duration.ofSeconds(90), "the writer reconnected and wrote what it held");
            // Rejected rows after the outage are written again.
            produce(batch("outage", 220, 20));
            waitFor(() -> mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors WHERE kafka_offset = 225")
                    == 1, Duration.ofSeconds(30), "a rejected row after the outage written");
            long beforeBackfill = mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors");
            assertTrue(beforeBackfill < 12, "entries were dropped during the outage: " + beforeBackfill);
            ObjectName taskMetrics = new ObjectName(
                    "kafka.connect:type=streamload-sink-task-metrics,connector=outage,task=0");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertTrue(((Number) jmx.getAttribute(taskMetrics, "warnings-store-dropped-total")).longValue() > 0,
                    "the drops are counted in a metric");
            assertEquals(12L, ((Number) jmx.getAttribute(taskMetrics, "records-rejected-total")).longValue());

            String output = cli("dlq", "backfill", "--bootstrap-servers", connect.kafka().bootstrapServers(),
                    "--topic", "outage-dlq", "--url", mysql.url().toString(), "--cluster-id", cluster);
            assertEquals(12, mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors"), output);
            cli("dlq", "backfill", "--bootstrap-servers", connect.kafka().bootstrapServers(),
                    "--topic", "outage-dlq", "--url", mysql.url().toString(), "--cluster-id", cluster);
            assertEquals(12, mysql.count("SELECT COUNT(*) FROM `" + cluster + "`.load_errors"), "idempotent");
            assertEquals(12, mysql.count("SELECT COUNT(DISTINCT kafka_offset) FROM `" + cluster + "`.load_errors"));
            assertEquals(19 + 190 + 19, emulator.rowCount(DB, "outage"));
            connect.deleteConnector("outage");
        }
    }

    /** {@code count} JSON records from {@code first} on; every 20th (from the 6th) has a NULL id. */
    private static List<ProducerRecord<byte[], byte[]>> batch(String topic, int first, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String value = i % 20 == 5 ? "{\"id\":null,\"name\":\"bad" + i + "\"}" : "{\"id\":" + i + "}";
            records.add(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static int count(Iterable<?> records) {
        int n = 0;
        for (Object ignored : records) {
            n++;
        }
        return n;
    }

    private static Map<String, String> tolerantConfig(StreamLoadEmulator emulator, String topic, String table,
                                                      String cluster, String dlq) {
        Map<String, String> config = ConnectFixture.sinkConfig(emulator, topic, table, 1);
        config.put("buffer.max.records", "200");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("load.errors.url", mysql.url().toString());
        config.put("load.errors.cluster.id", cluster);
        return config;
    }

    private static void createTable(StreamLoadEmulator emulator, String table) {
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true)
                .column("day", "DATE", true)
                .duplicateKey("id")
                .build());
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    private static ConnectorStateInfo.TaskState taskState(String connector) {
        return connect.connectorStatus(connector).tasks().get(0);
    }

    private static String firstLabel(String cluster) throws Exception {
        try (var connection = mysql.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT label FROM `" + cluster + "`.load_errors WHERE label <> '' "
                     + "ORDER BY id LIMIT 1")) {
            assertTrue(rows.next(), "a rejected row with a label");
            return rows.getString(1);
        }
    }

    private static JsonNode show(String cluster, String statement) throws Exception {
        return JSON.readTree(cli("show", statement, "--json", "--url", mysql.url().toString(), "--cluster-id",
                cluster));
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WarningsReporterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new TreeMap<>(), new CountDownLatch(0));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8) + text);
        return text;
    }

    private static StreamLoadEmulator emulator() {
        return StreamLoadEmulator.builder().dialect(Dialect.STARROCKS)
                .credentials(ConnectFixture.USER, ConnectFixture.PASSWORD).start();
    }
}
