package io.streamload.connect;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.ChunkPool;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.ColumnGrouping;
import io.streamload.connect.buffer.TableBuffers;
import io.streamload.connect.config.NetworkSettings;
import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.connect.config.TableAllowlist;
import io.streamload.connect.dialect.KeyedTableCheck;
import io.streamload.connect.dialect.LoadHeaders;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.dialect.StreamLoadDialects;
import io.streamload.connect.dialect.TableModels;
import io.streamload.connect.encode.RecordColumns;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.encode.RowEncoder;
import io.streamload.connect.encode.RowEncoders;
import io.streamload.connect.errors.ErrorTolerance;
import io.streamload.connect.errors.LoadJobRecorder;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;
import io.streamload.connect.errors.WarningsRetention;
import io.streamload.connect.errors.WarningsStoreSettings;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.BatchCutter;
import io.streamload.connect.load.BatchLoader;
import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.FilteredRowTracer;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.load.LoadResult;
import io.streamload.connect.load.LoadScheduler;
import io.streamload.connect.load.LoadsPerTable;
import io.streamload.connect.load.RejectedRowFinder;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.metrics.SinkTaskMetrics;
import io.streamload.connect.offset.LoadedRanges;
import io.streamload.connect.offset.OffsetLedger;
import io.streamload.connect.routing.Router;
import io.streamload.connect.txn.ExactlyOnce;
import io.streamload.warnings.WarningsWriter;

/**
 * Loads the records of its assigned partitions into StarRocks through Stream Load.
 *
 * <p>The data path: {@code put()} routes each record to its table and encodes it into that
 * table's buffer; a full or due buffer becomes a batch with a deterministic label, loaded in the
 * background; a confirmed load confirms its offset ranges in the ledger; {@code preCommit()}
 * reports only offsets after confirmed records.
 *
 * <p>Lifecycle order, for {@code close()} and {@code stop()} alike: first stop taking work, then
 * let in-flight loads finish within {@code close.max.wait.ms} (or abandon them, forgetting their
 * offsets), and only then release threads and connections. When {@code stop()} returns, no
 * thread of this task runs and no request can reach the target.
 */
public class StreamLoadSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadSinkTask.class);
    private static final Duration THREAD_END_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPORT_TIMEOUT = Duration.ofMinutes(2);
    private static final String STRICT_MODE = "strict_mode";

    private StreamLoadSinkConfig config;
    private String taskName;
    private StreamLoadClient client;
    private OffsetLedger ledger;
    private LoadScheduler scheduler;
    private TableBuffers buffers;
    private IntakeThrottle throttle;
    private FlushTimer flushTimer;
    private TaskThreads threads;
    private ErrorTolerance tolerance;
    private RejectedRecords rejectedRecords;
    private WarningsWriter warnings;
    private WarningsRetention retention;
    private SinkTaskMetrics metrics;
    private ExactlyOnce exactlyOnce;
    private TableModels tableModels;
    private final LoadedRanges alreadyLoaded = new LoadedRanges();

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new StreamLoadSinkConfig(props);
        String connector = props.getOrDefault(StreamLoadSinkConnector.CONNECTOR_NAME, "connector");
        String taskIndex = props.getOrDefault(StreamLoadSinkConnector.TASK_INDEX, "0");
        taskName = connector + "-" + taskIndex;
        threads = new TaskThreads(connector, taskIndex);

        StreamLoadDialect dialect = StreamLoadDialects.forTarget(config.target());
        Router router = new Router(config.topicToTable(), config.tableNameFormat(), config.data().tableField(),
                TableAllowlist.of(config.data().tableFieldAllowed(), config.database()));
        NetworkSettings network = config.network();
        FeSelector fes = new FeSelector(config.loadUrls(), network.feMaxFails(), network.feFailTimeout(),
                System::nanoTime);
        client = new StreamLoadClient(dialect, fes, config.database(), config.user(), config.password().value(),
                new StreamLoadClient.Options(network.connectTimeout(), network.socketTimeout(), config.loadTimeout(),
                        network.tls(), config.maxInFlightLoads() + 2, "streamload-kafka-connect/" + Version.get(),
                        network.continueTimeout()),
                threads.forRole("deadline"));
        Optional<String> keyedTablesReason = config.data().keyedTablesReason();
        if (keyedTablesReason.isPresent() || config.maxInFlightLoadsPerTable() > 1) {
            tableModels = new TableModels(dialect, client);
        }
        if (keyedTablesReason.isPresent()) {
            try {
                new KeyedTableCheck(dialect, tableModels::modelOf)
                        .requireKeyed(router.knownTables(TaskTopics.listed(props)), keyedTablesReason.get());
            } catch (RuntimeException e) {
                client.close();
                client = null;
                throw e;
            }
        }
        ledger = new OffsetLedger();

        tolerance = ErrorTolerance.from(props);
        warnings = WarningsStoreSettings.startWriter(config.warningsStore(connector), System.getenv());
        if ("0".equals(taskIndex)) {
            retention = WarningsRetention.start(config.warningsStore(connector), System.getenv());
        }
        // With errors.tolerance=none a rejected record fails the task; it is never reported to
        // Connect (its reporter would fail the task with a less helpful message).
        rejectedRecords = new RejectedRecords(tolerance == ErrorTolerance.ALL ? errantRecordReporter() : null,
                warnings, config.database(), dialect.name(), REPORT_TIMEOUT);

        Map<String, String> headers = new HashMap<>(LoadHeaders.forConfig(config, dialect));
        // Without strict mode a value that does not fit its column (a string too long, a date that
        // does not parse) is silently loaded as NULL; with it, the row is rejected and reported.
        // Partial updates keep the target's default: there strict mode also refuses new keys.
        if (!config.data().partialUpdate()) {
            headers.putIfAbsent(STRICT_MODE, "true");
        }
        BodyFraming framing = dialect.framing(config.format(), config.csvRowDelimiter());
        LabelFormat labels = new LabelFormat(config.labelPrefix(), connector);
        FilteredRowTracer tracer = new FilteredRowTracer(client, config.csvColumnSeparator());
        BatchLoader.RejectedRows rejectedRows = new BatchLoader.RejectedRows(tolerance == ErrorTolerance.ALL,
                new RejectedRowFinder(client, new BatchCutter(framing, labels), tracer), tracer, rejectedRecords);
        AtomicBoolean abandoning = new AtomicBoolean();
        BatchLoader loader = new BatchLoader(client, dialect, config.database(), headers, config.maxRetries(),
                new Backoff(config.retryBackoff(), config.retryBackoffMax()), config.loadTimeout(), abandoning::get,
                rejectedRows, new LoadJobRecorder(warnings, config.database()));
        metrics = new SinkTaskMetrics(connector, taskIndex, fes, () -> buffers.bufferedBytes(),
                () -> buffers.bufferedRecords(), pluginMetrics());
        loader.withRetryMaxTime(network.retryMaxTime()).withEvents(metrics)
                .withTablesNamedByRecords(router::namedOnlyByRecords);
        if (config.exactlyOnce()) {
            exactlyOnce = new ExactlyOnce(config.target(), client, config.database(), connector,
                    config.exactlyOnceLogClient(), config.exactlyOnceLogTopic(), config.exactlyOnceLogRetention(),
                    headers, config.maxRetries(),
                    new Backoff(config.retryBackoff(), config.retryBackoffMax()), abandoning::get, metrics);
            loader.withSettler(exactlyOnce.loader());
        }
        metrics.addRejectedRowMetrics(rejectedRecords::count, () -> warnings.stats().written(),
                () -> warnings.stats().dropped());
        ToIntFunction<String> loadsPerTable = LoadsPerTable.ONE_AT_A_TIME;
        if (config.maxInFlightLoadsPerTable() > 1) {
            loadsPerTable = new LoadsPerTable(config.maxInFlightLoadsPerTable(), tableModels::modelOf);
        }
        scheduler = new LoadScheduler(config.maxInFlightLoads(), threads.forRole("load"),
                metrics.countingInFlight(loader::load), new LedgerUpdater(), abandoning, loadsPerTable);

        RowEncoder encoder = RowEncoders.forConfig(config, dialect);
        buffers = new TableBuffers(router, encoder, framing,
                new TableBuffers.Limits(config.bufferMaxBytes(), config.bufferMaxRecords(),
                        config.bufferFlushInterval().toNanos(), tolerance == ErrorTolerance.ALL),
                labels, ledger, scheduler::submit, columnGrouping(dialect),
                new ChunkPool(config.bufferTotalMaxBytes()));
        buffers.skipAlreadyLoaded(alreadyLoaded);
        throttle = new IntakeThrottle(config.bufferTotalMaxBytes(), config.bufferFullMaxWait(), buffers, scheduler,
                context);
        flushTimer = new FlushTimer(buffers, config.bufferFlushInterval(),
                threads.forRole("flush"));
        log.info("Task {} loads into {} database {} via {}", taskName, dialect.name(), config.database(),
                config.loadUrls());
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        ledger.open(partitions);
        if (exactlyOnce != null) {
            // Before any record of these partitions is loaded: finish what an earlier owner left.
            exactlyOnce.open(partitions, alreadyLoaded);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        failIfALoadFailed();
        throttle.beforePut();
        long now = System.nanoTime();
        for (SinkRecord record : records) {
            try {
                buffers.add(record, now);
            } catch (RecordEncodingException e) {
                if (tolerance != ErrorTolerance.ALL) {
                    throw new ConnectException("Cannot load the record at topic " + record.originalTopic()
                            + ", partition " + record.originalKafkaPartition() + ", offset "
                            + record.originalKafkaOffset() + ": " + e.getMessage()
                            + ". Offsets from this record on are not committed. Fix the record's producer or "
                            + "converter, or set errors.tolerance=all to report such records and go on.", e);
                }
                // Connect waits for what is reported here before it commits offsets.
                rejectedRecords.report(Rejection.unencodable(record, buffers.tableFor(record), e.getMessage()));
                buffers.skip(record, now);
            }
        }
        try {
            throttle.afterPut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for loads to make room", e);
        }
        failIfALoadFailed();
    }

    /**
     * Loads what is buffered, waits (bounded) for the loads, and reports the offsets after the
     * records the target confirmed. Never an offset of unconfirmed data; nothing for partitions
     * without progress.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        buffers.flushAll();
        try {
            if (!scheduler.awaitFinished(batch -> true, config.commitMaxWait())) {
                log.debug("Task {}: loads still running at commit time; committing what is confirmed", taskName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Only open partitions are in the ledger, so revoked ones are never reported.
        Map<TopicPartition, OffsetAndMetadata> committable = ledger.takeCommittable();
        metrics.committed(committable);
        return committable;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (buffers == null) {
            return;
        }
        buffers.flushHolding(partitions);
        try {
            boolean finished = scheduler.awaitFinished(
                    batch -> batch.ranges().stream().anyMatch(range -> partitions.contains(range.partition())),
                    config.closeMaxWait());
            if (!finished) {
                log.info("Task {}: loads of closed partitions still running after {} ms; their offsets are dropped",
                        taskName, config.closeMaxWait().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exactlyOnce != null) {
            exactlyOnce.loader().endOpen(partitions);
        }
        ledger.close(partitions);
        throttle.forget(partitions);
        alreadyLoaded.forget(partitions);
    }

    @Override
    public void stop() {
        // 1. Take no more work.
        if (flushTimer != null) {
            flushTimer.close();
        }
        if (buffers != null) {
            buffers.close();
        }
        // 2. Let in-flight loads finish, bounded; then abandon them (closing their connections).
        if (scheduler != null) {
            scheduler.shutdown(config.closeMaxWait(), client::abort);
        }
        // End the transactions they left open, while the client can still reach the target.
        if (exactlyOnce != null) {
            exactlyOnce.loader().endOpen(null);
        }
        // 3. Release what they used.
        if (client != null) {
            client.close();
        }
        if (exactlyOnce != null) {
            exactlyOnce.close();
        }
        if (retention != null) {
            retention.close();
        }
        if (warnings != null) {
            warnings.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (ledger != null) {
            ledger.closeAll();
        }
        if (threads != null) {
            threads.joinAll(THREAD_END_TIMEOUT);
        }
        log.info("Task {} stopped", taskName);
    }

    /** The worker's plugin metrics (Connect 4.1+), or null on a worker without them. */
    private org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        try {
            return context == null ? null : context.pluginMetrics();
        } catch (LinkageError | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The task's metrics; for tests. */
    SinkTaskMetrics metrics() {
        return metrics;
    }

    /** Connections the task holds open; for tests. */
    int openConnections() {
        return client == null ? 0 : client.openConnections();
    }

    /**
     * A partial update without a fixed column list loads each record's own fields: records are
     * grouped by their columns, each group's loads naming them.
     */
    private ColumnGrouping columnGrouping(StreamLoadDialect dialect) {
        if (!config.data().partialUpdate() || !config.data().partialUpdateColumns().isEmpty()) {
            return ColumnGrouping.NONE;
        }
        return new ColumnGrouping(RecordColumns::of, columns -> {
            Map<String, String> headers = new HashMap<>();
            dialect.addPartialUpdateHeaders(headers, columns);
            return headers;
        });
    }

    /** Connect's reporter of bad records, or null (no dead letter queue or error log, or an old worker). */
    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            log.warn("This Connect worker cannot take rejected records (it predates Kafka 2.6); they are logged "
                    + "and written to the warnings store only");
            return null;
        }
    }

    private void failIfALoadFailed() {
        LoadFailedException failure = scheduler.failure();
        if (failure != null) {
            throw new ConnectException(failure.getMessage(), failure);
        }
    }

    /** Confirms the offsets of loaded batches; logs failures once. */
    private final class LedgerUpdater implements LoadScheduler.Listener {
        @Override
        public void loaded(Batch batch, LoadResult result) {
            batch.ledgerEntries().forEach(ledger::confirm);
            if (result.attempts() > 1) {
                log.info("Loaded {} after {} attempts ({})", batch, result.attempts(), result.resolution());
            } else {
                log.debug("Loaded {}", batch);
            }
        }

        @Override
        public void failed(Batch batch, LoadFailedException failure) {
            log.error("Task {}: {}", taskName, failure.getMessage());
        }
    }
}
