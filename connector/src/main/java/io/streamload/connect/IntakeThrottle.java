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
 * the task pauses its partitions and resumes them on a later {@code put()} once there is room.
 * Memory thus never exceeds the bound by more than one poll's worth of records.
 */
final class IntakeThrottle {

    private static final Logger log = LoggerFactory.getLogger(IntakeThrottle.class);

    private final long maxBytes;
    private final Duration maxWait;
    private final TableBuffers buffers;
    private final LoadScheduler scheduler;
    private final SinkTaskContext context;
    private final Set<TopicPartition> pausedByUs = new HashSet<>();

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
        if (!pausedByUs.isEmpty() && heldBytes() < maxBytes) {
            Set<TopicPartition> assigned = context.assignment();
            pausedByUs.retainAll(assigned);
            log.info("Loads caught up ({} bytes held); resuming {} partition(s)", heldBytes(), pausedByUs.size());
            context.resume(pausedByUs.toArray(new TopicPartition[0]));
            pausedByUs.clear();
        }
    }

    /** Called after records were taken: waits, or pauses, while the bound is reached. */
    void afterPut() throws InterruptedException {
        if (heldBytes() < maxBytes) {
            return;
        }
        // Make everything buffered loadable, so that waiting means progress.
        buffers.flushAll();
        if (scheduler.awaitPendingBytesAtMost(maxBytes - 1, maxWait)) {
            return;
        }
        if (scheduler.failure() != null) {
            return;
        }
        Set<TopicPartition> assigned = context.assignment();
        Set<TopicPartition> toPause = new HashSet<>(assigned);
        toPause.removeAll(pausedByUs);
        if (!toPause.isEmpty()) {
            log.info("{} bytes held by loads that are still running after {} ms (bound {}); pausing {} partition(s)",
                    heldBytes(), maxWait.toMillis(), maxBytes, toPause.size());
            context.pause(toPause.toArray(new TopicPartition[0]));
            pausedByUs.addAll(toPause);
        }
    }

    /** Forgets partitions that were closed. */
    void forget(Collection<TopicPartition> partitions) {
        pausedByUs.removeAll(partitions);
    }

    private long heldBytes() {
        return buffers.bufferedBytes() + scheduler.pendingBytes();
    }
}
