package io.streamload.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The no-op sink with a second thread that spends a fixed CPU time per record, as a sink's own
 * threads (and a target sharing the machine) do beside the task thread. {@code put()} hands each
 * collection over as the sink's intake does, waiting for the previous one first; the records
 * count as delivered once their CPU time is spent. It answers one question: how much work beside
 * the task thread the two cores absorb before the task thread slows, with the work spread evenly
 * (the best case), or in bursts of a batch's records at a time, as a sink's loads and the target's
 * counting come.
 */
public class OffCoreNoOpSinkTask extends SinkTask {

    /** Nanoseconds of CPU the second thread spends per record. */
    public static final String CPU_NANOS_PER_RECORD = "offcore.cpu.ns.per.record";
    /** When set, the CPU time is spent once per this many records, all at once, instead of per {@code put()}. */
    public static final String BURST_RECORDS = "offcore.burst.records";
    /** The records of the whole run, so that the last burst is not held back waiting for more. */
    public static final String RECORDS_PER_RUN = "offcore.records.per.run";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long nanosPerRecord;
    private ExecutorService thread;
    private Future<?> inFlight;
    private long burstRecords;
    private long recordsPerRun;
    private long held;
    private long taken;
    private long sink;

    @Override
    public void start(Map<String, String> props) {
        nanosPerRecord = Long.parseLong(props.get(CPU_NANOS_PER_RECORD));
        burstRecords = Long.parseLong(props.getOrDefault(BURST_RECORDS, "0"));
        recordsPerRun = Long.parseLong(props.getOrDefault(RECORDS_PER_RUN, Long.toString(Long.MAX_VALUE)));
        thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "offcore-burner"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (burstRecords == 0) {
            // As the sink's intake: one poll's records at a time.
            awaitPrevious();
        }
        if (records.isEmpty()) {
            return;
        }
        DeliveryProbe.putStarted();
        held += records.size();
        taken += records.size();
        // The last records of the input end a burst too: the harness waits for them.
        boolean end = taken >= recordsPerRun;
        if (burstRecords > 0 && held < burstRecords && !end) {
            return;
        }
        long count = held;
        held = 0;
        // A burst, as a load, runs beside the next puts: they wait for none (the executor keeps order).
        inFlight = thread.submit(() -> {
            burn(count * nanosPerRecord);
            DeliveryProbe.delivered((int) count);
        });
    }

    /** Spins until this thread has used {@code nanos} more CPU time. */
    private void burn(long nanos) {
        long until = THREADS.getCurrentThreadCpuTime() + nanos;
        long x = sink | 1;
        do {
            for (int i = 0; i < 256; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (THREADS.getCurrentThreadCpuTime() < until);
        sink = x;
    }

    private void awaitPrevious() {
        if (inFlight == null) {
            return;
        }
        try {
            inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException(e);
        } catch (ExecutionException e) {
            throw new ConnectException(e.getCause());
        }
        inFlight = null;
    }

    @Override
    public void stop() {
        thread.shutdownNow();
    }

    @Override
    public String version() {
        return "1";
    }
}
