package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Many small loads, plain and merged ({@code load.mode=stream_load} against {@code merge_commit}),
 * on one Connect worker against the emulator, both targets: how many load requests reached the
 * target, how many transactions (each one new version of the table) it committed for them, how
 * long the records took to be stored, and the load latency the tasks saw (first attempt to
 * confirmation, their p50 and p95), and the most tablet versions the table held (the emulator's
 * {@code GET /_emulator/versions} peak, with its default compaction merging versions away as they
 * come). Every run loads the same records into a fresh table; plain
 * and merged runs of one target follow each other, so drift between them is small.
 *
 * <pre>
 *   bash benchmarks/run merge [--partitions P] [--records N] [--batch B] [--window-ms W] [--rounds R]
 *                             [--dialects starrocks,doris] [--report FILE]
 * </pre>
 */
public final class MergeCommitBenchmark {

    private static final String DB = "bench";
    private static final String USER = "root";
    private static final String PASSWORD = "bench";

    private int partitions = 8;
    private int records = 2_000;
    private int batch = 20;
    private int windowMs = 200;
    private int rounds = 1;
    private List<Dialect> dialects = List.of(Dialect.STARROCKS, Dialect.DORIS);
    private Path report;

    /** One measured run. */
    private record Run(Dialect dialect, String mode, long records, long loads, long transactions, int peakVersions,
                       double seconds, double p50Ms, double p95Ms) {
    }

    public static void main(String[] args) throws Exception {
        MergeCommitBenchmark bench = new MergeCommitBenchmark();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--partitions" -> bench.partitions = Integer.parseInt(v);
                case "--records" -> bench.records = Integer.parseInt(v);
                case "--batch" -> bench.batch = Integer.parseInt(v);
                case "--window-ms" -> bench.windowMs = Integer.parseInt(v);
                case "--rounds" -> bench.rounds = Integer.parseInt(v);
                case "--dialects" -> bench.dialects = List.of(v.split(",")).stream()
                        .map(d -> Dialect.valueOf(d.trim().toUpperCase(Locale.ROOT))).toList();
                case "--report" -> bench.report = Path.of(v);
                case "--help" -> {
                    System.out.println("bash benchmarks/run merge [--partitions P (8)] [--records N per partition "
                            + "(2000)] [--batch B records per load (20)] [--window-ms W (200)] [--rounds R (1)] "
                            + "[--dialects starrocks,doris] [--report FILE]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see --help");
            }
            i++;
        }
        bench.run();
    }

    private void run() throws Exception {
        Map<String, String> worker = new HashMap<>();
        worker.put("offset.flush.interval.ms", "5000");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        Properties broker = new Properties();
        // Every task joins the consumer group's first generation, so all of them load at once from the
        // start; with no delay the first task to join takes every partition, and one task loads a
        // table one batch after the other, which no window can merge.
        broker.put("group.initial.rebalance.delay.ms", "3000");
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("streamload-merge-bench")
                .numWorkers(1).workerProps(worker).brokerProps(broker).build();
        connect.start();
        List<Run> runs = new ArrayList<>();
        try {
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                for (Dialect dialect : dialects) {
                    for (String mode : List.of("stream_load", "merge_commit")) {
                        Run r = measure(connect, dialect, mode, "merge-bench-" + n++);
                        runs.add(r);
                        System.out.printf(Locale.ROOT, "%s %s: %,d records in %.2f s, %,d loads, %,d transactions, "
                                        + "peak versions %,d, load latency p50 %.0f ms p95 %.0f ms%n", dialect, mode,
                                r.records(), r.seconds(), r.loads(), r.transactions(), r.peakVersions(), r.p50Ms(),
                                r.p95Ms());
                    }
                }
            }
        } finally {
            connect.stop();
        }
        String table = table(runs);
        System.out.println(table);
        if (report != null) {
            Files.writeString(report, table, StandardCharsets.UTF_8);
        }
    }

    private Run measure(EmbeddedConnectCluster connect, Dialect dialect, String mode, String name) throws Exception {
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(dialect).credentials(USER, PASSWORD)
                .backends(3).groupCommitInterval(java.time.Duration.ofMillis(windowMs)).start()) {
            String table = name.replace('-', '_');
            emulator.createTable(TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                    .column("name", "VARCHAR(32)", true).duplicateKey("id").build());
            connect.kafka().createTopic(name, partitions);
            produce(connect, name);

            Map<String, String> config = new HashMap<>();
            config.put("connector.class", "io.streamload.connect.StreamLoadSinkConnector");
            config.put("target", dialect.name().toLowerCase(Locale.ROOT));
            config.put("tasks.max", Integer.toString(partitions));
            config.put("topics", name);
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("load.urls", emulator.feUrl());
            config.put("load.user", USER);
            config.put("load.password", PASSWORD);
            config.put("load.database", DB);
            config.put("topic2table.map", name + ":" + table);
            config.put("buffer.max.records", Integer.toString(batch));
            config.put("buffer.flush.interval.ms", "50");
            config.put("load.mode", mode);
            if ("merge_commit".equals(mode) && dialect == Dialect.STARROCKS) {
                config.put("load.merge.interval.ms", Integer.toString(windowMs));
                config.put("load.merge.parallel", "3");
            }
            long total = (long) partitions * records;
            long configured = System.nanoTime();
            long firstRow = -1;
            connect.configureConnector(name, config);
            // Timed from the first stored row, so the tasks' start and the group's rebalance delay
            // are left out; polled, since the emulator has no notification of rows.
            while (emulator.rowCount(DB, table) < total) {
                if (firstRow < 0 && emulator.rowCount(DB, table) > 0) {
                    firstRow = System.nanoTime();
                }
                Thread.sleep(5);
                if (System.nanoTime() - configured > 600_000_000_000L) {
                    throw new IllegalStateException(name + ": only " + emulator.rowCount(DB, table) + " of " + total
                            + " rows after 10 minutes");
                }
            }
            double seconds = (System.nanoTime() - (firstRow < 0 ? configured : firstRow)) / 1e9;
            double[] latency = latency(name);
            Run run = new Run(dialect, mode, total, emulator.loadRequests(DB, table), emulator.transactions(DB, table),
                    emulator.peakTabletVersions(DB, table), seconds, latency[0], latency[1]);
            connect.deleteConnector(name);
            return run;
        }
    }

    /** The tasks' load latency p50 and p95, averaged over the tasks. */
    private double[] latency(String connector) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        double p50 = 0;
        double p95 = 0;
        int tasks = 0;
        for (int task = 0; task < partitions; task++) {
            ObjectName object = new ObjectName("kafka.connect:type=streamload-sink-task-metrics,connector="
                    + connector + ",task=" + task);
            if (!jmx.isRegistered(object)) {
                continue;
            }
            double taskP50 = ((Number) jmx.getAttribute(object, "load-latency-p50-ms")).doubleValue();
            if (taskP50 < 0) {
                continue; // a task that loaded nothing
            }
            p50 += taskP50;
            p95 += ((Number) jmx.getAttribute(object, "load-latency-p95-ms")).doubleValue();
            tasks++;
        }
        return tasks == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {p50 / tasks, p95 / tasks};
    }

    private void produce(EmbeddedConnectCluster connect, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        // As the end-to-end harness: no idempotence, whose sequence checks a slow shared machine can trip.
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(config)) {
            for (int i = 0; i < records; i++) {
                for (int p = 0; p < partitions; p++) {
                    String value = "{\"id\":" + ((long) p * records + i) + ",\"name\":\"n" + i + "\"}";
                    producer.send(new ProducerRecord<>(topic, p, null, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    /** Markdown: one row per run, with the merged run's ratios to the plain run of the same target and round. */
    private String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d partitions (one task each), %,d records each, loads of %d records, "
                + "window %d ms; time from the first stored row to the last; peak versions with the emulator's "
                + "compaction at %.0f versions/s%n%n", partitions, records, batch, windowMs,
                StreamLoadEmulator.DEFAULT_COMPACTION_VERSIONS_PER_SECOND));
        sb.append("| target | load.mode | records | loads | transactions (versions) | loads per transaction "
                + "| peak versions of the table | time (s) | load latency p50 / p95 (ms) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        Run plain = null;
        for (Run r : runs) {
            if (r.mode().equals("stream_load")) {
                plain = r;
            }
            String versus = r.mode().equals("merge_commit") && plain != null && plain.dialect() == r.dialect()
                    ? String.format(Locale.ROOT, " (%.2f× plain)", (double) r.transactions() / plain.transactions())
                    : "";
            String timeVersus = r.mode().equals("merge_commit") && plain != null && plain.dialect() == r.dialect()
                    ? String.format(Locale.ROOT, " (%.2f×)", r.seconds() / plain.seconds()) : "";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d%s | %.1f | %,d | %.2f%s | %.0f / %.0f |%n",
                    r.dialect().name().toLowerCase(Locale.ROOT), r.mode(), r.records(), r.loads(), r.transactions(),
                    versus, (double) r.loads() / Math.max(1, r.transactions()), r.peakVersions(), r.seconds(),
                    timeVersus, r.p50Ms(), r.p95Ms()));
        }
        return sb.toString();
    }
}
