package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

import io.streamload.benchmarks.SampleRecords;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableDefinition;

/**
 * The end-to-end run: a broker and a Connect worker in this JVM (the same
 * {@code EmbeddedConnectCluster} the connector's integration tests use), the emulator with
 * counting tables, N records produced up front, then each {@link Scenario} in turn: the no-op
 * sink (the framework ceiling) and the real sink, measured side by side in one run so that their
 * ratio holds even on a busy machine.
 *
 * <p>{@code java ... EndToEndBenchmark [--records N] [--partitions P] [--tasks T]
 * [--scenarios a,b,...] [--rounds R] [--warmup-rounds W] [--heap-probes K] [--slow-target-ms D]
 * [--sink-prop key=value] [--report FILE]}: with several rounds every scenario runs R times, in
 * turn, and the report shows each scenario's median round. Before them W rounds (default 1) run
 * every scenario once unreported, so that the JIT has compiled the hot paths of both the framework
 * and the sink: a first run otherwise spends as much CPU compiling as working. {@code --heap-probes K}
 * runs K full collections spread over each run and reports the heap that survived them; the
 * pauses slow the run, so use it in a pass of its own, not for throughput. {@code --slow-target-ms D}
 * makes the emulator hold each load D ms before committing it: the input outruns the target and
 * the heap figures show whether backpressure holds. {@code --sink-prop key=value} (repeatable) sets
 * a connector setting for every run of the sink.
 */
public final class EndToEndBenchmark {

    static final String DB = "bench";
    private static final String USER = "root";
    private static final String PASSWORD = "bench";
    /** The kernel's names (numbers left out) of the threads the JVM keeps from ThreadMXBean. */
    private static final Pattern HIDDEN_THREAD =
            Pattern.compile("GC |G1 |CN Compiler|VM |Sweeper|Service Thread|Common-Cleaner");

    /**
     * What to run; the defaults are the published configuration.
     *
     * @param heapProbes full collections per run to find the live heap (0: none; they slow the run)
     * @param slowTarget how long the emulator holds every load of the sink before committing it
     *                   (zero: not at all); a target slower than the input, so backpressure must hold
     * @param sinkProps connector settings for every run of the sink, over the scenario's
     * @param settle the pause (and full GC) before each run, so one run's garbage and leftover
     *               threads do not count against the next; zero for smoke runs
     */
    public record Settings(long records, int partitions, int tasks, List<Scenario> scenarios, int rounds,
                           int warmupRounds, int heapProbes, Duration slowTarget, Duration runTimeout,
                           Duration settle, Map<String, String> sinkProps) {
        public static Settings defaults() {
            return new Settings(2_000_000, 8, 1, List.of(Scenario.ALL), 1, 1, 0, Duration.ZERO,
                    Duration.ofMinutes(10), Duration.ofSeconds(2), Map.of());
        }

        /** The defaults with the command line's options over them. */
        static Settings parse(String[] args) {
            Settings d = defaults();
            long records = d.records();
            int partitions = d.partitions();
            int tasks = d.tasks();
            List<Scenario> scenarios = d.scenarios();
            int rounds = d.rounds();
            int warmupRounds = d.warmupRounds();
            int heapProbes = d.heapProbes();
            Duration slowTarget = d.slowTarget();
            Map<String, String> sinkProps = new HashMap<>(d.sinkProps());
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--records" -> records = Long.parseLong(value);
                    case "--partitions" -> partitions = Integer.parseInt(value);
                    case "--tasks" -> tasks = Integer.parseInt(value);
                    case "--scenarios" -> scenarios =
                            Arrays.stream(value.split(",")).map(String::trim).map(Scenario::byKey).toList();
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--warmup-rounds" -> warmupRounds = Integer.parseInt(value);
                    case "--heap-probes" -> heapProbes = Integer.parseInt(value);
                    case "--slow-target-ms" -> slowTarget = Duration.ofMillis(Long.parseLong(value));
                    case "--sink-prop" -> sinkProps.put(value.substring(0, value.indexOf('=')),
                            value.substring(value.indexOf('=') + 1));
                    case "--report" -> {
                        // Read by main.
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: "
                            + "--records N --partitions P --tasks T --scenarios a,b --rounds R --warmup-rounds W "
                            + "--heap-probes K --slow-target-ms D --sink-prop key=value --report FILE");
                }
            }
            return new Settings(records, partitions, tasks, scenarios, rounds, warmupRounds, heapProbes, slowTarget,
                    d.runTimeout(), d.settle(), Map.copyOf(sinkProps));
        }
    }

    private final Settings settings;
    private final Map<String, Long> topicBytes = new HashMap<>();

    public EndToEndBenchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Path report = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--report")) {
                report = Path.of(args[i + 1]);
            }
        }
        List<RunResult> results = new EndToEndBenchmark(settings).run();
        String table = ResultTable.markdown(settings, results);
        System.out.println();
        System.out.println(table);
        if (report != null) {
            Files.writeString(report, table, StandardCharsets.UTF_8);
        }
        // The embedded cluster's non-daemon threads are gone, but a lingering client thread must
        // not keep a finished benchmark alive.
        System.exit(0);
    }

    /** Runs every scenario (each round in turn) and returns what each run measured, in order. */
    public List<RunResult> run() throws Exception {
        EmbeddedConnectCluster connect = cluster();
        connect.start();
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().credentials(USER, PASSWORD).mysqlPort(0).start()) {
            for (Scenario scenario : settings.scenarios()) {
                if (!topicBytes.containsKey(scenario.topic())) {
                    topicBytes.put(scenario.topic(), produce(connect, scenario.topic()));
                }
            }
            List<RunResult> results = new ArrayList<>();
            int run = 0;
            for (int round = -settings.warmupRounds(); round < settings.rounds(); round++) {
                for (Scenario scenario : settings.scenarios()) {
                    settle();
                    String name = "bench-" + run++;
                    boolean warmup = round < 0;
                    log("run " + name + ": " + scenario.name() + (warmup ? " (warm-up, not reported)" : ""));
                    String table = scenario.isNoOp() ? null
                            : scenario.table() + "_" + (warmup ? "w" + -round : round);
                    if (table != null) {
                        emulator.createTable(countingTable(table));
                        if (!settings.slowTarget().isZero()) {
                            emulator.inject(Fault.of(FaultKind.DELAY).table(table).delay(settings.slowTarget())
                                    .times(Integer.MAX_VALUE));
                        }
                    }
                    RunResult result = measure(connect, emulator, scenario, name, table);
                    log(String.format("%s: %.0f records/s, %.1f MB/s, task CPU %.2f us/record, process CPU %.2f "
                            + "us/record (emulator %.2f)", scenario.name(), result.recordsPerSecond(),
                            result.megabytesPerSecond(), result.taskCpuMicrosPerRecord(),
                            result.processCpuMicrosPerRecord(), result.emulatorCpuMicrosPerRecord()));
                    if (!warmup) {
                        results.add(result);
                    }
                }
            }
            return results;
        } finally {
            connect.stop();
        }
    }

    private EmbeddedConnectCluster cluster() {
        Map<String, String> worker = new HashMap<>();
        worker.put("offset.flush.interval.ms", "5000");
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        Properties broker = new Properties();
        // A new consumer group starts at once instead of waiting for more members.
        broker.put("group.initial.rebalance.delay.ms", "0");
        return new EmbeddedConnectCluster.Builder().name("streamload-bench").numWorkers(1).workerProps(worker)
                .brokerProps(broker).build();
    }

    /** Produces the topic's records; returns the bytes of their values. */
    private long produce(EmbeddedConnectCluster connect, String topic) {
        connect.kafka().createTopic(topic, settings.partitions());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        long bytes = 0;
        long started = System.nanoTime();
        boolean envelope = Scenario.ENVELOPE_TOPIC.equals(topic);
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(config)) {
            for (long index = 0; index < settings.records(); index++) {
                byte[] value = envelope ? SampleRecords.envelopeBytes(index) : SampleRecords.jsonBytes(index);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, (int) (index % settings.partitions()), null, value));
            }
            producer.flush();
        }
        log(String.format("produced %,d records (%,d bytes, %.0f bytes each) to %s in %.1f s", settings.records(),
                bytes, (double) bytes / settings.records(), topic, (System.nanoTime() - started) / 1e9));
        return bytes;
    }

    /** One run of the scenario, as connector {@code connector} loading into {@code table}. */
    private RunResult measure(EmbeddedConnectCluster connect, StreamLoadEmulator emulator, Scenario scenario,
                              String connector, String table) throws Exception {
        DeliveryProbe.reset();
        long end;
        long taskCpu;
        long processCpu;
        HeapWatch heap = new HeapWatch();
        long processCpuAtStart = processCpuNanos();
        ThreadCpu threadCpu = new ThreadCpu();
        NativeThreadCpu nativeThreadCpu = new NativeThreadCpu();
        long targetCpu;
        long loadThreadCpu;
        try {
            connect.configureConnector(connector, connectorConfig(emulator, scenario, table));
            end = awaitEveryRecord(connect, emulator, scenario, connector, table, heap);
            taskCpu = DeliveryProbe.taskThreadCpuNanos();
            processCpu = processCpuNanos() - processCpuAtStart;
            Map<String, Long> cpuByThread = threadCpu.byName();
            targetCpu = cpuByThread.entrySet().stream().filter(t -> t.getKey().startsWith("emulator-"))
                    .mapToLong(Map.Entry::getValue).sum();
            loadThreadCpu = cpuByThread.entrySet().stream()
                    .filter(t -> t.getKey().startsWith("streamload-") && t.getKey().contains("-load-"))
                    .mapToLong(Map.Entry::getValue).sum();
            logCpuBreakdown(cpuByThread, processCpu, settings.records());
            logHiddenThreads(nativeThreadCpu.byName(), cpuByThread, processCpu, settings.records());
            logWaitsForCore(nativeThreadCpu.waitForCoreByName());
        } finally {
            heap.close();
        }
        connect.deleteConnector(connector);
        log("deleted " + connector);
        double seconds = (end - DeliveryProbe.firstPutNanos()) / 1e9;
        double[] latency = scenario.isNoOp() ? new double[] {Double.NaN, Double.NaN, 0}
                : loadLatencies(emulator, table);
        double finalWait = 0;
        long wireBytes = 0;
        if (!scenario.isNoOp()) {
            List<LoadRecord> loads = finishedLoads(emulator, table);
            wireBytes = loads.stream().mapToLong(LoadRecord::loadBytes).sum();
            finalWait = finalWaitMillis(loads) / 1000.0;
            logTimeline(loads, end, finalWait);
        }
        return new RunResult(scenario, settings.records(), topicBytes.get(scenario.topic()), seconds, finalWait,
                (int) latency[2], latency[0], latency[1], heap.peakUsedBytes(), heap.peakAfterGcBytes(),
                heap.gcMillisSinceStart(), taskCpu, processCpu, targetCpu, heap.peakLiveBytes(), wireBytes,
                loadThreadCpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Waits until every record is consumed (no-op) or stored; returns when, in nanos. */
    private long awaitEveryRecord(EmbeddedConnectCluster connect, StreamLoadEmulator emulator, Scenario scenario,
                                  String connector, String table, HeapWatch heap) throws InterruptedException {
        long deadline = System.nanoTime() + settings.runTimeout().toNanos();
        long nextStatusCheck = 0;
        int probesDone = 0;
        while (System.nanoTime() < deadline) {
            if (probesDone < settings.heapProbes()
                    && DeliveryProbe.records() >= settings.records() * (probesDone + 1) / (settings.heapProbes() + 1)) {
                heap.probe();
                probesDone++;
            }
            if (scenario.isNoOp()) {
                if (DeliveryProbe.records() >= settings.records()) {
                    return DeliveryProbe.lastRecordNanos();
                }
            } else if (emulator.rowCount(DB, table) >= settings.records()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > nextStatusCheck) {
                failIfATaskFailed(connect, connector);
                nextStatusCheck = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(scenario.name() + " did not finish within " + settings.runTimeout()
                + ": " + (scenario.isNoOp() ? DeliveryProbe.records() : emulator.rowCount(DB, table))
                + " of " + settings.records() + " records");
    }

    private static void failIfATaskFailed(EmbeddedConnectCluster connect, String connector) {
        ConnectorStateInfo status;
        try {
            status = connect.connectorStatus(connector);
        } catch (RuntimeException e) {
            return; // Not created yet.
        }
        for (ConnectorStateInfo.TaskState task : status.tasks()) {
            if ("FAILED".equals(task.state())) {
                throw new IllegalStateException("task " + task.id() + " failed: " + task.trace());
            }
        }
    }

    private Map<String, String> connectorConfig(StreamLoadEmulator emulator, Scenario scenario, String table) {
        Map<String, String> props = new HashMap<>();
        props.put("topics", scenario.topic());
        props.put("tasks.max", Integer.toString(settings.tasks()));
        props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        if (scenario.isNoOp()) {
            props.put("connector.class", NoOpSinkConnector.class.getName());
            props.put(OffCoreNoOpSinkTask.RECORDS_PER_RUN, Long.toString(settings.records()));
        } else {
            props.put("connector.class", ProbedSinkConnector.class.getName());
            props.put("load.urls", emulator.feUrl());
            props.put("load.user", USER);
            props.put("load.password", PASSWORD);
            props.put("load.database", DB);
            props.put("topic2table.map", scenario.topic() + ":" + table);
            props.put("ddl.port", Integer.toString(emulator.mysqlPort()));
        }
        props.putAll(scenario.props());
        if (!scenario.isNoOp()) {
            props.putAll(settings.sinkProps());
        }
        return props;
    }

    private static TableDefinition countingTable(String table) {
        TableDefinition.Builder builder = TableDefinition.builder(DB, table).counting(true);
        for (String column : SampleRecords.COLUMNS) {
            builder.column(column, "STRING", !column.equals("id"));
        }
        return builder.duplicateKey("id").build();
    }

    /** p50, p99 (ms) and the number of committed loads into the table. */
    private static double[] loadLatencies(StreamLoadEmulator emulator, String table) {
        long[] millis = emulator.loads().stream()
                .filter(load -> load.table().equals(table) && load.state().finished())
                .mapToLong(load -> load.finishedMillis() - load.createdMillis())
                .sorted().toArray();
        if (millis.length == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        return new double[] {percentile(millis, 0.50), percentile(millis, 0.99), millis.length};
    }

    /**
     * The threads the JVM hides from {@code ThreadMXBean} (collector, compilers, VM), as the
     * kernel names them (15 characters, numbers left out): what the breakdown's "not in Java
     * threads" is made of.
     */
    private static void logHiddenThreads(Map<String, Long> cpuByNativeName, Map<String, Long> cpuByThread,
                                         long processCpu, long records) {
        StringBuilder line = new StringBuilder("CPU µs/record outside Java threads:");
        for (Map.Entry<String, Long> thread : cpuByNativeName.entrySet().stream()
                .filter(t -> HIDDEN_THREAD.matcher(t.getKey()).lookingAt())
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
            if (thread.getValue() * 200 >= processCpu) {
                line.append(String.format(" %s %.3f;", thread.getKey(), thread.getValue() / 1000.0 / records));
            }
        }
        line.append(String.format(" all threads as the kernel counts them %.2f, Java threads %.2f",
                sum(cpuByNativeName) / 1000.0 / records, sum(cpuByThread) / 1000.0 / records));
        log(line.toString());
    }

    /**
     * How long the busiest waiters were runnable without a core: on two cores the sink's threads,
     * the emulator's and the broker's take turns, and the task thread's share of that wait is time
     * the ceiling's task thread spends running.
     */
    private static void logWaitsForCore(Map<String, Long> waitForCoreByNativeName) {
        StringBuilder line = new StringBuilder("ms waiting for a core (runnable, not running):");
        waitForCoreByNativeName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(6).forEach(t -> line.append(String.format(" %s %d;", t.getKey(), t.getValue() / 1_000_000)));
        log(line.toString());
    }

    private static long sum(Map<String, Long> nanosByName) {
        return nanosByName.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Where the run's CPU went, in µs per record, the largest first; the rest is GC, JIT and the VM. */
    private static void logCpuBreakdown(Map<String, Long> cpuByThread, long processCpu, long records) {
        StringBuilder line = new StringBuilder("CPU µs/record:");
        long seen = 0;
        for (Map.Entry<String, Long> thread : cpuByThread.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
            seen += thread.getValue();
            if (thread.getValue() * 100 >= processCpu) {
                line.append(String.format(" %s %.2f;", thread.getKey(), thread.getValue() / 1000.0 / records));
            }
        }
        line.append(String.format(" not in Java threads (GC, JIT, VM) %.2f",
                (processCpu - seen) / 1000.0 / records));
        log(line.toString());
    }

    /**
     * When each load ran and when the last record was taken, in ms from the first {@code put()}:
     * shows whether the input or the loads set the pace, and how long the last, partly filled
     * buffer waited for its flush interval.
     */
    private static void logTimeline(List<LoadRecord> finished, long end, double finalWait) {
        long firstPut = firstPutMillis();
        StringBuilder loads = new StringBuilder();
        finished.forEach(load -> loads.append(' ').append(load.createdMillis() - firstPut)
                .append('-').append(load.finishedMillis() - firstPut));
        log(String.format("timeline ms: last record taken %d, every row counted %d, the last buffer waited %.0f; "
                        + "loads%s", (DeliveryProbe.lastRecordNanos() - DeliveryProbe.firstPutNanos()) / 1_000_000,
                (end - DeliveryProbe.firstPutNanos()) / 1_000_000, finalWait * 1000, loads));
    }

    /**
     * How long the last load waited to start after the sink had taken every record and every
     * earlier load had finished: the last, partly filled buffer waiting for its flush interval.
     */
    private static long finalWaitMillis(List<LoadRecord> loads) {
        if (loads.isEmpty()) {
            return 0;
        }
        long lastTaken = firstPutMillis()
                + (DeliveryProbe.lastRecordNanos() - DeliveryProbe.firstPutNanos()) / 1_000_000;
        long busyUntil = lastTaken;
        for (LoadRecord load : loads.subList(0, loads.size() - 1)) {
            busyUntil = Math.max(busyUntil, load.finishedMillis());
        }
        return Math.max(0, loads.get(loads.size() - 1).createdMillis() - busyUntil);
    }

    private static List<LoadRecord> finishedLoads(StreamLoadEmulator emulator, String table) {
        return emulator.loads().stream()
                .filter(load -> load.table().equals(table) && load.state().finished())
                .sorted(Comparator.comparingLong(LoadRecord::createdMillis))
                .toList();
    }

    /** The first {@code put()} on the wall clock, which the emulator's load times use. */
    private static long firstPutMillis() {
        return System.currentTimeMillis() - (System.nanoTime() - DeliveryProbe.firstPutNanos()) / 1_000_000;
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Lets the previous run's garbage go, so each run starts from the same heap. */
    private void settle() throws InterruptedException {
        if (settings.settle().isZero()) {
            return;
        }
        Thread.sleep(settings.settle().toMillis());
        System.gc();
    }

    private static final long STARTED = System.nanoTime();

    static void log(String line) {
        System.out.printf("[bench %6.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    }
}
