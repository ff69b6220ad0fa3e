package io.streamload.packaging;

import static io.streamload.packaging.ConnectWorker.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * What an operator sees in Prometheus and Grafana: a real Connect worker (the newest tested
 * version, as its own JVM) runs the plugin with the Prometheus JMX exporter's Java agent and the
 * rules of {@code config/monitoring} (as the plugin archive ships them in {@code etc/monitoring}),
 * attached as the README tells users to. Records go
 * through the connector into the emulator (two tables, two 502s on the way, two bad
 * records to the dead letter queue, a stalled load for the lag), and the agent's {@code /metrics}
 * is scraped over HTTP and parsed. The scrape must agree with what happened (rows the emulator
 * stored, records in the dead letter queue, offsets the consumer group committed, the end of each
 * partition) and with the task's own metrics read over JMX; every series the Grafana dashboard
 * queries must be in it; every metric the connector registers must come out through a rule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringIT {

    private static final String LINE = "4.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "shop";
    private static final String USER = "loader";
    private static final String PASSWORD = "pw-monitoring";
    private static final String CONNECTOR = "monitored";
    private static final String ORDERS = "orders-mon";
    private static final String CUSTOMERS = "customers-mon";
    private static final String DLQ = "dlq-mon";
    private static final Map<String, String> TABLE_OF = Map.of(ORDERS, "orders", CUSTOMERS, "customers");
    /** Connect's own MBeans, and the sink consumer's, whose series the dashboard queries. */
    private static final String SINK_TASK_METRICS = "kafka.connect:type=sink-task-metrics,connector=" + CONNECTOR
            + ",task=0";
    private static final String TASK_ERROR_METRICS = "kafka.connect:type=task-error-metrics,connector=" + CONNECTOR
            + ",task=0";
    private static final String CONSUMER_FETCH_METRICS = "kafka.consumer:type=consumer-fetch-manager-metrics,"
            + "client-id=connector-consumer-" + CONNECTOR + "-0";
    /** The Accept header of a Prometheus 2.x scrape. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    /** Grafana's {@code label_values(metric, label)} in a variable's query. */
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /** A metric's name where the connector's metrics code registers it: gauge(...), counter(...), register(...). */
    private static final Pattern REGISTERED_NAME = Pattern.compile(
            "(?:gauge|counter)\\(\\w+, \\w+, \"([a-z0-9-]+)\"|register\\(\"([a-z0-9-]+)\"");

    private static EmbeddedKafkaCluster kafka;
    private static StreamLoadEmulator emulator;
    private static ConnectWorker worker;
    private static int exporterPort;
    private static long startedAt;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startWorkerWithTheExporterAgent() throws Exception {
        startedAt = System.nanoTime();
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        kafka = new EmbeddedKafkaCluster(1, broker);
        kafka.start();
        emulator = StreamLoadEmulator.builder().credentials(USER, PASSWORD).start();
        for (String table : TABLE_OF.values()) {
            emulator.createTable(TableDefinition.builder(DB, table)
                    .column("id", "BIGINT", false)
                    .column("name", "VARCHAR(32)", true)
                    .duplicateKey("id")
                    .build());
        }
        Path agent = Path.of(required("streamload.jmx.exporter.agent"));
        assertTrue(Files.isRegularFile(agent), agent + " is missing: the build copies it at pre-integration-test");
        exporterPort = ConnectWorker.freePort();
        // As the README's KAFKA_OPTS line, bound to localhost here.
        String javaagent = "-javaagent:" + agent + "=localhost:" + exporterPort + ":" + rules();
        long workerStart = System.nanoTime();
        worker = ConnectWorker.start(LINE, Path.of("target", "monitoring").toAbsolutePath(),
                kafka.bootstrapServers(), "monitoring", List.of(javaagent));
        System.out.printf("MonitoringIT: %s with the exporter agent up in %.1f s%n", worker,
                (System.nanoTime() - workerStart) / 1e9);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            if (emulator != null) {
                emulator.close();
            }
            if (kafka != null) {
                kafka.stop();
            }
            System.out.printf("MonitoringIT: %.1f s, broker start to worker stop%n",
                    (System.nanoTime() - startedAt) / 1e9);
        }
    }

    @Test
    @Order(1)
    void theScrapeCountsWhatTheTargetStoredAndWhatWentToTheDeadLetterQueue() throws Exception {
        kafka.createTopic(ORDERS, 2);
        kafka.createTopic(CUSTOMERS, 1);
        kafka.createTopic(DLQ, 1);
        // Two unknown outcomes: the label shows one was loaded, the other not (it is resent).
        emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table("orders").times(1));
        emulator.inject(Fault.of(FaultKind.HTTP_502_BEFORE_LOAD).table("customers").times(1));
        worker.putConnector(CONNECTOR, connectorConfig());
        worker.awaitRunning(CONNECTOR, 1);

        // One record the connector cannot encode, one the target refuses.
        produce(ORDERS, 300, id -> id == 7 ? "{\"id\":7,\"name\":"
                : id == 23 ? "{\"id\":null,\"name\":\"nobody\"}" : row(id));
        produce(CUSTOMERS, 100, MonitoringIT::row);
        waitFor(() -> emulator.rowCount(DB, "orders") == 298 && emulator.rowCount(DB, "customers") == 100,
                Duration.ofSeconds(60), () -> "rows stored: orders " + emulator.rowCount(DB, "orders") + " of 298, "
                        + "customers " + emulator.rowCount(DB, "customers") + " of 100");
        Map<TopicPartition, Long> ends = endOffsets();
        waitFor(() -> committed().equals(ends), Duration.ofSeconds(30),
                () -> "offsets committed to the ends " + ends + ": " + committed());
        int dlqRecords = kafka.consume(2, 30_000, DLQ).count();
        assertEquals(2, dlqRecords, "records in the dead letter queue");

        Map<String, String> task = Map.of("connector", CONNECTOR, "task", "0");
        Exposition scrape = awaitScrape(s -> {
            Double rejected = s.value("streamload_sink_task_records_rejected_total", task);
            Double dlq = s.value("kafka_connect_task_error_deadletterqueue_produce_requests_total", task);
            return rejected != null && rejected == 2 && dlq != null && dlq == 2;
        }, "the rejected records and the dead letter queue's count in the scrape");
        for (String table : TABLE_OF.values()) {
            Map<String, String> labels = Map.of("connector", CONNECTOR, "task", "0", "table", table);
            assertEquals(emulator.rowCount(DB, table), scraped(scrape, "streamload_sink_table_records_loaded_total",
                    labels), "records loaded into " + table + " as the emulator stored them");
            assertEquals(emulator.rowCount(DB, table), scraped(scrape, "streamload_sink_table_rows_loaded_total",
                    labels), "rows loaded into " + table);
            assertEquals(emulator.loadedBytes(DB, table), scraped(scrape, "streamload_sink_table_bytes_loaded_total",
                    labels), "bytes loaded into " + table + " as the emulator received them in committed loads");
            assertTrue(scraped(scrape, "streamload_sink_table_load_latency_p99_ms", labels) >= 0, "a latency");
        }
        assertEquals(dlqRecords, scraped(scrape, "streamload_sink_task_records_rejected_total", task),
                "rejected records as the dead letter queue holds them");
        assertEquals(dlqRecords, scraped(scrape, "kafka_connect_task_error_deadletterqueue_produce_requests_total",
                task), "the worker's count of dead letter queue records");
        assertEquals(2, scraped(scrape, "streamload_sink_task_unknown_outcomes_total", task), "the two 502s");
        assertEquals(1, scraped(scrape, "streamload_sink_task_unknown_resolved_loaded_total", task), "the 502 after the commit");
        assertEquals(1, scraped(scrape, "streamload_sink_task_unknown_resolved_not_loaded_total", task), "the 502 before the load");
        assertEquals(0, scraped(scrape, "streamload_sink_task_unknown_unresolved_total", task));
        assertTrue(scraped(scrape, "streamload_sink_task_load_retries_total", task) >= 2, "the resends");
        assertEquals(0, scraped(scrape, "streamload_sink_task_loads_failed_total", task));
        assertEquals(1, scraped(scrape, "streamload_sink_fe_up",
                Map.of("connector", CONNECTOR, "task", "0", "fe", emulator.feUrl().replace("http://", ""))),
                "the FE is up");
        assertEquals(0, scraped(scrape, "streamload_sink_task_buffered_bytes", task));
        assertEquals(0, scraped(scrape, "streamload_sink_task_partitions_paused", task));
        assertEquals(400, scraped(scrape, "kafka_connect_sink_task_sink_record_read_total", task),
                "records the worker read");
        assertLagAsKafkaSeesIt(scrape, ends, committed());
        for (Long lag : lagByPartition(scrape).values()) {
            assertEquals(0, lag, "every record confirmed: no committed offset lag " + lagByPartition(scrape));
        }
    }

    @Test
    @Order(2)
    void theCommittedOffsetLagCountsRecordsReceivedButNotYetConfirmed() throws Exception {
        // The next customers load stalls in the target: its records are received, not committed.
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(5)).table("customers").times(1));
        produce(CUSTOMERS, 50, id -> row(1_000 + id));
        TopicPartition customers = new TopicPartition(CUSTOMERS, 0);
        Map<TopicPartition, Long>[] kafkaView = new Map[2];
        Exposition stalled = awaitScrape(s -> {
            kafkaView[0] = endOffsets();
            kafkaView[1] = committed();
            return lagByPartition(s).getOrDefault(customers, 0L) == 50 && kafkaView[1].get(customers) == 100;
        }, "a lag of 50 on " + customers);
        assertLagAsKafkaSeesIt(stalled, kafkaView[0], kafkaView[1]);
        assertEquals(150, scraped(stalled, "streamload_sink_partition_received_offset", partition(customers)));
        assertEquals(100, scraped(stalled, "streamload_sink_partition_last_committed_offset", partition(customers)));

        awaitScrape(s -> lagByPartition(s).getOrDefault(customers, -1L) == 0, "the lag back to 0 once loaded");
        assertEquals(150, emulator.rowCount(DB, "customers"));
    }

    @Test
    @Order(3)
    void everySeriesTheDashboardQueriesIsInTheScrape() throws Exception {
        Map<String, List<String>> queried = dashboardSeries();
        assertFalse(queried.isEmpty(), "no series found in the dashboard");
        Exposition scrape = scrape();
        Map<String, List<String>> missing = new TreeMap<>();
        queried.forEach((series, panels) -> {
            if (scrape.find(series, Map.of("connector", CONNECTOR)).isEmpty()) {
                missing.put(series, panels);
            }
        });
        assertEquals(Map.of(), missing, "series the dashboard queries (with the panels) that the rules do not "
                + "produce; the scrape has: " + scrape.names());
        System.out.println("MonitoringIT: the dashboard queries " + queried.keySet());
    }

    @Test
    @Order(4)
    void everyMetricTheConnectorRegistersIsExportedWithItsValue() throws Exception {
        Set<ObjectName> mbeans = worker.mbeanNames(new ObjectName("kafka.connect:type=streamload-sink-*,connector="
                + CONNECTOR + ",*"));
        Set<String> types = new TreeSet<>();
        mbeans.forEach(m -> types.add(m.getKeyProperty("type")));
        assertEquals(Set.of("streamload-sink-task-metrics", "streamload-sink-table-metrics",
                "streamload-sink-fe-metrics", "streamload-sink-partition-metrics"), types, "the connector's MBeans");

        List<String> problems = new ArrayList<>();
        int[] compared = new int[1];
        // Values that move between the JMX read and the scrape are read again: all are quiet now.
        waitFor(() -> {
            problems.clear();
            compared[0] = 0;
            Exposition scrape = scrape();
            for (ObjectName mbean : mbeans) {
                String kind = mbean.getKeyProperty("type").replace("streamload-sink-", "").replace("-metrics", "");
                Map<String, String> labels = new LinkedHashMap<>();
                mbean.getKeyPropertyList().forEach((key, value) -> {
                    if (!key.equals("type")) {
                        labels.put(key, value.startsWith("\"") ? ObjectName.unquote(value) : value);
                    }
                });
                for (MBeanAttributeInfo attribute : worker.mbeanInfo(mbean).getAttributes()) {
                    // fe-up of the fe type is streamload_sink_fe_up: the rules say "fe" once.
                    String name = attribute.getName().startsWith(kind + "-")
                            ? attribute.getName().substring(kind.length() + 1) : attribute.getName();
                    String series = "streamload_sink_" + kind + "_" + name.replace('-', '_');
                    double jmx = ((Number) worker.attribute(mbean, attribute.getName())).doubleValue();
                    Double exported = scrape.value(series, labels);
                    compared[0]++;
                    if (exported == null) {
                        problems.add(attribute.getName() + " of " + mbean + " is not exported (no " + series + labels
                                + ")");
                    } else if (exported != jmx) {
                        problems.add(series + labels + " = " + exported + ", over JMX " + jmx);
                    }
                }
            }
            return problems.isEmpty();
        }, Duration.ofSeconds(20), () -> "every connector metric exported with its value: " + problems);
        assertTrue(compared[0] >= 60, compared[0] + " metrics compared");

        // A metric registered only under conditions this run did not meet would escape the
        // comparison above: every name the connector's metrics code registers was seen here.
        Set<String> seen = new TreeSet<>();
        for (ObjectName mbean : mbeans) {
            seen.addAll(names(worker.mbeanInfo(mbean).getAttributes()));
        }
        Set<String> registered = metricNamesInConnectorSource();
        assertTrue(registered.size() >= 25, "metric names found in the connector's source: " + registered);
        Set<String> unseen = new TreeSet<>(registered);
        unseen.removeAll(seen);
        assertEquals(Set.of(), unseen, "metrics the connector registers that this run did not export");

        // Connect 4.1 shows the task-level metrics again as plugin metrics: the same gauges, which
        // the rules leave out so that sums do not double. Nothing there may lack its twin.
        ObjectName plugin = new ObjectName("kafka.connect:type=plugins,connector=" + CONNECTOR + ",task=0");
        ObjectName task = new ObjectName("kafka.connect:type=streamload-sink-task-metrics,connector=" + CONNECTOR
                + ",task=0");
        Set<String> pluginAttributes = names(worker.mbeanInfo(plugin).getAttributes());
        assertFalse(pluginAttributes.isEmpty(), "plugin metrics on Connect " + LINE);
        assertEquals(names(worker.mbeanInfo(task).getAttributes()), pluginAttributes,
                "the plugin metrics are the task metrics' twins");
        assertTrue(scrape().samples().stream().noneMatch(s -> s.name().startsWith("kafka_connect_plugins")),
                "plugin metrics are not exported a second time");
    }

    @Test
    @Order(5)
    void theWorkersSeriesTheDashboardQueriesCarryTheWorkersValues() throws Exception {
        Map<String, String> task = Map.of("connector", CONNECTOR, "task", "0");
        // Counters that move on every commit: the scrape lies between a read before and one after.
        assertBetween("kafka_connect_sink_task_offset_commit_completion_total", task,
                new ObjectName(SINK_TASK_METRICS), "offset-commit-completion-total");
        assertBetween("kafka_connect_sink_task_offset_commit_skip_total", task,
                new ObjectName(SINK_TASK_METRICS), "offset-commit-skip-total");
        assertBetween("kafka_connect_task_error_deadletterqueue_produce_requests_total", task,
                new ObjectName(TASK_ERROR_METRICS), "deadletterqueue-produce-requests");
        for (String topic : TABLE_OF.keySet()) {
            int partitions = kafka.describeTopics(topic).get(topic).orElseThrow().partitions().size();
            for (int p = 0; p < partitions; p++) {
                Map<String, String> labels = partition(new TopicPartition(topic, p));
                ObjectName consumer = new ObjectName(CONSUMER_FETCH_METRICS + ",topic=" + topic + ",partition=" + p);
                assertBetween("kafka_connect_sink_consumer_records_lag", labels, consumer, "records-lag");
            }
        }
    }

    /** The metric names the connector's metrics package registers, read from its source. */
    private static Set<String> metricNamesInConnectorSource() throws IOException {
        Path sources = Path.of(required("streamload.connector.metrics.sources"));
        Set<String> names = new TreeSet<>();
        try (var files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = REGISTERED_NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        return names;
    }

    // ---- the dashboard ----

    /** The series each panel's queries and each variable's query name, with the panels naming them. */
    private static Map<String, List<String>> dashboardSeries() throws IOException {
        JsonNode dashboard = JSON.readTree(monitoringFile("streamload-dashboard.json").toFile());
        Map<String, List<String>> series = new TreeMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        // As Grafana's import needs it: the data source is asked for once and every query uses it.
        String input = "${" + dashboard.path("__inputs").path(0).path("name").asText() + "}";
        assertEquals("prometheus", dashboard.path("__inputs").path(0).path("pluginId").asText());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : panels) {
            assertTrue(ids.add(panel.path("id").asInt()), "panel id " + panel.path("id") + " used twice");
            for (JsonNode target : panel.path("targets")) {
                assertEquals(input, target.path("datasource").path("uid").asText(),
                        "data source of a query of " + panel.path("title").asText());
                String expr = target.path("expr").asText();
                assertFalse(expr.isBlank(), "panel " + panel.path("title").asText() + " has a query without expr");
                for (String name : PromQlSeries.in(expr)) {
                    series.computeIfAbsent(name, n -> new ArrayList<>()).add(panel.path("title").asText());
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            while (m.find()) {
                series.computeIfAbsent(m.group(1), n -> new ArrayList<>())
                        .add("variable " + variable.path("name").asText());
            }
        }
        return series;
    }

    /**
     * The committed offset lag per partition as the dashboard's panel computes it: received
     * offset, minus committed offset, plus the consumer's records-lag.
     */
    private static Map<TopicPartition, Long> lagByPartition(Exposition scrape) {
        Map<TopicPartition, Long> lag = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Exposition.Sample received : scrape.find("streamload_sink_partition_received_offset",
                Map.of("connector", CONNECTOR))) {
            Map<String, String> labels = new LinkedHashMap<>(received.labels());
            Double committed = scrape.value("streamload_sink_partition_last_committed_offset", labels);
            Double recordsLag = scrape.value("kafka_connect_sink_consumer_records_lag", labels);
            if (committed != null && recordsLag != null && !recordsLag.isNaN()) {
                lag.put(new TopicPartition(labels.get("topic"), Integer.parseInt(labels.get("partition"))),
                        (long) (received.value() - committed + recordsLag));
            }
        }
        return lag;
    }

    /** The panel's lag of each partition equals the partition's end minus the group's committed offset. */
    private static void assertLagAsKafkaSeesIt(Exposition scrape, Map<TopicPartition, Long> ends,
                                               Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> expected = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        ends.forEach((partition, end) -> expected.put(partition, end - committed.getOrDefault(partition, 0L)));
        assertEquals(expected, lagByPartition(scrape), "committed offset lag per partition, scrape vs Kafka");
    }

    // ---- scraping ----

    /** Scrapes as Prometheus does: it asks for OpenMetrics first, so the series are those it would store. */
    private static Exposition scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + exporterPort + "/metrics"))
                .header("Accept", PROMETHEUS_ACCEPT)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Exposition.parse(response.body());
    }

    private static Exposition awaitScrape(ScrapeCondition condition, String what) throws Exception {
        Exposition[] last = new Exposition[1];
        waitFor(() -> condition.holds(last[0] = scrape()), Duration.ofSeconds(30),
                () -> what + "; last scrape's streamload series: " + (last[0] == null ? "none"
                        : last[0].samples().stream().filter(s -> s.name().startsWith("streamload")
                                || s.name().startsWith("kafka_connect")).toList()));
        return last[0];
    }

    private static double scraped(Exposition scrape, String series, Map<String, String> labels) {
        Double value = scrape.value(series, labels);
        assertNotNull(value, series + labels + " is not in the scrape");
        return value;
    }

    /** A read over JMX, the scrape, a read over JMX again: the scrape's value lies between them. */
    private static void assertBetween(String series, Map<String, String> labels, ObjectName mbean, String attribute)
            throws Exception {
        double before = ((Number) worker.attribute(mbean, attribute)).doubleValue();
        double exported = scraped(scrape(), series, labels);
        double after = ((Number) worker.attribute(mbean, attribute)).doubleValue();
        assertTrue(before <= exported && exported <= after, series + labels + " = " + exported + ", over JMX "
                + attribute + " of " + mbean + " went from " + before + " to " + after);
    }

    @FunctionalInterface
    private interface ScrapeCondition {
        boolean holds(Exposition scrape) throws Exception;
    }

    // ---- Kafka and the connector ----

    private static Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", PluginArchive.CONNECTOR_CLASS);
        config.put("tasks.max", "1");
        config.put("topics", ORDERS + "," + CUSTOMERS);
        config.put("topic2table.map", ORDERS + ":orders," + CUSTOMERS + ":customers");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("load.urls", emulator.feUrl());
        config.put("load.user", USER);
        config.put("load.password", PASSWORD);
        config.put("load.database", DB);
        config.put("buffer.flush.interval.ms", "200");
        config.put("retry.backoff.ms", "50");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static String row(int id) {
        return "{\"id\":" + id + ",\"name\":\"n" + id + "\"}";
    }

    private static void produce(String topic, int count, IntFunction<String> value) {
        int partitions = kafka.describeTopics(topic).get(topic).orElseThrow().partitions().size();
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            for (int id = 0; id < count; id++) {
                producer.send(new ProducerRecord<>(topic, id % partitions, null,
                        value.apply(id).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** The end offset of every partition of the connector's topics. */
    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : TABLE_OF.keySet()) {
            int partitions = kafka.describeTopics(topic).get(topic).orElseThrow().partitions().size();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        try (Admin admin = kafka.createAdminClient()) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    /** The offsets the connector's consumer group committed. */
    private static Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = kafka.createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> byPartition = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition, offset.offset());
                }
            });
            return byPartition;
        }
    }

    private static Map<String, String> partition(TopicPartition partition) {
        return Map.of("connector", CONNECTOR, "task", "0", "topic", partition.topic(),
                "partition", Integer.toString(partition.partition()));
    }

    private static Set<String> names(MBeanAttributeInfo[] attributes) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(attributes).forEach(a -> names.add(a.getName()));
        return names;
    }

    private static Path rules() {
        return monitoringFile("streamload-jmx-exporter.yaml");
    }

    /** A file of config/monitoring as the plugin archive ships it (etc/monitoring). */
    private static Path monitoringFile(String name) {
        Path file = PluginArchive.component().resolve("etc").resolve("monitoring").resolve(name).toAbsolutePath();
        assertTrue(Files.isRegularFile(file), file + " is not in the plugin archive");
        return file;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not set: run this test through "
                    + "`mvn verify -pl packaging-tests -am`");
        }
        return value;
    }
}
