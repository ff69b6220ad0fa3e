package io.streamload.connect.load;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;

/**
 * Runs loads in the background on a bounded pool: at most {@code max.in.flight.loads} at a time,
 * and per table one after the other, in the order the batches were sealed (a later upsert of a
 * key must never land before an earlier one), unless the table's limit allows more: a table whose
 * loads may land in any order (see {@link LoadsPerTable}) starts its batches in order but runs up
 * to its limit of them side by side. Tables take turns for the threads.
 *
 * <p>A table's limit is asked once, on a load thread before the table's first load, since finding
 * it out may take a request to the FE; until then the table runs one load at a time.
 *
 * <p>It counts the bytes of batches not yet finished, for backpressure, and remembers the first
 * failure: after it nothing more is loaded (offsets past a failure must not be committed, and the
 * task is about to fail anyway).
 *
 * <p>A batch's body is released (its chunks reused) where its life ends: after its load and the
 * listener returned on the load thread, or when it is dropped unloaded. Nothing else keeps a body.
 */
public final class LoadScheduler {

    private static final Logger log = LoggerFactory.getLogger(LoadScheduler.class);
    private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(30);

    /** Loads one batch, blocking; see {@link BatchLoader#load}. */
    @FunctionalInterface
    public interface LoadFunction {
        LoadResult load(Batch batch) throws LoadFailedException, InterruptedException;
    }

    private final LoadFunction loadFunction;
    private final LoadListener listener;
    private final ToIntFunction<String> loadsPerTable;
    private final AtomicBoolean abandoning;
    private final ThreadPoolExecutor executor;

    // Guarded by this.
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Set<Job> unfinished = new LinkedHashSet<>();
    private long pendingBytes;
    private LoadFailedException failure;
    private boolean closed;

    /**
     * @param listener hears how each batch ends ({@link LoadListener#done}, {@link LoadListener#failed}),
     *     on the load thread, before the batch counts as finished
     * @param abandoning set when in-flight loads are given up; the load function checks it
     */
    public LoadScheduler(int maxInFlight, ThreadFactory threads, LoadFunction loadFunction, LoadListener listener,
                         AtomicBoolean abandoning) {
        this(maxInFlight, threads, loadFunction, listener, abandoning, LoadsPerTable.ONE_AT_A_TIME);
    }

    /**
     * @param loadsPerTable how many loads of a table may run at once (at least 1); asked once per
     *        table on a load thread, so it may block
     */
    public LoadScheduler(int maxInFlight, ThreadFactory threads, LoadFunction loadFunction, LoadListener listener,
                         AtomicBoolean abandoning, ToIntFunction<String> loadsPerTable) {
        this.loadFunction = loadFunction;
        this.listener = listener;
        this.loadsPerTable = loadsPerTable;
        this.abandoning = abandoning;
        this.executor = new ThreadPoolExecutor(maxInFlight, maxInFlight, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads);
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues a batch. After a failure or once closed, the batch is dropped: its offsets are then
     * never confirmed, which is what must happen to records behind a failure.
     */
    public synchronized void submit(Batch batch) {
        if (closed || failure != null) {
            log.debug("Not loading {}: {}", batch, closed ? "the task is stopping" : "an earlier load failed");
            batch.body().release();
            return;
        }
        Job job = new Job(batch);
        unfinished.add(job);
        pendingBytes += batch.sizeBytes();
        Lane lane = lanes.computeIfAbsent(batch.table(), Lane::new);
        lane.queue.add(job);
        startRunners(lane);
    }

    /**
     * Queues a runner for each queued batch the lane may start now: runners already queued each
     * take one batch, and those loading count against the table's limit. Called holding the lock.
     */
    private void startRunners(Lane lane) {
        while (!executor.isShutdown() && lane.waiting < lane.queue.size()
                && lane.waiting + lane.loading < lane.limit()) {
            lane.waiting++;
            executor.execute(() -> runNext(lane));
        }
    }

    /** True while a batch of the table waits to start (queued behind the table's running one, or for a thread). */
    public synchronized boolean hasQueued(String table) {
        Lane lane = lanes.get(table);
        return lane != null && !lane.queue.isEmpty();
    }

    /** Bytes of batches queued or being loaded. */
    public synchronized long pendingBytes() {
        return pendingBytes;
    }

    /** Batches queued or being loaded. */
    public synchronized int pendingBatches() {
        return unfinished.size();
    }

    /** The first load that failed, or null. */
    public synchronized LoadFailedException failure() {
        return failure;
    }

    /**
     * Waits until the pending bytes are at most {@code limit}, a load failed, or the time is up.
     *
     * @return true when the pending bytes are at most the limit
     */
    public synchronized boolean awaitPendingBytesAtMost(long limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingBytes > limit && failure == null && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return pendingBytes <= limit;
    }

    /**
     * Waits until every batch submitted so far that matches {@code which} has finished (loaded,
     * failed or dropped), or the time is up.
     *
     * @return true when they all finished
     */
    public synchronized boolean awaitFinished(Predicate<Batch> which, Duration timeout) throws InterruptedException {
        List<Job> waitingFor = new ArrayList<>();
        for (Job job : unfinished) {
            if (which.test(job.batch)) {
                waitingFor.add(job);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waitingFor.stream().anyMatch(job -> !job.finished)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /**
     * Stops for good: takes no more batches, gives the unfinished ones {@code grace} to finish,
     * then abandons them ({@code abortInFlight} must make blocked requests return, for example by
     * closing their connections) and waits for every load thread to end. When this returns no
     * thread of this scheduler runs, so no request can reach the target any more.
     */
    public void shutdown(Duration grace, Runnable abortInFlight) {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        boolean finished;
        try {
            finished = awaitFinished(batch -> true, grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            log.info("Abandoning {} unfinished load(s) after waiting {} ms; their offsets are not committed",
                    pendingBatches(), grace.toMillis());
            abandoning.set(true);
            abortInFlight.run();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(TERMINATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("Load threads did not end within {} s", TERMINATION_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (Job job : unfinished) {
                job.finished = true;
            }
            unfinished.clear();
            lanes.clear();
            pendingBytes = 0;
            notifyAll();
        }
    }

    /** Runs the lane's next batch, then queues the lane again behind the other tables. */
    private void runNext(Lane lane) {
        Job job;
        boolean limitUnknown;
        synchronized (this) {
            lane.waiting--;
            job = lane.queue.poll();
            if (job == null) {
                return;
            }
            lane.loading++;
            limitUnknown = lane.limit == 0;
        }
        boolean interrupted = false;
        try {
            if (limitUnknown) {
                // Only the lane's first runner gets here: an unknown limit lets one load run.
                int limit = askLimit(lane.table);
                synchronized (this) {
                    lane.limit = limit;
                    startRunners(lane);
                }
            }
            LoadResult result = loadFunction.load(job.batch);
            listener.done(job.batch, result);
        } catch (LoadFailedException e) {
            recordFailure(job, e);
        } catch (BatchRevokedException e) {
            // Only this batch ends: its records belong to the partitions' next owner now.
            log.info("Gave up {} after close.max.wait.ms: its partitions were closed; their next owner loads "
                    + "its records", job.batch);
        } catch (InterruptedException e) {
            interrupted = true;
            log.debug("Abandoned {}", job.batch);
        } catch (RuntimeException e) {
            recordFailure(job, new LoadFailedException("Stream Load of " + job.batch + " failed unexpectedly: " + e));
            log.error("Unexpected error while loading {}", job.batch, e);
        } finally {
            synchronized (this) {
                lane.loading--;
                finish(job);
                job.batch.body().release();
                if (failure != null || closed && abandoning.get() || interrupted) {
                    dropAllQueued();
                }
                startRunners(lane);
                notifyAll();
            }
        }
    }

    private int askLimit(String table) {
        try {
            return Math.max(1, loadsPerTable.applyAsInt(table));
        } catch (RuntimeException e) {
            log.warn("Could not tell how many loads of {} may run at once, so they run one at a time: {}", table,
                    e.toString());
            return 1;
        }
    }

    private void recordFailure(Job job, LoadFailedException e) {
        synchronized (this) {
            if (failure == null) {
                failure = e;
            }
        }
        listener.failed(job.batch, e);
    }

    private void finish(Job job) {
        if (!job.finished) {
            job.finished = true;
            unfinished.remove(job);
            pendingBytes -= job.batch.sizeBytes();
        }
    }

    private void dropAllQueued() {
        for (Lane lane : lanes.values()) {
            Job queued;
            while ((queued = lane.queue.poll()) != null) {
                finish(queued);
                queued.batch.body().release();
            }
        }
    }

    /** The batches of one table, started in the order they were sealed. Guarded by the scheduler. */
    private static final class Lane {
        final String table;
        final ArrayDeque<Job> queue = new ArrayDeque<>();
        /** Loads of the table that may run at once; 0 until asked. */
        int limit;
        /** Runners queued on the pool that have not taken a batch yet. */
        int waiting;
        /** Batches being loaded. */
        int loading;

        Lane(String table) {
            this.table = table;
        }

        int limit() {
            return limit == 0 ? 1 : limit;
        }
    }

    private static final class Job {
        final Batch batch;
        boolean finished;

        Job(Batch batch) {
            this.batch = batch;
        }
    }
}
