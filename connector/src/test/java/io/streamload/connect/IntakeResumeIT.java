package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertEveryIdExactlyOnce;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadRecord;

/**
 * Intake resumes as soon as loads make room, in a real worker that commits offsets at Connect's
 * default interval (60 s). A worker whose partitions are all paused returns from polling no
 * later than its next offset commit; unless the task asks for a shorter poll, intake would stall
 * until then after every pause.
 *
 * <p>Every load takes {@link #LOAD_TIME} and the task has room for one batch only, so it pauses
 * its partition during each load and has to resume it when the load ends. All records are in
 * the topic before the connector starts: only that bound holds intake back. So the next load
 * must start right after the previous one ended.
 */
class IntakeResumeIT {

    private static final String NAME = "intake-resume";
    private static final String TABLE = "intake_resume";
    private static final int RECORDS = 3_000;
    private static final Duration LOAD_TIME = Duration.ofSeconds(2);
    /** From a load's end to the start of the next one, which needs the partition resumed. */
    private static final long MAX_GAP_MS = 1_000;
    /** Well before the worker's first offset commit, 60 s after the task started. */
    private static final Duration STORED_WITHIN = Duration.ofSeconds(45);

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        assertEquals(60_000L, WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_DEFAULT, "Connect's default commit interval");
        connect = ConnectFixture.cluster("intake-resume-it", 1, false).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @Test
    void intakeResumesWithinASecondOfTheLoadsThatMadeRoom() throws Exception {
        ThrottleLines throttleLines = new ThrottleLines(System.err);
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(throttleLines, true, StandardCharsets.UTF_8));
        try (StreamLoadEmulator emulator = ConnectFixture.emulator(Dialect.STARROCKS)) {
            ConnectFixture.createTable(emulator, TABLE);
            emulator.inject(Fault.of(FaultKind.DELAY).delay(LOAD_TIME).table(TABLE).times(Integer.MAX_VALUE));
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, NAME, TABLE, 1);
            config.put("buffer.max.bytes", "16384");
            config.put("buffer.total.max.bytes", "16384");
            config.put("buffer.full.max.wait.ms", "100");
            config.put("max.in.flight.loads", "1");
            connect.kafka().createTopic(NAME, 1);
            produce(connect, NAME, 1, 0, RECORDS);

            long started = System.nanoTime();
            connect.configureConnector(NAME, config);
            try {
                waitFor(() -> emulator.rowCount(ConnectFixture.DB, TABLE) >= RECORDS, STORED_WITHIN,
                        RECORDS + " rows stored");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + emulator.rowCount(ConnectFixture.DB, TABLE)
                        + " stored; loads (start, end): " + loadTimes(emulator), e);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            List<LoadRecord> loads = loads(emulator);
            long maxGapMs = 0;
            for (int i = 1; i < loads.size(); i++) {
                maxGapMs = Math.max(maxGapMs, loads.get(i).createdMillis() - loads.get(i - 1).finishedMillis());
            }
            System.out.printf("%d records in %d loads of %d ms each stored %d ms after the connector was created;"
                    + " %d pauses; longest gap between loads %d ms%n", RECORDS, loads.size(), LOAD_TIME.toMillis(),
                    tookMs, throttleLines.pauses(), maxGapMs);

            assertTrue(throttleLines.pauses() >= 2, "the task paused " + throttleLines.pauses()
                    + " times: the bound did not hold intake back, so this test tests nothing");
            assertTrue(maxGapMs < MAX_GAP_MS, "a load started " + maxGapMs + " ms after the previous one ended; "
                    + "loads (start, end): " + loadTimes(emulator));
            assertEveryIdExactlyOnce(emulator, TABLE, 1, RECORDS);
            connect.deleteConnector(NAME);
        } finally {
            System.setErr(originalErr);
        }
    }

    /** The table's loads, in the order they started. */
    private static List<LoadRecord> loads(StreamLoadEmulator emulator) {
        List<LoadRecord> loads = new ArrayList<>(emulator.loads().stream()
                .filter(load -> TABLE.equals(load.table())).toList());
        loads.sort(Comparator.comparingLong(LoadRecord::createdMillis));
        return loads;
    }

    /** Start and end of each load, in ms from the first start. */
    private static String loadTimes(StreamLoadEmulator emulator) {
        List<LoadRecord> loads = loads(emulator);
        if (loads.isEmpty()) {
            return "none";
        }
        long first = loads.get(0).createdMillis();
        List<String> times = new ArrayList<>();
        for (LoadRecord load : loads) {
            times.add("(" + (load.createdMillis() - first) + ", "
                    + (load.finishedMillis() == 0 ? "running" : load.finishedMillis() - first) + ")");
        }
        return String.join(" ", times);
    }

    /** Passes stderr on, counting the lines in which the task's intake throttle pauses partitions. */
    private static final class ThrottleLines extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<String> pauses = new CopyOnWriteArrayList<>();

        ThrottleLines(OutputStream out) {
            this.out = out;
        }

        int pauses() {
            return pauses.size();
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            scan(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                scan(b[i]);
            }
        }

        private void scan(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            if (text.contains("IntakeThrottle") && text.contains("pausing")) {
                pauses.add(text);
            }
            line.reset();
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }
    }
}
