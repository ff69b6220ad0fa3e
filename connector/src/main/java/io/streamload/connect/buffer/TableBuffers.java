package io.streamload.connect.buffer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.encode.RowEncoder;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.offset.LoadedRanges;
import io.streamload.connect.offset.OffsetLedger;
import io.streamload.connect.routing.PartitionCache;
import io.streamload.connect.routing.RecordPosition;
import io.streamload.connect.routing.Router;
import io.streamload.connect.routing.TableNotAllowedException;

/**
 * The task's buffers, one per table, and the rule for when one becomes a load: when it is full
 * (bytes or records), when its first record is {@code buffer.flush.interval.ms} old, or when the
 * task needs it (offset commit, close). Sealing registers the batch's ranges in the
 * {@link OffsetLedger} and gives it its label, under one lock, so the ledger sees each
 * partition's ranges in arrival order.
 *
 * <p>Thread-safe: the task thread adds records while the flush timer seals due buffers.
 */
public final class TableBuffers {

    /**
     * Thresholds of one table buffer.
     *
     * @param keepRecords whether each record is kept with its row until the load is confirmed,
     *        to report the ones the target rejects (needed with {@code errors.tolerance=all})
     */
    public record Limits(long maxBytes, long maxRecords, long flushIntervalNanos, boolean keepRecords) {
    }

    private final Router router;
    private final RowEncoder encoder;
    private final BodyFraming framing;
    private final Limits limits;
    private final LabelFormat labels;
    private final OffsetLedger ledger;
    private final Consumer<Batch> loads;
    private final ColumnGrouping grouping;
    private final ChunkPool pool;
    private final LoadedRanges alreadyLoaded;
    private final FlushSchedule schedule;
    private final PartitionCache partitions = new PartitionCache();

    // Guarded by this.
    private final Map<String, TableBuffer> buffers = new HashMap<>();
    private final Map<TopicPartition, TableBuffer> holders = new HashMap<>();
    /** The buffer the last record routed by its topic went to, and that topic (see {@link #bufferFor}). */
    private String lastTopic;
    private TableBuffer lastTopicBuffer;
    private long bufferedBytes;
    private boolean closed;

    /**
     * @param loads receives each sealed batch (the load scheduler); must not block
     */
    public TableBuffers(Router router, RowEncoder encoder, BodyFraming framing, Limits limits, LabelFormat labels,
                        OffsetLedger ledger, Consumer<Batch> loads) {
        this(router, encoder, framing, limits, labels, ledger, loads, ColumnGrouping.NONE);
    }

    /**
     * @param grouping whether a table's records are loaded in groups by the columns they carry
     */
    public TableBuffers(Router router, RowEncoder encoder, BodyFraming framing, Limits limits, LabelFormat labels,
                        OffsetLedger ledger, Consumer<Batch> loads, ColumnGrouping grouping) {
        this(router, encoder, framing, limits, labels, ledger, loads, grouping, ChunkPool.NONE);
    }

    /**
     * @param pool where the bodies' chunks come from; whoever ends a batch's load releases its body
     */
    public TableBuffers(Router router, RowEncoder encoder, BodyFraming framing, Limits limits, LabelFormat labels,
                        OffsetLedger ledger, Consumer<Batch> loads, ColumnGrouping grouping, ChunkPool pool) {
        this(router, encoder, framing, limits, labels, ledger, loads, grouping, pool, new LoadedRanges());
    }

    /**
     * @param alreadyLoaded records the target already holds (committed transactions found by
     *     recovery): they are counted but not loaded again
     */
    public TableBuffers(Router router, RowEncoder encoder, BodyFraming framing, Limits limits, LabelFormat labels,
                        OffsetLedger ledger, Consumer<Batch> loads, ColumnGrouping grouping, ChunkPool pool,
                        LoadedRanges alreadyLoaded) {
        this(router, encoder, framing, limits, labels, ledger, loads, grouping, pool, alreadyLoaded,
                FlushSchedule.fixed(limits.flushIntervalNanos()));
    }

    /**
     * @param schedule each table's flush interval, and whether a due buffer waits for its table's
     *     previous batch to start (in place of {@link Limits#flushIntervalNanos()} for every table)
     */
    public TableBuffers(Router router, RowEncoder encoder, BodyFraming framing, Limits limits, LabelFormat labels,
                        OffsetLedger ledger, Consumer<Batch> loads, ColumnGrouping grouping, ChunkPool pool,
                        LoadedRanges alreadyLoaded, FlushSchedule schedule) {
        this.schedule = schedule;
        this.alreadyLoaded = alreadyLoaded;
        this.pool = pool;
        this.grouping = grouping;
        this.router = router;
        this.encoder = encoder;
        this.framing = framing;
        this.limits = limits;
        this.labels = labels;
        this.ledger = ledger;
        this.loads = loads;
    }

    /**
     * Encodes the record into its table's buffer, and seals the buffer if that made it full.
     *
     * @throws RecordEncodingException when the record cannot be a row, or names a table it may not
     *         ({@link TableNotAllowedException}); the buffers are unchanged
     */
    public synchronized void add(SinkRecord record, long nowNanos) throws RecordEncodingException {
        if (closed) {
            throw new IllegalStateException("the task is stopping; no records are taken");
        }
        TopicPartition partition = partitions.of(record);
        if (encoder.skips(record) || alreadyLoaded.contains(partition, RecordPosition.offset(record))) {
            skip(record, nowNanos);
            return;
        }
        TableBuffer buffer = bufferFor(record, grouping.columnsOf(record));
        // The ledger takes each partition's ranges in arrival order, so only one buffer may hold
        // records of a partition: when records of one partition go to several tables (table.field,
        // a renaming transform), the other table's buffer is sealed first.
        TableBuffer holder = holders.get(partition);
        if (holder != null && holder != buffer && !holder.isEmpty()) {
            seal(holder);
        }
        long before = buffer.sizeBytes();
        buffer.append(record, partition, encoder, nowNanos);
        bufferedBytes += buffer.sizeBytes() - before;
        if (holder != buffer) {
            holders.put(partition, buffer);
        }
        if (buffer.isFull()) {
            seal(buffer);
        }
    }

    /**
     * Counts a record that will not be loaded (it makes no row, or it could not be encoded and was
     * reported) in a buffer, so the offsets committed after that buffer's load move past it. It
     * joins the buffer that holds its partition, if any: a record without a row belongs to no table.
     */
    public synchronized void skip(SinkRecord record, long nowNanos) {
        if (closed) {
            throw new IllegalStateException("the task is stopping; no records are taken");
        }
        TopicPartition partition = partitions.of(record);
        TableBuffer holder = holders.get(partition);
        if (holder == null || holder.isEmpty()) {
            // The topic's table: the one the record names may be one it must not reach.
            holder = bufferOf(router.tableFor(record.topic()), List.of());
            holders.put(partition, holder);
        }
        holder.skip(record, partition, nowNanos);
    }

    /** The table the record goes to. */
    /** Whether the record makes no row (a tombstone ignored, a truncate event): it is only counted. */
    public boolean skips(SinkRecord record) {
        return encoder.skips(record);
    }

    public String tableFor(SinkRecord record) {
        return router.tableFor(record);
    }

    /**
     * The buffer of the record's table and, when records are grouped by columns, of its columns.
     *
     * @throws TableNotAllowedException when the record names a table it may not
     */
    private TableBuffer bufferFor(SinkRecord record, List<String> columns) throws TableNotAllowedException {
        // Records come in runs of one topic, and while the table depends on the topic alone the
        // buffer is the one the last record went to: the same topic instance skips two hash
        // lookups, which were a quarter of put() on the passthrough path.
        boolean byTopic = columns.isEmpty() && router.routesByTopicAlone();
        if (byTopic && record.topic() == lastTopic && lastTopicBuffer != null) {
            return lastTopicBuffer;
        }
        TableBuffer buffer = bufferOf(router.allowedTableFor(record), columns);
        if (byTopic) {
            lastTopic = record.topic();
            lastTopicBuffer = buffer;
        }
        return buffer;
    }

    private TableBuffer bufferOf(String table, List<String> columns) {
        String key = columns.isEmpty() ? table : table + '\u0000' + String.join(",", columns);
        return buffers.computeIfAbsent(key, k -> new TableBuffer(table, framing, limits.maxBytes(),
                limits.maxRecords(), limits.keepRecords(), grouping.headersFor(columns), pool));
    }

    /**
     * Seals every buffer whose first record has waited its table's flush interval, except those
     * whose table still has a batch waiting to start: they keep filling and are sealed at a later
     * tick, once that batch has started, or when full.
     */
    public synchronized void flushDue(long nowNanos) {
        for (TableBuffer buffer : buffers.values()) {
            if (buffer.isDue(nowNanos, schedule.intervalNanos(buffer.table())) && !schedule.holdsBack(buffer.table())) {
                seal(buffer);
            }
        }
    }

    /** Seals every non-empty buffer. */
    public synchronized void flushAll() {
        for (TableBuffer buffer : buffers.values()) {
            if (!buffer.isEmpty()) {
                seal(buffer);
            }
        }
    }

    /** Seals the buffers that hold records of any of these partitions. */
    public synchronized void flushHolding(Collection<TopicPartition> partitions) {
        for (TableBuffer buffer : buffers.values()) {
            if (!buffer.isEmpty() && partitions.stream().anyMatch(buffer::holds)) {
                seal(buffer);
            }
        }
    }

    /** Bytes encoded and not yet sealed. */
    public synchronized long bufferedBytes() {
        return bufferedBytes;
    }

    /** Records encoded and not yet sealed. */
    public synchronized long bufferedRecords() {
        return buffers.values().stream().mapToLong(TableBuffer::recordCount).sum();
    }

    /** Takes no more records and drops what is buffered; those records are never confirmed. */
    public synchronized void close() {
        closed = true;
        buffers.clear();
        holders.clear();
        lastTopic = null;
        lastTopicBuffer = null;
        bufferedBytes = 0;
    }

    private void seal(TableBuffer buffer) {
        bufferedBytes -= buffer.sizeBytes();
        TableBuffer.Sealed sealed = buffer.seal();
        sealed.ranges().forEach(range -> holders.remove(range.partition(), buffer));
        List<OffsetLedger.Entry> entries = new ArrayList<>(sealed.ranges().size());
        for (PartitionRange range : sealed.ranges()) {
            entries.add(ledger.register(range.partition(), range.firstOffset(), range.lastOffset()));
        }
        String label = labels.labelFor(sealed.table(), sealed.ranges(), sealed.body(), sealed.headers());
        loads.accept(new Batch(sealed.table(), label, sealed.body(), sealed.rows().size(), sealed.ranges(),
                List.copyOf(entries), sealed.rows(), sealed.headers()));
    }
}
