package io.streamload.connect.txn;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

import io.streamload.connect.buffer.PartitionRange;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.offset.LoadedRanges;

/**
 * What exactly-once's {@code open()} costs with a large intent log: a broker in this JVM, an
 * intent log filled with {@code --intents} committed transactions spread over
 * {@code --partitions} partitions of one topic, then, for each assignment (a few partitions, then
 * all of them), a task's {@link TransactionalDelivery} is built as at task start and timed through
 * <ol>
 *   <li>its first {@code open()} of the assignment,</li>
 *   <li>{@code --tail} more transactions written to the log (the work between two rebalances),</li>
 *   <li>a second {@code open()} of the same partitions (a rebalance that gave them back),</li>
 *   <li>an {@code open()} of as many other partitions (a rebalance that moved others here).</li>
 * </ol>
 * Every open is checked: the records of each committed transaction of its partitions are known
 * as loaded afterwards. The intents are written by the connector's own {@link IntentLog}, so the
 * log is laid out as the version under test writes it.
 *
 * <p>{@code java ... io.streamload.connect.txn.RecoveryOpenBenchmark [--intents N] [--partitions P]
 * [--assigned A] [--ranges-per-intent R] [--tail T] [--rounds K]}; {@code bash benchmarks/run recovery ...}
 * builds and runs it. Each round builds new tasks; the table shows every round and the median.
 */
public final class RecoveryOpenBenchmark {

    private static final String CONNECTOR = "bench-sink";
    private static final String TOPIC = "orders";
    private static final String LOG_TOPIC = "streamload-intent-log";
    private static final Duration RETENTION = Duration.ofDays(3);
    /** Offsets per transaction and partition. */
    private static final long BATCH = 1_000;
    /** Intent logs filling the topic at once. */
    private static final int WRITERS = 4;

    private final int intents;
    private final int partitions;
    private final int assigned;
    private final int rangesPerIntent;
    private final int tail;
    private final int rounds;
    private EmbeddedKafkaCluster kafka;
    private final StreamLoadClient client = unusedClient();
    /** Transactions written so far, per partition (the next one's index). */
    private final int[] written;
    private String topicId = "";
    /** Transactions written so far. */
    private int fills;

    private RecoveryOpenBenchmark(Map<String, String> options) {
        this.intents = Integer.parseInt(options.getOrDefault("--intents", "1000000"));
        this.partitions = Integer.parseInt(options.getOrDefault("--partitions", "1000"));
        this.assigned = Integer.parseInt(options.getOrDefault("--assigned", "10"));
        this.rangesPerIntent = Integer.parseInt(options.getOrDefault("--ranges-per-intent", "1"));
        this.tail = Integer.parseInt(options.getOrDefault("--tail", "1000"));
        this.rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        this.written = new int[partitions];
        if (partitions % rangesPerIntent != 0 || 2 * assigned > partitions) {
            throw new IllegalArgumentException("--partitions must be a multiple of --ranges-per-intent and at least "
                    + "twice --assigned");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--intents", "--partitions", "--assigned", "--ranges-per-intent", "--tail", "--rounds")
                    .contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: --intents N "
                        + "--partitions P --assigned A --ranges-per-intent R --tail T --rounds K");
            }
            options.put(args[i], args[i + 1]);
        }
        new RecoveryOpenBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        try {
            kafka.createTopic(TOPIC, partitions);
            try (Admin admin = Admin.create(logClient())) {
                topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId().toString();
            }
            long started = System.nanoTime();
            fill(intents);
            long records = logEnd();
            System.out.printf(Locale.ROOT, "intent log: %,d records (%,d intents over %,d partitions, %d range(s) "
                            + "each), written in %,d ms%n", records, intents, partitions, rangesPerIntent,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            List<TopicPartition> few = partitionsFrom(0, assigned);
            List<TopicPartition> others = partitionsFrom(partitions / 2, assigned);
            List<TopicPartition> all = partitionsFrom(0, partitions);
            // Unreported: the JIT compiles the read path of both the client and the connector.
            measure(few, others);
            List<Row> rows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                rows.add(measure(few, others).named(assigned + " of " + partitions + " partitions", round));
                rows.add(measure(all, List.of()).named("all " + partitions + " partitions", round));
            }
            print(rows);
        } finally {
            client.close();
            kafka.stop();
        }
    }

    /** One task's opens of {@code assignment}; {@code moved} (when any) opened afterwards. */
    private Row measure(List<TopicPartition> assignment, List<TopicPartition> moved) throws Exception {
        System.gc();
        try (TransactionalDelivery task = task()) {
            Timing first = open(task, assignment);
            fill(tail);
            Timing second = open(task, assignment);
            Timing other = moved.isEmpty() ? null : open(task, moved);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Row("", 0, first, second, other, heap);
        }
    }

    /** Times one open() and checks what it recovered; an open that fails is reported, not thrown. */
    private Timing open(TransactionalDelivery task, List<TopicPartition> partitions) {
        LoadedRanges loaded = new LoadedRanges();
        long started = System.nanoTime();
        try {
            task.open(partitions, loaded);
        } catch (RuntimeException e) {
            System.out.println("open() of " + partitions.size() + " partitions failed: " + e);
            return new Timing(System.nanoTime() - started, true);
        }
        Timing timing = new Timing(System.nanoTime() - started, false);
        check(partitions, loaded);
        return timing;
    }

    private TransactionalDelivery task() {
        return new TransactionalDelivery(new StarRocksDialect(), client, "db", CONNECTOR, logClient(), LOG_TOPIC,
                RETENTION, new Backoff(Duration.ofMillis(10), Duration.ofMillis(10)), TaskClock.SYSTEM);
    }

    /** Never asked anything: every transaction of the log is committed, so recovery has nothing to end. */
    private static StreamLoadClient unusedClient() {
        return new StreamLoadClient(new StarRocksDialect(),
                new FeSelector(List.of(URI.create("http://127.0.0.1:1"))), "db", "root", "bench",
                new StreamLoadClient.Options(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                        1, "bench"),
                runnable -> {
                    Thread thread = new Thread(runnable, "bench-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Every committed transaction of the partitions opened has its records known as loaded. */
    private void check(List<TopicPartition> opened, LoadedRanges loaded) {
        for (TopicPartition partition : opened) {
            int count = written[partition.partition()];
            for (long offset : new long[] {0, count * BATCH / 2, count * BATCH - 1}) {
                if (!loaded.contains(partition, offset)) {
                    throw new IllegalStateException("recovery lost the committed transaction of " + partition
                            + " at offset " + offset);
                }
            }
            if (loaded.contains(partition, count * BATCH)) {
                throw new IllegalStateException("recovery skips offset " + count * BATCH + " of " + partition
                        + ", which no transaction carried");
            }
        }
    }

    /**
     * Writes {@code count} committed transactions through the connector's intent log, as a
     * connector whose batches each carry {@code rangesPerIntent} partitions would: partition
     * groups in turn, each transaction the next {@link #BATCH} offsets of each of its partitions.
     * {@link #WRITERS} logs write at once (as that many tasks would), each its own groups.
     */
    private void fill(int count) throws Exception {
        int groups = partitions / rangesPerIntent;
        int base = fills;
        fills += count;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                try (IntentLog log = new IntentLog(logClient(), LOG_TOPIC, RETENTION)) {
                    Intent last = null;
                    for (int i = base; i < base + count; i++) {
                        int group = i % groups;
                        if (group % WRITERS != writer) {
                            continue;
                        }
                        if (last != null) {
                            log.writeLater(last);
                        }
                        last = intent(i, group);
                    }
                    if (last != null) {
                        // Acknowledged after every earlier write of the same producer.
                        log.write(last);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "fill-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("filling the intent log failed", failures.get(0));
        }
    }

    private Intent intent(int i, int group) {
        List<PartitionRange> ranges = new ArrayList<>(rangesPerIntent);
        StringBuilder label = new StringBuilder("kafka-").append(CONNECTOR).append("-orders");
        for (int p = group * rangesPerIntent; p < (group + 1) * rangesPerIntent; p++) {
            long firstOffset = written[p]++ * BATCH;
            ranges.add(new PartitionRange(new TopicPartition(TOPIC, p), firstOffset, firstOffset + BATCH - 1));
            label.append('-').append(TOPIC).append('-').append(p).append('-').append(firstOffset).append('-')
                    .append(firstOffset + BATCH - 1);
        }
        label.append('-').append(String.format(Locale.ROOT, "%016x", (long) i * 0x9E3779B97F4A7C15L));
        return new Intent(CONNECTOR, label.toString(), "orders", 10_000_000L + i, Intent.State.COMMITTED, ranges,
                Map.of(TOPIC, topicId));
    }

    private long logEnd() throws Exception {
        try (Admin admin = Admin.create(logClient())) {
            int logPartitions = admin.describeTopics(List.of(LOG_TOPIC)).allTopicNames().get().get(LOG_TOPIC)
                    .partitions().size();
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            for (int p = 0; p < logPartitions; p++) {
                specs.put(new TopicPartition(LOG_TOPIC, p), OffsetSpec.latest());
            }
            return admin.listOffsets(specs).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        }
    }

    private Map<String, Object> logClient() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    private static List<TopicPartition> partitionsFrom(int first, int count) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = first; p < first + count; p++) {
            list.add(new TopicPartition(TOPIC, p));
        }
        return list;
    }

    private void print(List<Row> rows) {
        System.out.println();
        System.out.printf(Locale.ROOT, "| assignment | round | first open ms | second open ms (after %,d more) "
                + "| open of %d other partitions ms | heap in use after (broker included), MB |%n", tail, assigned);
        System.out.println("|---|---|---:|---:|---:|---:|");
        List<String> names = rows.stream().map(Row::name).distinct().toList();
        for (String name : names) {
            List<Row> of = rows.stream().filter(r -> r.name().equals(name)).toList();
            for (Row row : of) {
                System.out.println(row.line(String.valueOf(row.round())));
            }
            System.out.println(new Row(name, 0, median(of, Row::first), median(of, Row::second),
                    of.get(0).other() == null ? null : median(of, Row::other),
                    of.stream().mapToLong(Row::heap).sorted().toArray()[of.size() / 2]).line("median"));
        }
    }

    private static Timing median(List<Row> rows, java.util.function.Function<Row, Timing> value) {
        List<Timing> sorted = rows.stream().map(value).sorted(java.util.Comparator.comparingLong(Timing::nanos))
                .toList();
        return sorted.get(sorted.size() / 2);
    }

    /** How long an open() took; failed: it threw after that long. */
    private record Timing(long nanos, boolean failed) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, failed ? "failed after %,.1f" : "%,.1f", nanos / 1e6);
        }
    }

    private record Row(String name, int round, Timing first, Timing second, Timing other, long heap) {
        Row named(String newName, int newRound) {
            return new Row(newName, newRound, first, second, other, heap);
        }

        String line(String roundText) {
            return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %,d |", name, roundText, first, second,
                    other == null ? "" : other, heap >> 20);
        }
    }
}
