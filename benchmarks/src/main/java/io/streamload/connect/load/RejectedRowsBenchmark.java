package io.streamload.connect.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.TableBuffer;
import io.streamload.connect.dialect.DorisDialect;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.encode.CsvRowEncoder;
import io.streamload.connect.encode.JsonRowEncoder;
import io.streamload.connect.encode.RowEncoder;
import io.streamload.connect.errors.ErrorPolicy;
import io.streamload.connect.errors.ErrorTolerance;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.WarningsWriter;

/**
 * What finding a batch's rejected records costs the target: {@code --records} records (default
 * 3,000) of which {@code --rejected} (default 105, spread at random with a fixed seed, three kinds
 * of bad value) are refused by the emulator, loaded by the connector's own load path
 * ({@link BatchLoader}, {@link AttemptEngine}, {@link PlainStreamLoad}, {@link StreamLoadClient} over
 * HTTP) in batches of {@code --batch-records} (default: all in one, as the default
 * {@code buffer.max.records} would take them), with {@code errors.tolerance=all}. Two ways of finding
 * the bad records run side by side on one emulator, in turn, {@code --rounds} times:
 * <ul>
 *   <li>halving alone: every refused part is cut in two until each refused part is one record
 *   (how isolation worked before the error log was read);</li>
 *   <li>error log first: the refused load's error log names the records, the rest loads as one
 *   part; halving only where the log cannot tell.</li>
 * </ul>
 * Each run is checked (exactly the bad records reported, every other record stored once) and
 * counted from the emulator's own list of loads: loads, failed (aborted) loads, and both per
 * rejected record.
 *
 * <p>{@code java ... io.streamload.connect.load.RejectedRowsBenchmark [--records N] [--rejected B]
 * [--batch-records R] [--format json|csv] [--dialect starrocks|doris] [--rounds K]};
 * {@code bash benchmarks/run rejects ...} builds and runs it.
 */
public final class RejectedRowsBenchmark {

    private static final String DB = "bench";
    private static final String TOPIC = "orders";
    private static final long SEED = 20_261_127L;

    private final int records;
    private final int rejected;
    private final int batchRecords;
    private final String format;
    private final Dialect dialect;
    private final int rounds;

    RejectedRowsBenchmark(Map<String, String> options) {
        this.records = Integer.parseInt(options.getOrDefault("--records", "3000"));
        this.rejected = Integer.parseInt(options.getOrDefault("--rejected", "105"));
        this.batchRecords = Integer.parseInt(options.getOrDefault("--batch-records", Integer.toString(records)));
        this.format = options.getOrDefault("--format", "json");
        this.dialect = Dialect.valueOf(options.getOrDefault("--dialect", "starrocks").toUpperCase(Locale.ROOT));
        this.rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
        if (rejected > records || !Set.of("json", "csv").contains(format)) {
            throw new IllegalArgumentException("--rejected must be at most --records; --format json or csv");
        }
    }

    public static void main(String[] args) throws Exception {
        // Every rejected record is logged at WARN: thousands of lines that say nothing about the cost.
        System.setProperty("org.slf4j.simpleLogger.log.io.streamload", "error");
        List<String> known = List.of("--records", "--rejected", "--batch-records", "--format", "--dialect", "--rounds");
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!known.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: --records N --rejected B "
                        + "--batch-records R --format json|csv --dialect starrocks|doris --rounds K");
            }
            options.put(args[i], args[i + 1]);
        }
        RejectedRowsBenchmark benchmark = new RejectedRowsBenchmark(options);
        benchmark.print(benchmark.run());
        System.exit(0);
    }

    /** What one run cost. */
    record Run(String way, int round, long loads, long failedLoads, long millis) {

        boolean readErrorLog() {
            return way.equals("error log first");
        }
    }

    /** Every reported round of both ways, in the order run; each run checked. */
    List<Run> run() throws Exception {
        Set<Long> bad = badOffsets();
        List<SinkRecord> input = records(bad);
        List<Run> runs = new ArrayList<>();
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(dialect).credentials("root", "bench")
                .start();
             StreamLoadClient client = client(emulator)) {
            // Unreported: the JIT compiles both paths once.
            run(emulator, client, input, bad, false, 0);
            run(emulator, client, input, bad, true, 0);
            for (int round = 1; round <= rounds; round++) {
                runs.add(run(emulator, client, input, bad, false, round));
                runs.add(run(emulator, client, input, bad, true, round));
            }
        }
        return runs;
    }

    private Run run(StreamLoadEmulator emulator, StreamLoadClient client, List<SinkRecord> input, Set<Long> bad,
                    boolean readErrorLog, int round) throws Exception {
        String table = (readErrorLog ? "log" : "halves") + "_" + round;
        emulator.createTable(TableDefinition.builder(DB, table)
                .column("id", "BIGINT", false)
                .column("name", "VARCHAR(8)", false)
                .column("day", "DATE", false)
                .duplicateKey("id")
                .build());
        Set<Long> reported = new TreeSet<>();
        ErrantRecordReporter reporter = (record, error) -> {
            synchronized (reported) {
                reported.add(record.kafkaOffset());
            }
            return CompletableFuture.completedFuture(null);
        };
        StreamLoadDialect target = dialect == Dialect.DORIS ? new DorisDialect() : new StarRocksDialect();
        BodyFraming framing = target.framing(format, "\n");
        LabelFormat labels = new LabelFormat("bench", table);
        FilteredRowTracer tracer = new FilteredRowTracer(client, ",");
        BatchCutter cutter = new BatchCutter(framing, labels);
        RejectedRowFinder finder = readErrorLog
                ? new RejectedRowFinder(client, cutter, tracer, new ErrorLogNames(client, ","))
                : RejectedRowFinder.halvingOnly(client, cutter, tracer);
        Backoff backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));
        AttemptEngine engine = new AttemptEngine(
                new PlainStreamLoad(client, target, backoff, Duration.ofSeconds(30), TaskClock.SYSTEM),
                target.formatHeaders(format, ",", "\n"), new RetryBudget(5, Duration.ZERO, backoff), TaskClock.SYSTEM,
                new LoadListener() { }, () -> false, Ownership.ALWAYS, client, DB);
        RejectedRecords rejections = new RejectedRecords(reporter, WarningsWriter.disabled(), DB, target.name(),
                Duration.ofSeconds(5));
        BatchLoader loader = new BatchLoader(engine, new ErrorPolicy(ErrorTolerance.ALL, rejections), finder, tracer,
                name -> false, DB);

        long started = System.nanoTime();
        for (int from = 0; from < input.size(); from += batchRecords) {
            loader.load(batch(table, input.subList(from, Math.min(input.size(), from + batchRecords)), framing,
                    labels));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        if (!reported.equals(bad)) {
            throw new IllegalStateException(table + ": reported " + reported.size() + " records, not the "
                    + bad.size() + " bad ones");
        }
        if (emulator.rowCount(DB, table) != records - bad.size()) {
            throw new IllegalStateException(table + ": stored " + emulator.rowCount(DB, table) + " rows, not "
                    + (records - bad.size()));
        }
        List<LoadRecord> loads = emulator.loads().stream().filter(load -> load.table().equals(table)).toList();
        long failed = loads.stream().filter(load -> load.state() == LoadState.ABORTED).count();
        return new Run(readErrorLog ? "error log first" : "halving alone", round, loads.size(), failed, millis);
    }

    /** {@code --rejected} offsets of {@code --records}, chosen at random with a fixed seed. */
    private Set<Long> badOffsets() {
        Random random = new Random(SEED);
        Set<Long> bad = new TreeSet<>();
        while (bad.size() < rejected) {
            bad.add((long) random.nextInt(records));
        }
        return bad;
    }

    /**
     * The records; bad ones have no id, too long a name or an impossible date, in turn (the
     * columns are NOT NULL, so a value that does not convert filters its row without strict mode).
     */
    private List<SinkRecord> records(Set<Long> bad) {
        List<SinkRecord> out = new ArrayList<>(records);
        int kind = 0;
        for (long offset = 0; offset < records; offset++) {
            Object id = offset;
            String name = "n" + offset % 1000;
            String day = "2026-11-27";
            if (bad.contains(offset)) {
                switch (kind++ % 3) {
                    case 0 -> id = null;
                    case 1 -> name = "much too long " + offset;
                    default -> day = "2026-02-30";
                }
            }
            Object value;
            if ("json".equals(format)) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("id", id);
                map.put("name", name);
                map.put("day", day);
                value = map;
            } else {
                value = (id == null ? "\\N" : id.toString()) + "," + name + "," + day;
            }
            out.add(new SinkRecord(TOPIC, (int) (offset % 4), null, null, null, value, offset));
        }
        return out;
    }

    private Batch batch(String table, List<SinkRecord> part, BodyFraming framing, LabelFormat labels)
            throws Exception {
        TableBuffer buffer = new TableBuffer(table, framing, Long.MAX_VALUE, Long.MAX_VALUE, true);
        RowEncoder encoder = "json".equals(format) ? new JsonRowEncoder() : new CsvRowEncoder("\n");
        for (SinkRecord record : part) {
            buffer.append(record, encoder, System.nanoTime());
        }
        TableBuffer.Sealed sealed = buffer.seal();
        return new Batch(sealed.table(), labels.labelFor(table, sealed.ranges(), sealed.body(), Map.of()),
                sealed.body(), sealed.rows().size(), sealed.ranges(), List.of(), sealed.rows());
    }

    private static StreamLoadClient client(StreamLoadEmulator emulator) {
        return new StreamLoadClient(new StarRocksDialect(), new FeSelector(List.of(URI.create(emulator.feUrl()))), DB,
                "root", "bench", new StreamLoadClient.Options(Duration.ofSeconds(5), Duration.ofSeconds(60),
                        Duration.ofSeconds(60), null, 4, "streamload-benchmarks"),
                runnable -> {
                    Thread thread = new Thread(runnable, "bench-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private void print(List<Run> runs) {
        System.out.printf(Locale.ROOT, "%n%,d records, %,d rejected by the target (%s, %s), batches of %,d records%n%n",
                records, rejected, dialect.name().toLowerCase(Locale.ROOT), format, batchRecords);
        System.out.println("| way | round | loads | failed loads | loads per rejected record "
                + "| failed loads per rejected record | ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Run run : runs) {
            System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,d | %.2f | %.2f | %,d |%n", run.way(), run.round(),
                    run.loads(), run.failedLoads(), (double) run.loads() / rejected,
                    (double) run.failedLoads() / rejected, run.millis());
        }
        Run before = median(runs, "halving alone");
        Run after = median(runs, "error log first");
        System.out.printf(Locale.ROOT, "%nmedian round: loads %,d -> %,d (%.3f of before), failed loads %,d -> %,d "
                        + "(%.3f of before), time %,d -> %,d ms (%.3f of before)%n",
                before.loads(), after.loads(), (double) after.loads() / before.loads(), before.failedLoads(),
                after.failedLoads(), (double) after.failedLoads() / Math.max(1, before.failedLoads()), before.millis(),
                after.millis(), (double) after.millis() / Math.max(1, before.millis()));
    }

    private static Run median(List<Run> runs, String way) {
        List<Run> ofWay = new ArrayList<>(runs.stream().filter(run -> run.way().equals(way)).toList());
        ofWay.sort((a, b) -> Long.compare(a.millis(), b.millis()));
        return ofWay.get(ofWay.size() / 2);
    }
}
