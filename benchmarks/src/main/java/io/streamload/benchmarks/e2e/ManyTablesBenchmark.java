package io.streamload.benchmarks.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;

/**
 * Many slowly written tables against a target with a version limit: N topics to N tables, one
 * record a second on each, and bursts on a few. Run once with a fixed 1 s flush interval (what a
 * connector does without adapting) and once adapting (the flush interval grows on version pressure
 * and {@code load.max.rate} caps the loads), on the same emulator settings, and report loads per
 * second, refused loads, the most versions a table reached, end-to-end latency and heap.
 *
 * <p>{@code java ... ManyTablesBenchmark [--tables N] [--seconds S] [--max-versions V]
 * [--compaction R] [--max-rate L] [--report FILE]}. The emulator's limit and compaction rate are
 * scaled down from the servers' (1000 or 2000 versions) so that a run of a minute meets them.
 */
public final class ManyTablesBenchmark {

    private static final String DB = "bench";
    private static final int BURST_TOPICS = 5;
    private static final int BURST_RECORDS = 2_000;
    private static final int BURST_EVERY_SECONDS = 10;
    /** Records produced in the first seconds wait for the consumer group to form: left out of latency. */
    private static final long WARMUP_MS = 10_000;

    record Settings(int tables, int seconds, int maxVersions, double compaction, double maxRate) {
        static Settings parse(String[] args) {
            // Compaction below the loads a fixed 1 s flush of 50 tables makes even on 2 busy cores,
            // and the adaptive cap a little above it (the tables' paces absorb the rest): the limit
            // is met, and what adapting does shows.
            int tables = 50;
            int seconds = 60;
            int maxVersions = 5;
            double compaction = 5;
            double maxRate = 6;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--tables" -> tables = Integer.parseInt(args[i + 1]);
                    case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                    case "--max-versions" -> maxVersions = Integer.parseInt(args[i + 1]);
                    case "--compaction" -> compaction = Double.parseDouble(args[i + 1]);
                    case "--max-rate" -> maxRate = Double.parseDouble(args[i + 1]);
                    case "--report" -> {
                        // read by main
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --tables N "
                            + "--seconds S --max-versions V --compaction R --max-rate L --report FILE");
                }
            }
            return new Settings(tables, seconds, maxVersions, compaction, maxRate);
        }
    }

    /** One mode's figures. */
    record Result(String mode, int loads, int refused, double loadsPerSecond, int peakVersions, double p50Ms,
                  double p99Ms, long records, long inKafka, long stored, long offsetsLoadedTwice, long offsetsNotLoaded,
                  long peakHeapAfterGcBytes) {
    }

    private final Settings settings;

    ManyTablesBenchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        List<Result> results = new ManyTablesBenchmark(settings).run();
        String table = markdown(settings, results);
        System.out.println();
        System.out.println(table);
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--report")) {
                Files.writeString(Path.of(args[i + 1]), table, StandardCharsets.UTF_8);
            }
        }
        System.exit(0);
    }

    List<Result> run() throws Exception {
        Map<String, String> worker = new HashMap<>();
        worker.put("offset.flush.interval.ms", "10000");
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("many-tables").numWorkers(1)
                .workerProps(worker).brokerProps(broker).build();
        connect.start();
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().credentials("root", "bench")
                .maxTabletVersions(settings.maxVersions()).compactionVersionsPerSecond(settings.compaction()).start()) {
            List<Result> results = new ArrayList<>();
            results.add(runMode(connect, emulator, "fixed", Map.of("buffer.flush.interval.max.ms", "1000")));
            results.add(runMode(connect, emulator, "adaptive", Map.of("buffer.flush.interval.max.ms", "30000",
                    "load.max.rate", Double.toString(settings.maxRate()))));
            return results;
        } finally {
            connect.stop();
        }
    }

    private Result runMode(EmbeddedConnectCluster connect, StreamLoadEmulator emulator, String mode,
                           Map<String, String> modeProps) throws Exception {
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < settings.tables(); t++) {
            String name = mode + "_t" + t;
            topics.add(name);
            TableDefinition.Builder table = TableDefinition.builder(DB, name).counting(true);
            emulator.createTable(table.column("id", "BIGINT", false).column("ts", "BIGINT", true).duplicateKey("id")
                    .build());
        }
        try (Admin admin = connect.kafka().createAdminClient()) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all()
                    .get(2, TimeUnit.MINUTES);
        }
        log(mode + ": " + topics.size() + " topics and tables created");
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", "io.streamload.connect.StreamLoadSinkConnector");
        props.put("tasks.max", "1");
        props.put("topics", String.join(",", topics));
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("value.passthrough", "true");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "bench");
        props.put("load.database", DB);
        props.put("buffer.flush.interval.ms", "1000");
        props.put("max.in.flight.loads", "8");
        props.put("max.retries", "100");
        props.putAll(modeProps);
        connect.configureConnector("many-" + mode, props);

        long[][] produced = new long[settings.tables()][];
        int[] counts = new int[settings.tables()];
        int perTopicMax = settings.seconds() + (settings.seconds() / BURST_EVERY_SECONDS + 1) * BURST_RECORDS;
        for (int t = 0; t < settings.tables(); t++) {
            produced[t] = new long[t < BURST_TOPICS ? perTopicMax : settings.seconds() + 1];
        }
        HeapWatch heap = new HeapWatch();
        long start = System.currentTimeMillis();
        // Idempotent: on 2 shared cores the broker can stall past the request timeout, and a
        // producer without idempotence then sends again what the broker may already have written:
        // Kafka would hold records twice, at two offsets, and the table would rightly hold them twice.
        Map<String, Object> producerConfig = Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG,
                "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(producerConfig)) {
            for (int second = 0; second < settings.seconds(); second++) {
                long due = start + second * 1000L;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                for (int t = 0; t < settings.tables(); t++) {
                    int bursts = t < BURST_TOPICS && second % BURST_EVERY_SECONDS == 5 ? BURST_RECORDS : 1;
                    for (int r = 0; r < bursts; r++) {
                        long now = System.currentTimeMillis();
                        produced[t][counts[t]] = now;
                        long id = counts[t]++;
                        producer.send(new ProducerRecord<>(topics.get(t), 0, null,
                                ("{\"id\":" + id + ",\"ts\":" + now + "}").getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            producer.flush();
        }
        long records = Arrays.stream(counts).asLongStream().sum();
        long[] inKafka = endOffsets(connect, topics);
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(3).toMillis();
        // Each table to its own count: a sum reached early by one table's surplus would hide another's shortfall.
        while (!allStored(emulator, topics, inKafka) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        long end = System.currentTimeMillis();
        heap.close();
        connect.deleteConnector("many-" + mode);

        List<Long> latencies = new ArrayList<>();
        int loads = 0;
        int refused = 0;
        int peak = 0;
        long loadedTwice = 0;
        long notLoaded = 0;
        Map<String, List<LoadRecord>> byTable = new HashMap<>();
        for (LoadRecord load : emulator.loads()) {
            if (load.table().startsWith(mode + "_")) {
                byTable.computeIfAbsent(load.table(), k -> new ArrayList<>()).add(load);
            }
        }
        for (int t = 0; t < settings.tables(); t++) {
            String table = topics.get(t);
            peak = Math.max(peak, emulator.peakTabletVersions(DB, table));
            // One record per label: a refused load retried under its label shows as its last attempt.
            List<LoadRecord> tableLoads = byTable.getOrDefault(table, List.of()).stream()
                    .filter(l -> l.state() == LoadState.VISIBLE).toList();
            loads += tableLoads.size();
            refused += (int) emulator.refusedForVersions(DB, table);
            long[] coverage = offsetCoverage(tableLoads, inKafka[t]);
            loadedTwice += coverage[0];
            notLoaded += coverage[1];
            long row = 0;
            for (LoadRecord load : tableLoads.stream().sorted((a, b) -> Long.compare(a.finishedMillis(),
                    b.finishedMillis())).toList()) {
                if (load.state() != LoadState.VISIBLE) {
                    continue;
                }
                for (long k = row; k < row + load.loadedRows() && k < counts[t]; k++) {
                    if (produced[t][(int) k] - start >= WARMUP_MS) {
                        latencies.add(load.finishedMillis() - produced[t][(int) k]);
                    }
                }
                row += load.loadedRows();
            }
        }
        latencies.sort(null);
        double seconds = (end - start) / 1000.0;
        Result result = new Result(mode, loads, refused, loads / seconds, peak, percentile(latencies, 0.50),
                percentile(latencies, 0.99), records, Arrays.stream(inKafka).sum(), stored(emulator, topics), loadedTwice,
                notLoaded, heap.peakAfterGcBytes());
        log(result.toString());
        return result;
    }

    /** Each topic's end offset: the records Kafka holds, which the tables must hold, each once. */
    private static long[] endOffsets(EmbeddedConnectCluster connect, List<String> topics) throws Exception {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            topics.forEach(t -> request.put(new TopicPartition(t, 0), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all()
                    .get(2, TimeUnit.MINUTES);
            return topics.stream().mapToLong(t -> ends.get(new TopicPartition(t, 0)).offset()).toArray();
        }
    }

    private static boolean allStored(StreamLoadEmulator emulator, List<String> tables, long[] inKafka) {
        for (int t = 0; t < tables.size(); t++) {
            if (emulator.rowCount(DB, tables.get(t)) < inKafka[t]) {
                return false;
            }
        }
        return true;
    }

    /**
     * How the table's visible loads cover its topic's offsets 0 to {@code end}, read from their
     * labels ({@code ...-<partition>-<first>-<last>-<identity>}, one partition per topic here):
     * offsets loaded more than once, and offsets loaded by none.
     */
    static long[] offsetCoverage(List<LoadRecord> loads, long end) {
        int[] times = new int[(int) end];
        for (LoadRecord load : loads) {
            if (load.state() != LoadState.VISIBLE) {
                continue;
            }
            String[] parts = load.label().split("-");
            long first = Long.parseLong(parts[parts.length - 3]);
            long last = Long.parseLong(parts[parts.length - 2]);
            for (long o = first; o <= last && o < end; o++) {
                times[(int) o]++;
            }
        }
        long twice = 0;
        long none = 0;
        for (int n : times) {
            twice += Math.max(0, n - 1);
            none += n == 0 ? 1 : 0;
        }
        return new long[] {twice, none};
    }

    private static long stored(StreamLoadEmulator emulator, List<String> tables) {
        long sum = 0;
        for (String table : tables) {
            sum += emulator.rowCount(DB, table);
        }
        return sum;
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String markdown(Settings s, List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d topics to %d tables, %d s: one record a second on each, %d records every %d s on "
                        + "%d of them; emulator: loads refused past %d versions, compaction %.0f versions/s; adaptive: "
                        + "buffer.flush.interval.ms 1000 to 30000, load.max.rate %.0f%n%n", s.tables(), s.tables(),
                s.seconds(), BURST_RECORDS, BURST_EVERY_SECONDS, BURST_TOPICS, s.maxVersions(), s.compaction(),
                s.maxRate()));
        out.append("| mode | loads/s | loads (visible) | refused (too many versions) | peak versions of a table | latency p50 | "
                + "latency p99 | rows stored / in Kafka / produced | offsets loaded twice / not loaded | "
                + "heap after GC, peak |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format("| %s | %.1f | %d | %d | %d | %.1f s | %.1f s | %d / %d / %d | %d / %d | %.0f MB |%n",
                    r.mode(), r.loadsPerSecond(), r.loads(), r.refused(), r.peakVersions(), r.p50Ms() / 1000,
                    r.p99Ms() / 1000, r.stored(), r.inKafka(), r.records(), r.offsetsLoadedTwice(),
                    r.offsetsNotLoaded(), r.peakHeapAfterGcBytes() / 1e6));
        }
        return out.toString();
    }

    private static final long STARTED = System.nanoTime();

    static void log(String line) {
        System.out.printf("[many-tables %6.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    }
}
