package io.streamload.connect;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each {@code put()}'s records into the table buffers on a thread of its own, so that the
 * task thread goes back to the worker, which polls and converts the next records while these are
 * routed, encoded and copied. A Connect task has one thread for all of that; on a worker with a
 * second core the sink's share of each record no longer adds to the worker's.
 *
 * <p>Order and memory: one collection is taken at a time, in the order {@code put()} handed them
 * over, so each partition's records reach the buffers in offset order. {@link #submit} is only
 * called after {@link #await} returned, so at most one poll's records are on their way into the
 * buffers, and every bound on the buffers is checked against all records handed over before.
 *
 * <p>Errors: a record that fails its collection (with {@code errors.tolerance=none}, a record that
 * cannot be encoded) stops it there. Records before it are buffered, none after it; the failure
 * is what {@link #await} gives from then on, and {@code put()} raises it.
 *
 * <p>Only the task thread calls this class's methods.
 */
final class RecordIntake implements AutoCloseable {

    /** Puts records into the buffers, in order; runs on the intake thread. */
    interface Taker {
        void take(SinkRecord[] records, long nowNanos);
    }

    private static final Logger log = LoggerFactory.getLogger(RecordIntake.class);

    private final ExecutorService executor;
    private final Taker taker;
    private final Duration closeTimeout;
    private Future<?> inFlight;
    private ConnectException failure;

    RecordIntake(Taker taker, ThreadFactory thread, Duration closeTimeout) {
        this.executor = Executors.newSingleThreadExecutor(thread);
        this.taker = taker;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Hands records over to be taken. The caller must have called {@link #await} since the last
     * submission, and found no failure.
     */
    void submit(Collection<SinkRecord> records) {
        if (inFlight != null || failure != null) {
            throw new IllegalStateException("the previous records are not yet taken");
        }
        if (records.isEmpty()) {
            return;
        }
        // A copy: whoever called put() may reuse the collection once it returns.
        SinkRecord[] copy = records.toArray(new SinkRecord[0]);
        long now = System.nanoTime();
        inFlight = executor.submit(() -> taker.take(copy, now));
    }

    /**
     * Waits until every record handed over is in the buffers (or was reported).
     *
     * @return the failure that stopped a collection, now or before, or null
     * @throws ConnectException when interrupted while waiting
     */
    ConnectException await() {
        if (inFlight == null) {
            return failure;
        }
        try {
            inFlight.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            failure = cause instanceof ConnectException connect ? connect
                    : new ConnectException("Taking records into the buffers failed: " + cause, cause);
        } catch (InterruptedException e) {
            // The records are still being taken; the next await() waits for them again.
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while records were taken into the buffers", e);
        }
        inFlight = null;
        return failure;
    }

    /** Stops the thread: what it is taking is dropped with the buffers. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("The intake thread did not end within {} ms", closeTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
