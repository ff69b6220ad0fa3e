package io.streamload.connect.metrics;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.load.LoadListener;
import io.streamload.connect.load.LoadOutcome;
import io.streamload.connect.load.LoadScheduler;
import io.streamload.connect.load.OutcomeKind;
import io.streamload.connect.routing.RecordPosition;

/**
 * A task's metrics, published over JMX in Kafka's naming style:
 * <ul>
 *   <li>{@code kafka.connect:type=streamload-sink-task-metrics,connector=<c>,task=<t>}: loaded
 *   records, rows and bytes, loads succeeded and failed, attempts, retries, slow-downs, unknown
 *   outcomes and how they were resolved, in-flight loads, buffered bytes and records, bytes being
 *   loaded, partitions paused, load latency, rejected records and the warnings store's writes;</li>
 *   <li>{@code ...type=streamload-sink-table-metrics,connector,task,table}: the same counters per
 *   table, and the table's flush interval now;</li>
 *   <li>{@code ...type=streamload-sink-fe-metrics,connector,task,fe}: each FE's health;</li>
 *   <li>{@code ...type=streamload-sink-partition-metrics,connector,task,topic,partition}: the
 *   offset after the last record received and the last offset committed, while the task owns the
 *   partition. Their difference plus the worker consumer's {@code records-lag} is how far the
 *   committed offset trails the end of the partition.</li>
 * </ul>
 * On Connect 4.1+ the task-level metrics are also added through the worker's
 * {@link PluginMetrics}. {@link #close()} unregisters everything.
 *
 * <p>Honesty: the loaded counters change only in {@link #loaded}, which the {@code AttemptEngine}
 * calls once the target confirmed the batch (or a part of it), in both delivery modes. A 502
 * whose label later proves the load happened counts once; one that proves it did not counts
 * nothing until the resend is confirmed.
 */
public final class SinkTaskMetrics implements LoadListener, AutoCloseable {

    public static final String JMX_PREFIX = "kafka.connect";
    public static final String TASK_GROUP = "streamload-sink-task-metrics";
    public static final String TABLE_GROUP = "streamload-sink-table-metrics";
    public static final String FE_GROUP = "streamload-sink-fe-metrics";
    public static final String PARTITION_GROUP = "streamload-sink-partition-metrics";

    private static final Logger log = LoggerFactory.getLogger(SinkTaskMetrics.class);

    private final Metrics metrics;
    private final Map<String, String> taskTags;
    private final LoadCounters task = new LoadCounters();
    private final Map<String, LoadCounters> tables = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PluginMetrics pluginMetrics;
    private final List<MetricName> pluginMetricNames = new ArrayList<>();
    private final ToLongFunction<String> flushIntervalMs;

    /**
     * @param pluginMetrics the worker's plugin metrics (Connect 4.1+), or null
     * @param bufferedBytes bytes buffered and not yet sealed into a batch
     * @param bufferedRecords records buffered and not yet sealed
     * @param loadingBytes bytes of sealed batches queued or being loaded
     * @param flushIntervalMs a table's flush interval now, in milliseconds (it grows while the
     *     target refuses the table's loads for too many versions)
     */
    public SinkTaskMetrics(String connector, String taskId, FeSelector fes, LongSupplier bufferedBytes,
                           LongSupplier bufferedRecords, LongSupplier loadingBytes,
                           ToLongFunction<String> flushIntervalMs,
                           PluginMetrics pluginMetrics) {
        this.flushIntervalMs = flushIntervalMs;
        JmxReporter jmx = new JmxReporter();
        this.metrics = new Metrics(new MetricConfig(), List.of(jmx), Time.SYSTEM,
                new KafkaMetricsContext(JMX_PREFIX));
        this.taskTags = new LinkedHashMap<>();
        taskTags.put("connector", connector);
        taskTags.put("task", taskId);
        this.pluginMetrics = pluginMetrics;

        addCounters(TASK_GROUP, taskTags, task, true);
        gauge(TASK_GROUP, taskTags, "loads-in-flight", "Batches being loaded now (sent, or waiting to be resent).",
                inFlight::get, true);
        gauge(TASK_GROUP, taskTags, "buffered-bytes", "Bytes buffered, not yet in a batch.", bufferedBytes::getAsLong,
                true);
        gauge(TASK_GROUP, taskTags, "buffered-records", "Records buffered, not yet in a batch.",
                bufferedRecords::getAsLong, true);
        gauge(TASK_GROUP, taskTags, "loading-bytes", "Bytes of batches queued or being loaded. With buffered-bytes, "
                + "what buffer.total.max.bytes bounds.", loadingBytes::getAsLong, true);
        for (URI fe : fes.all()) {
            Map<String, String> tags = new LinkedHashMap<>(taskTags);
            tags.put("fe", fe.getHost() + ":" + fe.getPort());
            Supplier<FeSelector.FeHealth> health = () -> fes.health().stream()
                    .filter(h -> h.uri().equals(fe)).findFirst().orElseThrow();
            gauge(FE_GROUP, tags, "fe-up", "1 while the FE is healthy, 0 while it is marked down.",
                    () -> health.get().up() ? 1 : 0, false);
            gauge(FE_GROUP, tags, "fe-consecutive-failures", "Failures of the FE since its last success.",
                    () -> health.get().consecutiveFailures(), false);
            gauge(FE_GROUP, tags, "fe-failures-total", "Failures of the FE since the task started.",
                    () -> health.get().totalFailures(), false);
        }
    }

    /**
     * Adds the rejected-row metrics: records reported as not loaded, and what the warnings store
     * wrote and dropped (it is best effort, so drops are counted rather than waited out).
     */
    public void addRejectedRowMetrics(LongSupplier rejectedRecords, LongSupplier warningsWritten,
                                      LongSupplier warningsDropped) {
        gauge(TASK_GROUP, taskTags, "records-rejected-total",
                "Records not loaded because the target refused or filtered them or they could not be encoded; "
                        + "each is logged and written to the warnings store (when set), and with errors.tolerance=all "
                        + "sent to the dead letter queue when it could be traced to its record.",
                rejectedRecords, true);
        gauge(TASK_GROUP, taskTags, "warnings-store-written-total",
                "Rejected rows and load summaries written to the warnings store.", warningsWritten, true);
        gauge(TASK_GROUP, taskTags, "warnings-store-dropped-total",
                "Rejected rows and load summaries the warnings store could not take (queue full, MySQL away).",
                warningsDropped, true);
    }

    /**
     * Adds the intake metric: partitions paused because buffered and in-flight bytes reached
     * {@code buffer.total.max.bytes}; while it is above 0 the task takes no new records.
     */
    public void addIntakeMetrics(LongSupplier pausedPartitions) {
        gauge(TASK_GROUP, taskTags, "partitions-paused",
                "Partitions paused because buffered and in-flight bytes reached buffer.total.max.bytes.",
                pausedPartitions, true);
    }

    /** The task's counters, for tests and logs. */
    public long recordsLoaded() {
        return task.recordsLoaded.get();
    }

    public long rowsLoaded() {
        return task.rowsLoaded.get();
    }

    public long bytesLoaded() {
        return task.bytesLoaded.get();
    }

    public long loadsSucceeded() {
        return task.loadsSucceeded.get();
    }

    /** Wraps the load function so a batch counts as in flight while it is being loaded. */
    public LoadScheduler.LoadFunction countingInFlight(LoadScheduler.LoadFunction load) {
        return batch -> {
            inFlight.incrementAndGet();
            try {
                return load.load(batch);
            } finally {
                inFlight.decrementAndGet();
            }
        };
    }

    @Override
    public void attempt(Batch batch) {
        each(batch, c -> c.attempts.incrementAndGet());
    }

    @Override
    public void retry(Batch batch, LoadOutcome outcome) {
        boolean slowDown = outcome.kind() == OutcomeKind.SLOW_DOWN;
        each(batch, c -> {
            c.retries.incrementAndGet();
            if (slowDown) {
                c.slowDowns.incrementAndGet();
            }
        });
    }

    @Override
    public void unknown(Batch batch) {
        each(batch, c -> c.unknownOutcomes.incrementAndGet());
    }

    @Override
    public void loaded(Batch batch, LoadReply reply, Resolution resolution, long latencyNanos) {
        // A reply with counters (Success, Publish Timeout) says what landed. A confirmation by
        // label (Label Already Exists, or the label state) says the batch committed as a whole,
        // without counters: its records count as loaded rows.
        boolean counted = reply != null && reply.status() != LoadStatus.LABEL_ALREADY_EXISTS;
        // A merged StarRocks load's answer has no row counts (-1): its records count as loaded rows.
        long rows = counted && reply.loadedRows() >= 0 ? reply.loadedRows() : batch.recordCount();
        long filtered = counted ? Math.max(0, reply.filteredRows()) : 0;
        long unselected = counted ? Math.max(0, reply.unselectedRows()) : 0;
        long bytes = batch.sizeBytes();
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(latencyNanos);
        each(batch, c -> {
            c.recordsLoaded.addAndGet(batch.recordCount());
            c.rowsLoaded.addAndGet(rows);
            c.rowsFiltered.addAndGet(filtered);
            c.rowsUnselected.addAndGet(unselected);
            c.bytesLoaded.addAndGet(bytes);
            c.loadsSucceeded.incrementAndGet();
            c.latency.record(latencyMs);
            switch (resolution) {
                case UNKNOWN_WAS_LOADED -> c.unknownResolvedLoaded.incrementAndGet();
                case UNKNOWN_WAS_NOT_LOADED -> c.unknownResolvedNotLoaded.incrementAndGet();
                default -> {
                }
            }
        });
    }

    @Override
    public void failed(Batch batch, LoadFailedException failure) {
        each(batch, c -> {
            c.loadsFailed.incrementAndGet();
            if (failure.unresolved()) {
                c.unknownUnresolved.incrementAndGet();
            }
        });
    }

    /**
     * Notes the offset after the last record of each partition in {@code records}: the worker's
     * consumer position, as far as this task has seen. Records come in runs of one partition, so
     * the partition is looked up once per run, not once per record.
     */
    public void received(Collection<SinkRecord> records) {
        String topic = null;
        int partition = -1;
        long next = -1;
        for (SinkRecord record : records) {
            String recordTopic = RecordPosition.topic(record);
            int recordPartition = RecordPosition.kafkaPartition(record);
            if (recordPartition != partition || !recordTopic.equals(topic)) {
                if (topic != null) {
                    partition(new TopicPartition(topic, partition)).received(next);
                }
                topic = recordTopic;
                partition = recordPartition;
            }
            next = RecordPosition.offset(record) + 1;
        }
        if (topic != null) {
            partition(new TopicPartition(topic, partition)).received(next);
        }
    }

    /** The offsets just committed (what preCommit returned). */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> partition(partition).committed(offset.offset()));
    }

    /**
     * Removes the metrics of partitions the task no longer owns, so that a partition moved to
     * another task is not shown twice (once with this task's stale offsets).
     */
    public void forget(Collection<TopicPartition> closed) {
        for (TopicPartition partition : closed) {
            PartitionOffsets offsets = partitions.remove(partition);
            if (offsets != null) {
                offsets.names().forEach(metrics::removeMetric);
            }
        }
    }

    /** Removes every metric: from JMX, and from the worker's plugin metrics. */
    @Override
    public void close() {
        if (pluginMetrics != null) {
            for (MetricName name : pluginMetricNames) {
                try {
                    pluginMetrics.removeMetric(name);
                } catch (RuntimeException e) {
                    log.debug("Could not remove plugin metric {}: {}", name.name(), e.toString());
                }
            }
        }
        metrics.close();
    }

    private PartitionOffsets partition(TopicPartition partition) {
        return partitions.computeIfAbsent(partition, p -> {
            Map<String, String> tags = new LinkedHashMap<>(taskTags);
            tags.put("topic", p.topic());
            tags.put("partition", Integer.toString(p.partition()));
            return new PartitionOffsets((name, description, value) -> gauge(PARTITION_GROUP, tags, name, description,
                    value, false));
        });
    }

    private void each(Batch batch, java.util.function.Consumer<LoadCounters> update) {
        update.accept(task);
        update.accept(table(batch.table()));
    }

    private LoadCounters table(String name) {
        return tables.computeIfAbsent(name, t -> {
            LoadCounters counters = new LoadCounters();
            Map<String, String> tags = new LinkedHashMap<>(taskTags);
            tags.put("table", t);
            gauge(TABLE_GROUP, tags, "flush-interval-ms", "How long the table's buffer fills before it is loaded, now: "
                    + "buffer.flush.interval.ms, doubled on each load refused for too many versions up to "
                    + "buffer.flush.interval.max.ms.", () -> flushIntervalMs.applyAsLong(t), false);
            addCounters(TABLE_GROUP, tags, counters, false);
            return counters;
        });
    }

    private void addCounters(String group, Map<String, String> tags, LoadCounters c, boolean plugin) {
        counter(group, tags, "records-loaded-total", "Records in loads the target confirmed.", c.recordsLoaded, plugin);
        counter(group, tags, "rows-loaded-total", "Rows the target confirmed loaded.", c.rowsLoaded, plugin);
        counter(group, tags, "rows-filtered-total", "Rows the target filtered out (data quality) in confirmed loads.",
                c.rowsFiltered, plugin);
        counter(group, tags, "rows-unselected-total", "Rows a where filter dropped in confirmed loads.",
                c.rowsUnselected, plugin);
        counter(group, tags, "bytes-loaded-total", "Body bytes of loads the target confirmed.", c.bytesLoaded, plugin);
        counter(group, tags, "loads-succeeded-total", "Loads the target confirmed.", c.loadsSucceeded, plugin);
        counter(group, tags, "loads-failed-total", "Loads that failed for good.", c.loadsFailed, plugin);
        counter(group, tags, "load-attempts-total", "Load attempts, first attempts and retries (with exactly-once, "
                + "an attempt is one pass through a transaction's steps, or its commit alone).", c.attempts, plugin);
        counter(group, tags, "load-retries-total",
                "Load attempts sent again (same label) after a failure; with exactly-once, a transaction loaded "
                        + "again or only its commit sent again.", c.retries, plugin);
        counter(group, tags, "load-slow-downs-total",
                "Loads the target refused because the table holds too many unmerged versions (also counted in "
                        + "load-retries-total): each is sent again under its label, and the table's flush interval "
                        + "grows.", c.slowDowns, plugin);
        counter(group, tags, "unknown-outcomes-total", "Attempts whose outcome was unknown (5xx, reset, timeout).",
                c.unknownOutcomes, plugin);
        counter(group, tags, "unknown-resolved-loaded-total",
                "Loads whose unknown outcome the label resolved as committed: counted once.",
                c.unknownResolvedLoaded, plugin);
        counter(group, tags, "unknown-resolved-not-loaded-total",
                "Loads whose unknown outcome proved not loaded; the resend loaded them.",
                c.unknownResolvedNotLoaded, plugin);
        counter(group, tags, "unknown-unresolved-total",
                "Loads that failed while their outcome was still unknown.", c.unknownUnresolved, plugin);
        gauge(group, tags, "load-latency-last-ms", "From the first attempt to the confirmation, last load.",
                c.latency::last, plugin);
        gauge(group, tags, "load-latency-p50-ms", "Median load latency over the last 1024 loads.",
                () -> c.latency.percentile(50), plugin);
        gauge(group, tags, "load-latency-p95-ms", "95th percentile load latency over the last 1024 loads.",
                () -> c.latency.percentile(95), plugin);
        gauge(group, tags, "load-latency-p99-ms", "99th percentile load latency over the last 1024 loads.",
                () -> c.latency.percentile(99), plugin);
    }

    private void counter(String group, Map<String, String> tags, String name, String description, AtomicLong value,
                         boolean plugin) {
        gauge(group, tags, name, description, value::get, plugin);
    }

    /** @return the gauge's name in this task's registry (JMX) */
    private MetricName gauge(String group, Map<String, String> tags, String name, String description,
                             LongSupplier value, boolean plugin) {
        Gauge<Long> gauge = (config, now) -> value.getAsLong();
        MetricName jmxName = metrics.metricName(name, group, description, tags);
        metrics.addMetric(jmxName, gauge);
        if (plugin && pluginMetrics != null) {
            try {
                // The worker adds the connector and task tags itself.
                MetricName pluginName = pluginMetrics.metricName(name, description, new LinkedHashMap<>());
                pluginMetrics.addMetric(pluginName, gauge);
                pluginMetricNames.add(pluginName);
            } catch (RuntimeException e) {
                log.debug("Plugin metric {} not added: {}", name, e.toString());
            }
        }
        return jmxName;
    }
}
