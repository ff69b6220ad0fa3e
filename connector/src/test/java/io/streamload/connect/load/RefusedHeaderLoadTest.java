package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.TableBuffer;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.connect.encode.JsonRowEncoder;
import io.streamload.connect.errors.ErrorPolicy;
import io.streamload.connect.errors.ErrorTolerance;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.testing.ManualClock;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.warnings.WarningsWriter;

/**
 * A {@code Fail} answer caused by a Stream Load header the target refuses, as the emulator gives
 * it: the batch fails at its first attempt with the target's message and the key to change, where
 * it used to be sent again until the retry budget was spent (a whole setting's worth of minutes)
 * and then end with "restart the task", which cannot help either.
 */
class RefusedHeaderLoadTest {

    private static final String DB = "db";
    private static final String TABLE = "t";
    private static final BodyFraming JSON_ARRAY = BodyFraming.of("[", ",", "]");
    private static StreamLoadEmulator emulator;
    private static StreamLoadClient client;

    @BeforeAll
    static void start() {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").start();
        emulator.createTable(TableDefinition.builder(DB, TABLE).column("id", "BIGINT", false).duplicateKey("id")
                .build());
        client = new StreamLoadClient(new StarRocksDialect(), new FeSelector(List.of(URI.create(emulator.feUrl()))),
                DB, "root", "secret",
                new StreamLoadClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), null,
                        4, "test"),
                runnable -> {
                    Thread thread = new Thread(runnable, "test-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @ParameterizedTest
    @CsvSource({
        "max_filter_ratio, abc, Invalid max_filter_ratio, load.properties.max_filter_ratio",
        "timeout, 10m, Invalid timeout, load.properties.timeout"})
    void aRefusedHeaderFailsTheBatchAtItsFirstAttempt(String header, String value, String targetSays, String key)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(new StarRocksDialect().formatHeaders("json", "\t", "\n"));
        headers.put(header, value);
        AtomicInteger attempts = new AtomicInteger();
        ManualClock clock = new ManualClock();
        BatchLoader loader = loader(headers, clock, new LoadListener() {
            @Override
            public void attempt(Batch batch) {
                attempts.incrementAndGet();
            }
        });

        LoadFailedException failure = assertThrows(LoadFailedException.class, () -> loader.load(batch(header)));

        assertEquals(1, attempts.get(), "not sent again: " + failure.getMessage());
        assertEquals(0, clock.sleptMillis(), "no backoff waited");
        assertTrue(failure.getMessage().contains(targetSays), "the target's message: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("What to do: set " + key), failure.getMessage());
        assertTrue(!failure.getMessage().contains("restart the task"), failure.getMessage());
        assertEquals(0, emulator.rowCount(DB, TABLE));
    }

    private static BatchLoader loader(Map<String, String> headers, ManualClock clock, LoadListener listener) {
        FilteredRowTracer tracer = new FilteredRowTracer(client, "\t");
        BatchCutter cutter = new BatchCutter(JSON_ARRAY, new LabelFormat("test", "refused"));
        RejectedRecords records = new RejectedRecords(null, WarningsWriter.disabled(), DB, "StarRocks",
                Duration.ofSeconds(5));
        // Ten retries, a second apart.
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        AttemptEngine engine = new AttemptEngine(
                new PlainStreamLoad(client, new StarRocksDialect(), backoff, Duration.ofSeconds(10), clock), headers,
                new RetryBudget(10, Duration.ZERO, backoff), clock, listener, () -> false, Ownership.ALWAYS, client, DB);
        return new BatchLoader(engine, new ErrorPolicy(ErrorTolerance.NONE, records),
                new RejectedRowFinder(client, cutter, tracer, new ErrorLogNames(client, "\t")), tracer, table -> false,
                DB);
    }

    private static Batch batch(String name) throws Exception {
        TableBuffer buffer = new TableBuffer(TABLE, JSON_ARRAY, Long.MAX_VALUE, Long.MAX_VALUE, false);
        for (long offset = 0; offset < 3; offset++) {
            buffer.append(new SinkRecord("topic", 0, null, null, null, Map.of("id", offset), offset),
                    new JsonRowEncoder(), System.nanoTime());
        }
        TableBuffer.Sealed sealed = buffer.seal();
        return new Batch(sealed.table(), "refused-" + name + "-" + System.nanoTime(), sealed.body(),
                sealed.rows().size(), sealed.ranges(), List.of(), sealed.rows());
    }
}
