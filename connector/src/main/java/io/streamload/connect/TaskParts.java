package io.streamload.connect;

import io.streamload.connect.config.AutoTableConfig;
import io.streamload.connect.encode.ChangeEventSettings;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.schema.DdlConnection;
import io.streamload.connect.schema.DdlTls;
import io.streamload.connect.schema.ShowCreateTable;
import io.streamload.connect.schema.TableSchemaSync;
import java.net.URI;
import org.apache.kafka.connect.sink.SinkRecord;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.ChunkPool;
import io.streamload.connect.buffer.ColumnGrouping;
import io.streamload.connect.buffer.FlushPace;
import io.streamload.connect.buffer.FlushSchedule;
import io.streamload.connect.buffer.TableBuffers;
import io.streamload.connect.config.NetworkSettings;
import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.connect.config.TableAllowlist;
import io.streamload.connect.dialect.CreateTableSource;
import io.streamload.connect.dialect.KeyedTableCheck;
import io.streamload.connect.dialect.LoadHeaders;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.dialect.StreamLoadDialects;
import io.streamload.connect.dialect.TableModelLookup;
import io.streamload.connect.encode.RecordColumns;
import io.streamload.connect.errors.ErrorPolicy;
import io.streamload.connect.errors.LoadJobRecorder;
import io.streamload.connect.errors.WarningsRetention;
import io.streamload.connect.errors.WarningsStoreSettings;
import io.streamload.connect.load.AttemptEngine;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.BatchCutter;
import io.streamload.connect.load.BatchLoader;
import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.ErrorLogNames;
import io.streamload.connect.load.FilteredRowTracer;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.load.LoadListener;
import io.streamload.connect.load.LoadProtocol;
import io.streamload.connect.load.LoadRateLimit;
import io.streamload.connect.load.LoadResult;
import io.streamload.connect.load.LoadScheduler;
import io.streamload.connect.load.LoadsPerTable;
import io.streamload.connect.load.MergedStreamLoad;
import io.streamload.connect.load.Ownership;
import io.streamload.connect.load.PlainStreamLoad;
import io.streamload.connect.load.RejectedRowFinder;
import io.streamload.connect.load.RetryBudget;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.metrics.SinkTaskMetrics;
import io.streamload.connect.offset.LoadedRanges;
import io.streamload.connect.offset.OffsetLedger;
import io.streamload.connect.routing.RecordPosition;
import io.streamload.connect.routing.Router;
import io.streamload.connect.txn.TransactionalDelivery;
import io.streamload.connect.encode.RowEncoders;
import io.streamload.warnings.WarningsWriter;

/**
 * A task's parts, assembled in one place from its settings, each made whole by its constructor.
 * The record's path reads in one direction:
 * <pre>
 * put() → RecordIntake → Router → RowEncoder → TableBuffers → Batch → LoadScheduler → BatchLoader
 *       → AttemptEngine → LoadProtocol (plain, or into a transaction) → StreamLoadClient → FE → BE
 * each load's end → LoadListener (offset ledger, metrics, load_jobs) → preCommit() → Connect
 * </pre>
 * {@link #stop} takes them apart in the order that loses nothing: no more work taken, loads given
 * their time, transactions ended, then threads and connections released.
 */
final class TaskParts {

    private static final Logger log = LoggerFactory.getLogger(TaskParts.class);
    private static final Duration REPORT_TIMEOUT = Duration.ofMinutes(2);
    private static final String STRICT_MODE = "strict_mode";
    private static final Duration INTAKE_END_TIMEOUT = Duration.ofSeconds(10);

    final StreamLoadSinkConfig config;
    final String taskName;
    final ErrorPolicy policy;
    final OffsetLedger ledger = new OffsetLedger();
    final LoadedRanges alreadyLoaded = new LoadedRanges();
    final SinkTaskMetrics metrics;
    final LoadScheduler scheduler;
    final TableBuffers buffers;
    final IntakeThrottle throttle;
    final RecordIntake intake;
    /** Exactly-once delivery's parts, or null at least once. */
    final TransactionalDelivery transactional;
    /**
     * Per partition, the first offset of a record reported to a dead letter queue that did not take
     * it: nothing from it on is committed (the task fails at its next {@code put()}).
     */
    private final Map<TopicPartition, Long> firstUnreported = new ConcurrentHashMap<>();

    private final TaskThreads threads;
    private final StreamLoadClient client;
    private final TableModelLookup tableModels;
    /** SHOW CREATE TABLE for the table model lookup, or null when the MySQL port is not to be asked. */
    private final ShowCreateTable createTables;
    private final WarningsWriter warnings;
    private final WarningsRetention retention;
    private final FlushTimer flushTimer;
    private final Router router;
    /** auto.create / auto.evolve, or null when both are off. */
    private final TableSchemaSync schemas;

    /**
     * @param connector the connector's name, for thread names, labels and the warnings store
     * @param taskIndex the task's number within the connector
     * @param environment where secrets named by the settings are read
     */
    static TaskParts assemble(Map<String, String> props, String connector, String taskIndex, SinkTaskContext context,
                              TaskThreads threads, TaskClock clock, Map<String, String> environment) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            return new TaskParts(props, connector, taskIndex, context, threads, clock, environment, opened);
        } catch (RuntimeException e) {
            // A part could not be made (a bad setting, a cluster out of reach): release what was.
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** @param opened collects each part that holds threads or connections, as it is made */
    private TaskParts(Map<String, String> props, String connector, String taskIndex, SinkTaskContext context,
                      TaskThreads threads, TaskClock clock, Map<String, String> environment,
                      Deque<AutoCloseable> opened) {
        this.config = new StreamLoadSinkConfig(props);
        this.taskName = connector + "-" + taskIndex;
        this.threads = threads;
        StreamLoadDialect dialect = StreamLoadDialects.forTarget(config.target());
        NetworkSettings network = config.network();
        Router router = new Router(config.topicToTable(), config.tableNameFormat(), config.data().tableField(),
                TableAllowlist.of(config.data().tableFieldAllowed(), config.database()));
        this.router = router;

        FeSelector fes = new FeSelector(config.loadUrls(), network.feMaxFails(), network.feFailTimeout(),
                clock::nanoTime);
        this.client = new StreamLoadClient(dialect, fes, config.database(), config.user(), config.password().value(),
                new StreamLoadClient.Options(network.connectTimeout(), network.socketTimeout(), config.loadTimeout(),
                        network.tls(), config.maxInFlightLoads() + 2, "streamload-kafka-connect/" + Version.get(),
                        network.continueTimeout(), config.compression()),
                threads.forRole("deadline"));
        opened.push(client);
        Optional<String> keyedTablesReason = config.data().keyedTablesReason();
        boolean modelsNeeded = keyedTablesReason.isPresent() || config.maxInFlightLoadsPerTable() > 1;
        this.createTables = modelsNeeded && config.autoTables().modelsOverMysql()
                ? new ShowCreateTable(ddlConnection(network)) : null;
        if (createTables != null) {
            opened.push(createTables);
        }
        this.tableModels = modelsNeeded
                ? new TableModelLookup(dialect, client, createTables != null ? createTables : CreateTableSource.NONE)
                : null;
        if (keyedTablesReason.isPresent()) {
            new KeyedTableCheck(dialect, tableModels::modelOf)
                    .requireKeyed(router.knownTables(TaskTopics.listed(props)), keyedTablesReason.get());
        }

        this.schemas = autoTables(dialect, network, clock, router);
        if (schemas != null) {
            opened.push(schemas);
        }

        this.warnings = WarningsStoreSettings.startWriter(config.warningsStore(connector), environment,
                threads.forRole("warnings"));
        opened.push(warnings);
        this.retention = "0".equals(taskIndex)
                ? WarningsRetention.start(config.warningsStore(connector), environment, threads.forRole("warnings-ttl"))
                : null;
        if (retention != null) {
            opened.push(retention);
        }
        this.policy = ErrorPolicy.of(props, () -> errantRecordReporter(context), warnings, config.database(),
                dialect.name(), REPORT_TIMEOUT);

        // The buffers and the scheduler are made later (the scheduler needs the metrics): read them then.
        FlushPace pace = new FlushPace(config.bufferFlushInterval(), config.bufferFlushIntervalMax());
        this.metrics = new SinkTaskMetrics(connector, taskIndex, fes, this::bufferedBytes, this::bufferedRecords,
                this::loadingBytes, table -> TimeUnit.NANOSECONDS.toMillis(pace.intervalNanos(table)),
                pluginMetrics(context));
        opened.push(metrics);
        metrics.addRejectedRowMetrics(policy::reportedCount, () -> warnings.stats().written(),
                () -> warnings.stats().dropped());
        LoadListener listener = LoadListener.inOrder(List.of(new LedgerUpdater(), metrics,
                new LoadJobRecorder(warnings, config.database()), pace));

        Backoff backoff = new Backoff(config.retryBackoff(), config.retryBackoffMax());
        this.transactional = config.exactlyOnce()
                ? new TransactionalDelivery(dialect, client, config.database(), connector,
                        config.exactlyOnceLogClient(), config.exactlyOnceLogTopic(), config.exactlyOnceLogRetention(),
                        backoff, clock)
                : null;
        if (transactional != null) {
            opened.push(transactional);
        }
        LoadProtocol protocol = LoadRateLimit.around(transactional != null ? transactional.protocol()
                : config.mergeCommit() ? new MergedStreamLoad(client, dialect,
                        dialect.mergeCommitHeaders(config.mergeCommitSettings()))
                : new PlainStreamLoad(client, dialect, backoff, config.loadTimeout(), clock),
                config.loadMaxRate(), clock);
        AtomicBoolean abandoning = new AtomicBoolean();
        AttemptEngine engine = new AttemptEngine(protocol, loadHeaders(dialect),
                new RetryBudget(config.maxRetries(), network.retryMaxTime(), backoff), clock, listener,
                abandoning::get, new LedgerOwnership(), client, config.database());
        BodyFraming framing = dialect.framing(config.format(), config.csvRowDelimiter());
        LabelFormat labels = new LabelFormat(config.labelPrefix(), connector);
        FilteredRowTracer tracer = new FilteredRowTracer(client, config.csvColumnSeparator());
        BatchLoader loader = new BatchLoader(engine, policy,
                new RejectedRowFinder(client, new BatchCutter(framing, labels), tracer,
                        new ErrorLogNames(client, config.csvColumnSeparator())), tracer,
                router::namedOnlyByRecords, config.database());
        ToIntFunction<String> loadsPerTable = config.maxInFlightLoadsPerTable() > 1
                ? new LoadsPerTable(config.maxInFlightLoadsPerTable(), tableModels::modelOf)
                : LoadsPerTable.ONE_AT_A_TIME;
        this.scheduler = new LoadScheduler(config.maxInFlightLoads(), threads.forRole("load"),
                metrics.countingInFlight(loader::load), listener, abandoning, loadsPerTable);

        this.buffers = new TableBuffers(router, RowEncoders.forConfig(config, dialect), framing,
                new TableBuffers.Limits(config.bufferMaxBytes(), config.bufferMaxRecords(),
                        config.bufferFlushInterval().toNanos(), policy.keepsRecordsForReports()),
                labels, ledger, scheduler::submit, columnGrouping(dialect), new ChunkPool(config.bufferTotalMaxBytes()),
                alreadyLoaded, flushSchedule(pace, scheduler));
        this.throttle = new IntakeThrottle(config.bufferTotalMaxBytes(), config.bufferFullMaxWait(), buffers,
                scheduler, context);
        metrics.addIntakeMetrics(throttle::pausedPartitions);
        this.flushTimer = new FlushTimer(buffers, config.bufferFlushInterval(), threads.forRole("flush"));
        this.intake = new RecordIntake(this::take, threads.forRole("intake"), INTAKE_END_TIMEOUT);
        log.info("Task {} loads into {} database {} via {}{}", taskName, dialect.name(), config.database(),
                config.loadUrls(), transactional != null ? ", exactly once"
                        : config.mergeCommit() ? ", loads merged by the target (load.mode=merge_commit)" : "");
    }

    /**
     * Each table's interval from its pace. A due buffer waits while its table has a batch queued:
     * when loads are rate-capped or a table's loads are refused and retried, it grows into one
     * larger batch instead of a queue of small ones.
     */
    private static FlushSchedule flushSchedule(FlushPace pace, LoadScheduler scheduler) {
        return new FlushSchedule() {
            @Override
            public long intervalNanos(String table) {
                return pace.intervalNanos(table);
            }

            @Override
            public boolean holdsBack(String table) {
                return scheduler.hasQueued(table);
            }
        };
    }

    /**
     * Stops for good, in the order that loses nothing: no more work taken; in-flight loads given
     * {@code close.max.wait.ms}, then abandoned; the transactions they left open ended while the
     * target can still be reached; then connections, writers, metrics and threads released. When
     * this returns no thread of the task runs.
     */
    void stop(Duration threadEndTimeout) {
        intake.close();
        flushTimer.close();
        buffers.close();
        if (schemas != null) {
            schemas.close();
        }
        if (createTables != null) {
            createTables.close();
        }
        scheduler.shutdown(config.closeMaxWait(), client::abort);
        if (transactional != null) {
            transactional.endOpen(null);
        }
        client.close();
        if (transactional != null) {
            transactional.close();
        }
        if (retention != null) {
            retention.close();
        }
        warnings.close();
        metrics.close();
        ledger.closeAll();
        threads.joinAll(threadEndTimeout);
    }

    /**
     * A batch is revoked when its partitions were all closed since it was sealed (see
     * {@code close()}): its records belong to their next owner, which may be this task again (an
     * eager rebalance closes every partition, then opens the new assignment), and come again from
     * the committed offset. A batch that also carries records of a partition the task kept all
     * along goes on: giving it up would leave those records unloaded behind offsets that move on.
     */
    private final class LedgerOwnership implements Ownership {
        @Override
        public boolean revoked(Batch whole) {
            return !whole.ledgerEntries().isEmpty() && !ledger.anyCurrent(whole.ledgerEntries());
        }

        @Override
        public boolean whileOwned(Batch whole, OffsetLedger.Action<InterruptedException> write)
                throws InterruptedException {
            return ledger.whileAnyCurrent(whole.ledgerEntries(), write);
        }
    }

    /**
     * Takes records into their tables' buffers, on the intake thread: a record that cannot be a
     * row is reported and counted, so that offsets move past it.
     *
     * @throws org.apache.kafka.connect.errors.ConnectException when a record cannot be a row and
     *     bad records are not tolerated
     */
    private void take(SinkRecord[] records, long nowNanos) {
        List<SinkRecord> reported = new ArrayList<>(0);
        List<Future<Void>> reports = new ArrayList<>(0);
        for (SinkRecord record : records) {
            try {
                prepareTable(record);
                buffers.add(record, nowNanos);
            } catch (RecordEncodingException e) {
                reports.add(policy.unencodable(record, buffers.tableFor(record), e));
                reported.add(record);
                buffers.skip(record, nowNanos);
            }
        }
        if (reports.isEmpty()) {
            return;
        }
        // Connect waits for what put() reported before it commits, but these were reported after
        // put() returned: the task waits itself, and preCommit() and close() wait for this method.
        // The records are already counted in buffers whose loads may confirm them: if the dead
        // letter queue did not take them, no offset from the first of them on is committed.
        boolean taken = false;
        try {
            policy.awaitReported(reports);
            taken = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while the dead letter queue took rejected records", e);
        } finally {
            if (!taken) {
                for (SinkRecord record : reported) {
                    firstUnreported.merge(RecordPosition.partition(record), RecordPosition.offset(record), Math::min);
                }
            }
        }
    }

    /**
     * The offsets to commit: those after confirmed records, but none past a record the dead
     * letter queue may not hold. For {@code preCommit()}, once the intake is idle.
     */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committableOffsets();
        if (firstUnreported.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, OffsetAndMetadata> capped = new HashMap<>(offsets);
        offsets.forEach((partition, offset) -> {
            Long first = firstUnreported.get(partition);
            if (first != null && offset.offset() > first) {
                capped.put(partition, new OffsetAndMetadata(first));
            }
        });
        return capped;
    }

    /**
     * Makes the record's table ready for its row (auto.create, auto.evolve) before it is buffered.
     *
     * @throws RecordEncodingException when the record cannot fit its table, or names a table it may not
     */
    private void prepareTable(SinkRecord record) throws RecordEncodingException {
        if (schemas != null && !buffers.skips(record)) {
            schemas.prepare(record, router.allowedTableFor(record));
        }
    }

    /** The DDL side of auto.create / auto.evolve, or null when both are off. */
    private TableSchemaSync autoTables(StreamLoadDialect dialect, NetworkSettings network, TaskClock clock,
                                       Router router) {
        AutoTableConfig auto = config.autoTables();
        if (!auto.enabled()) {
            return null;
        }
        DdlConnection connection = ddlConnection(network);
        ChangeEventSettings cdc = config.data().changeEvents() ? RowEncoders.changeEventSettings(config.data(), dialect)
                : null;
        return new TableSchemaSync(auto.create(), auto.evolve(), config.database(), cdc,
                dialect.tableDdl(auto.buckets(), auto.properties()), connection, auto.timeout(), clock,
                router::namedOnlyByRecords);
    }

    /**
     * A connection to the FE's MySQL port ({@code ddl.host}, or the first load URL's host, on
     * {@code ddl.port}), as the DDL user, with TLS following the load URLs unless {@code ddl.ssl.*} says
     * otherwise; opened when first used.
     */
    private DdlConnection ddlConnection(NetworkSettings network) {
        AutoTableConfig auto = config.autoTables();
        URI first = config.loadUrls().get(0);
        String host = auto.host().isEmpty() ? first.getHost() : auto.host();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        Map<String, String> options = DdlTls.options(first, network.tls(), auto.tls());
        String user = auto.user().isEmpty() ? config.user() : auto.user();
        String password = auto.password() != null ? auto.password().value() : config.password().value();
        return new DdlConnection("jdbc:mysql://" + host + ":" + auto.port() + "/", user, password,
                options, network.connectTimeout(), auto.timeout());
    }

    private long bufferedBytes() {
        return buffers == null ? 0 : buffers.bufferedBytes();
    }

    private long bufferedRecords() {
        return buffers == null ? 0 : buffers.bufferedRecords();
    }

    private long loadingBytes() {
        return scheduler == null ? 0 : scheduler.pendingBytes();
    }

    /** Connections the task holds open; for tests. */
    int openConnections() {
        return client.openConnections();
    }

    /** The headers every load carries: format, the user's load properties, strict mode. */
    private Map<String, String> loadHeaders(StreamLoadDialect dialect) {
        Map<String, String> headers = new HashMap<>(LoadHeaders.forConfig(config, dialect));
        // Without strict mode a value that does not fit its column (a string too long, a date that
        // does not parse) is silently loaded as NULL; with it, the row is rejected and reported.
        // Partial updates keep the target's default: there strict mode also refuses new keys.
        if (!config.data().partialUpdate()) {
            headers.putIfAbsent(STRICT_MODE, "true");
        }
        return headers;
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

    /** The worker's plugin metrics (Connect 4.1+), or null on a worker without them. */
    private static PluginMetrics pluginMetrics(SinkTaskContext context) {
        try {
            return context == null ? null : context.pluginMetrics();
        } catch (LinkageError | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Connect's reporter of bad records, or null (no dead letter queue or error log, or an old worker). */
    private static ErrantRecordReporter errantRecordReporter(SinkTaskContext context) {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            log.warn("This Connect worker cannot take rejected records (it predates Kafka 2.6); they are logged "
                    + "and written to the warnings store only");
            return null;
        }
    }

    /** Confirms the offsets of done batches: the first listener, so offsets move before anything else hears. */
    private final class LedgerUpdater implements LoadListener {
        @Override
        public void done(Batch batch, LoadResult result) {
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
