package io.streamload.connect;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.TableBuffers;
import io.streamload.connect.load.LoadScheduler;

/**
 * Keeps a task's memory bounded: when buffered plus in-flight bytes reach
 * {@code buffer.total.max.bytes}, the task stops taking records until loads complete.
 *
 * <p>First {@code put()} waits (bounded by {@code buffer.full.max.wait.ms}, well below the
 * consumer's poll interval, so the task keeps its group membership); if loads are still stuck,
 * the task pauses its partitions. The check runs at the start of {@code put()}, once the records
 * of the previous {@code put()} are in the buffers ({@link RecordIntake}), and the records it is
 * handed are taken after it. Memory thus never exceeds the bound by more than two polls' worth of
 * records: those that reached it, and those being taken.
 *
 * <p>Partitions are paused and resumed only on the task thread, in {@code put()}, since the
 * worker's consumer is not thread-safe. A worker whose partitions are all paused gets no records
 * from its poll and would only come back to {@code put()} at its next offset commit
 * ({@code offset.flush.interval.ms}, 60 s by default). So every {@code put()} that leaves
 * partitions paused asks the worker for a poll of at most {@link #PAUSED_POLL} through
 * {@link SinkTaskContext#timeout(long)}; the worker uses that timeout for its next poll only,
 * hence the request on every such {@code put()}. While partitions are paused, a {@code put()}
 * (it usually gets no records) waits only up to {@link #PAUSED_POLL} itself for loads to make
 * room, and resumes the partitions as soon as they have. Intake thus resumes at most about
 * {@link #PAUSED_POLL} after loads made room, while the worker goes on polling, committing
 * offsets and handling rebalances and stop requests in between. Once the partitions are resumed
 * nothing is asked: the worker's own timeout applies.
 */
final class IntakeThrottle {

    /**
     * While partitions are paused: the longest poll asked of the worker, and the longest a
     * {@code put()} waits for room.
     */
    static final Duration PAUSED_POLL = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(IntakeThrottle.class);

    private final long maxBytes;
    private final Duration maxWait;
    private final TableBuffers buffers;
    private final LoadScheduler scheduler;
    private final SinkTaskContext context;
    private final Set<TopicPartition> pausedByUs = new HashSet<>();
    /** The size of {@link #pausedByUs}, for the metrics thread (the set itself is the task thread's). */
    private volatile int pausedCount;

    IntakeThrottle(long maxBytes, Duration maxWait, TableBuffers buffers, LoadScheduler scheduler,
                   SinkTaskContext context) {
        this.maxBytes = maxBytes;
        this.maxWait = maxWait;
        this.buffers = buffers;
        this.scheduler = scheduler;
        this.context = context;
    }

    /** Resumes partitions this throttle paused, once there is room again. */
    void beforePut() {
        resumeIfRoom();
    }

    /**
     * Called once the records handed over before are taken: waits, or pauses, while the bound is
     * reached; resumes as soon as loads made room, and otherwise asks the worker to call again soon.
     */
    void keepWithinBound() throws InterruptedException {
        if (heldBytes() >= maxBytes) {
            // Make everything buffered loadable, so that waiting means progress.
            buffers.flushAll();
            // Already paused: wait briefly only, so that the worker gets back to its poll loop.
            Duration wait = pausedByUs.isEmpty() ? maxWait : min(maxWait, PAUSED_POLL);
            if (!scheduler.awaitPendingBytesAtMost(maxBytes - 1, wait) && scheduler.failure() == null) {
                pauseAssigned(wait);
            }
        }
        if (!pausedByUs.isEmpty() && !resumeIfRoom()) {
            context.timeout(PAUSED_POLL.toMillis());
        }
    }

    /** Forgets partitions that were closed. */
    void forget(Collection<TopicPartition> partitions) {
        pausedByUs.removeAll(partitions);
        pausedCount = pausedByUs.size();
    }

    /** Partitions paused now because the bound was reached; safe to read from any thread. */
    int pausedPartitions() {
        return pausedCount;
    }

    private void pauseAssigned(Duration waited) {
        Set<TopicPartition> toPause = new HashSet<>(context.assignment());
        toPause.removeAll(pausedByUs);
        if (!toPause.isEmpty()) {
            log.info("{} bytes held by loads that are still running after {} ms (bound {}); pausing {} partition(s)",
                    heldBytes(), waited.toMillis(), maxBytes, toPause.size());
            context.pause(toPause.toArray(new TopicPartition[0]));
            pausedByUs.addAll(toPause);
            pausedCount = pausedByUs.size();
        }
    }

    /** @return true unless partitions stay paused */
    private boolean resumeIfRoom() {
        if (pausedByUs.isEmpty()) {
            return true;
        }
        if (heldBytes() >= maxBytes) {
            return false;
        }
        pausedByUs.retainAll(context.assignment());
        log.info("Loads caught up ({} bytes held); resuming {} partition(s)", heldBytes(), pausedByUs.size());
        context.resume(pausedByUs.toArray(new TopicPartition[0]));
        pausedByUs.clear();
        pausedCount = 0;
        return true;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private long heldBytes() {
        return buffers.bufferedBytes() + scheduler.pendingBytes();
    }
}
