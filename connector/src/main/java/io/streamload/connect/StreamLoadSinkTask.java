package io.streamload.connect;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.metrics.SinkTaskMetrics;
import io.streamload.connect.routing.RecordPosition;

/**
 * Loads the records of its assigned partitions into StarRocks or Apache Doris through Stream Load.
 *
 * <p>The data path: {@code put()} hands the records to the intake thread ({@link RecordIntake}),
 * which routes each record to its table and encodes it into that table's buffer; a full or due
 * buffer becomes a batch with a deterministic label, loaded in the background (plain Stream
 * Load, or with {@code delivery.guarantee=exactly_once} a transaction committed once the intent
 * log holds it); a confirmed load confirms its offset ranges in the ledger; {@code preCommit()}
 * reports only offsets after confirmed records. {@link TaskParts} assembles the parts and draws
 * the path.
 *
 * <p>Lifecycle order, for {@code close()} and {@code stop()} alike: first stop taking work, then
 * let in-flight loads finish within {@code close.max.wait.ms} (after it {@code close()} forgets
 * their offsets and {@code stop()} abandons them), then end the transactions they left open
 * (exactly-once), and only then forget the partitions ({@code close()}) or release threads and
 * connections ({@code stop()}). When {@code stop()} returns, no thread of this task runs and no
 * request can reach the target.
 */
public class StreamLoadSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadSinkTask.class);
    private static final Duration THREAD_END_TIMEOUT = Duration.ofSeconds(10);

    private final TaskClock clock;
    private TaskParts parts;
    private ConsumedTopicGuard consumedTopics;

    public StreamLoadSinkTask() {
        this(TaskClock.SYSTEM);
    }

    /** With a chosen clock, so that tests of retry budgets and outages need not wait. */
    StreamLoadSinkTask(TaskClock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        String connector = props.getOrDefault(StreamLoadSinkConnector.CONNECTOR_NAME, "connector");
        String taskIndex = props.getOrDefault(StreamLoadSinkConnector.TASK_INDEX, "0");
        TaskThreads threads = new TaskThreads(connector, taskIndex);
        try {
            parts = TaskParts.assemble(props, connector, taskIndex, context, threads, clock, System.getenv());
            consumedTopics = new ConsumedTopicGuard(RecordPosition.WORKER_KEEPS_ORIGINAL, () -> context.assignment(),
                    parts.taskName);
        } catch (RuntimeException e) {
            threads.joinAll(THREAD_END_TIMEOUT);
            throw e;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        consumedTopics.assignmentChanged();
        parts.intake.await();
        parts.ledger.open(partitions);
        if (parts.transactional != null) {
            // Before any record of these partitions is loaded: finish what an earlier owner left.
            parts.transactional.open(partitions, parts.alreadyLoaded);
        }
    }

    /**
     * Hands the records to the intake thread, which takes them into the buffers while the worker
     * polls and converts the next ones. First waits for the previous records to be taken, raises
     * what failed there or in a load, and keeps the buffers within their bound.
     */
    @Override
    public void put(Collection<SinkRecord> records) {
        failIfALoadFailed();
        ConnectException intakeFailure = parts.intake.await();
        if (intakeFailure != null) {
            throw intakeFailure;
        }
        parts.throttle.beforePut();
        try {
            // Checked with every record handed over before in the buffers: the bound holds
            // within one poll's records, those handed over next.
            parts.throttle.keepWithinBound();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for loads to make room", e);
        }
        for (SinkRecord record : records) {
            consumedTopics.check(record);
        }
        parts.intake.submit(records);
        parts.metrics.received(records);
    }

    /**
     * Loads what is buffered, waits (bounded) for the loads, and reports the offsets after the
     * records the target confirmed. Never an offset of unconfirmed data; nothing for partitions
     * without a confirmed record. Partitions without progress since the last call are reported
     * again: the worker commits only what this returns, and may have failed to commit it last time.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // A failure there is raised by the next put(); what was confirmed before it is committed.
        parts.intake.await();
        parts.buffers.flushAll();
        try {
            if (!parts.scheduler.awaitFinished(batch -> true, parts.config.commitMaxWait())) {
                log.debug("Task {}: loads still running at commit time; committing what is confirmed",
                        parts.taskName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Only open partitions are in the ledger, so revoked ones are never reported.
        Map<TopicPartition, OffsetAndMetadata> committable = parts.committable();
        parts.metrics.committed(committable);
        return committable;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (parts == null) {
            return;
        }
        parts.intake.await();
        parts.buffers.flushHolding(partitions);
        try {
            boolean finished = parts.scheduler.awaitFinished(
                    batch -> batch.ranges().stream().anyMatch(range -> partitions.contains(range.partition())),
                    parts.config.closeMaxWait());
            if (!finished) {
                log.info("Task {}: loads of closed partitions still running after {} ms; their offsets are dropped",
                        parts.taskName, parts.config.closeMaxWait().toMillis());
                warnIfLoadsGoOnWithClosedRecords(partitions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // From here no further attempt of their loads starts: the next owner loads their records.
        parts.ledger.close(partitions);
        if (parts.transactional != null) {
            parts.transactional.endOpen(partitions);
        }
        consumedTopics.assignmentChanged();
        parts.throttle.forget(partitions);
        parts.metrics.forget(partitions);
        parts.alreadyLoaded.forget(partitions);
    }

    /**
     * A load carrying records of closed partitions and of partitions the task keeps (only a
     * cooperative rebalance closes some of a task's partitions) goes on, so as not to leave the
     * kept ones' records unloaded. With exactly-once the closed ones' records in it may then be
     * loaded twice: by this load and by their next owner, which may recover before it commits.
     */
    private void warnIfLoadsGoOnWithClosedRecords(Collection<TopicPartition> partitions) throws InterruptedException {
        if (parts.transactional == null) {
            return;
        }
        boolean mixed = !parts.scheduler.awaitFinished(batch -> batch.ranges().stream()
                .anyMatch(range -> partitions.contains(range.partition())) && batch.ranges().stream()
                .anyMatch(range -> !partitions.contains(range.partition()) && parts.ledger.isOpen(range.partition())),
                Duration.ZERO);
        if (mixed) {
            log.warn("Task {}: {} were closed while a load that also carries records of partitions this task keeps "
                    + "was still running (a cooperative rebalance). That load goes on, and the records of the closed "
                    + "partitions in it may be loaded twice, by it and by their next owner: exactly-once holds "
                    + "across eager rebalances only. Keep the consumer's partition.assignment.strategy eager (the "
                    + "default) for this connector.", parts.taskName, partitions);
        }
    }

    @Override
    public void stop() {
        if (parts == null) {
            return;
        }
        parts.stop(THREAD_END_TIMEOUT);
        log.info("Task {} stopped", parts.taskName);
    }

    /** The task's metrics; for tests. */
    SinkTaskMetrics metrics() {
        return parts.metrics;
    }

    /** Batches queued or being loaded; for tests. */
    int pendingLoads() {
        return parts.scheduler.pendingBatches();
    }

    /** Connections the task holds open; for tests. */
    int openConnections() {
        return parts == null ? 0 : parts.openConnections();
    }

    private void failIfALoadFailed() {
        LoadFailedException failure = parts.scheduler.failure();
        if (failure != null) {
            throw new ConnectException(failure.getMessage(), failure);
        }
    }
}
