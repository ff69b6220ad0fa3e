package io.streamload.warnings;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL warnings writer: callers put entries on a bounded queue and return at once; one
 * thread, made by the caller's {@link ThreadFactory}, writes them in batches. {@link #close()}
 * ends that thread.
 *
 * <p>Best effort, as the design asks: when the queue is full or the writer is closed, an entry is
 * dropped and counted, never waited for. When MySQL is unreachable the thread keeps the current
 * batch, waits (doubling backoff) and reconnects by itself, while new entries queue up to the
 * capacity and overflow is dropped. A batch MySQL refuses for any other reason (data, privileges)
 * is dropped so that one bad batch cannot stall the rest.
 */
public final class LoadErrorsWriter implements WarningsWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LoadErrorsWriter.class);

    private final WarningsStoreConfig config;
    private final StoreConnections connections;
    private final StoreSchema schema;
    /** Made at each connect: whether the table has {@code entry_key} decides the statement. */
    private EntryInserter inserter;
    private final BlockingQueue<StoreEntry> queue;
    private final DropCounter drops;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closed;
    /** Set up and ready to write. */
    private volatile Connection connection;
    /** The connection the thread uses or is setting up: aborted by close() when the thread does not end. */
    private volatile Connection inUse;
    private Duration nextBackoff;
    private boolean outageReported;

    private LoadErrorsWriter(WarningsStoreConfig config, ThreadFactory threads) {
        this.config = config;
        this.connections = StoreConnections.of(config);
        this.schema = new StoreSchema(config.location());
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.drops = new DropCounter(config.dropWarningInterval(), describe(config));
        this.nextBackoff = config.reconnectBackoff();
        this.thread = threads.newThread(this::run);
    }

    /**
     * Starts the writer thread. Does not connect here: an unreachable MySQL must not fail the caller.
     *
     * @param threads makes the writer's one thread (its name, whether it is a daemon), for example
     *        the connector task's own factory, so the task knows it and waits for its end
     */
    public static LoadErrorsWriter start(WarningsStoreConfig config, ThreadFactory threads) {
        LoadErrorsWriter writer = new LoadErrorsWriter(config, threads);
        writer.thread.start();
        LOG.info("Warnings store writer started for {} (database {}, queue {} entries)",
                config.url(), config.location().database(), config.queueCapacity());
        return writer;
    }

    @Override
    public boolean recordRejectedRow(LoadErrorEntry entry) {
        return offer(entry);
    }

    @Override
    public boolean recordLoad(LoadJobEntry entry) {
        return offer(entry);
    }

    private boolean offer(StoreEntry entry) {
        if (closed) {
            drops.drop(1, "the writer is closed");
            return false;
        }
        if (queue.offer(entry)) {
            accepted.incrementAndGet();
            return true;
        }
        drops.drop(1, "queue full (" + config.queueCapacity() + " entries); MySQL is slow or down");
        return false;
    }

    @Override
    public WriterStats stats() {
        return new WriterStats(accepted.get(), written.get(), drops.total(), queue.size(), connection != null);
    }

    public StoreLocation location() {
        return config.location();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        try {
            thread.join(config.closeTimeout().toMillis());
            if (thread.isAlive()) {
                // A statement MySQL does not answer (a locked table, a stalled server) holds the
                // thread: aborting its connection makes the statement fail and the thread end.
                StoreConnections.abort(inUse);
                thread.interrupt();
                thread.join(config.closeTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Warnings store writer thread {} for database {} did not end when closed",
                    thread.getName(), config.location().database());
        }
        int left = queue.size();
        if (left > 0) {
            queue.clear();
            drops.drop(left, "closed before they were written");
        }
        drops.reportNow(System.nanoTime());
        closeConnection();
        LOG.info("Warnings store writer for database {} closed: {} written, {} dropped",
                config.location().database(), written.get(), drops.total());
    }

    private void run() {
        List<StoreEntry> batch = new ArrayList<>(config.maxBatchSize());
        long closeDeadline = Long.MAX_VALUE;
        while (true) {
            if (closed && closeDeadline == Long.MAX_VALUE) {
                closeDeadline = System.nanoTime() + config.closeTimeout().toNanos();
            }
            if (closed && (queue.isEmpty() && batch.isEmpty() || System.nanoTime() > closeDeadline)) {
                if (!batch.isEmpty()) {
                    drops.drop(batch.size(), "closed before they were written");
                }
                return;
            }
            if (batch.isEmpty() && !takeBatch(batch)) {
                drops.reportIfDue(System.nanoTime());
                continue;
            }
            if (writeBatch(batch)) {
                batch.clear();
            } else if (!waitBeforeReconnect()) {
                // Closing while MySQL is away: what is held cannot be written in time.
                drops.drop(batch.size() + queue.size(), "closed while MySQL was unreachable");
                queue.clear();
                return;
            }
            drops.reportIfDue(System.nanoTime());
        }
    }

    /** Waits up to one flush interval for the first entry, then takes what else is queued. */
    private boolean takeBatch(List<StoreEntry> batch) {
        try {
            StoreEntry first = closed ? queue.poll() : queue.poll(config.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            batch.add(first);
            queue.drainTo(batch, config.maxBatchSize() - 1);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when the batch is done with (written, or dropped because MySQL refused it). */
    private boolean writeBatch(List<StoreEntry> batch) {
        Connection current;
        try {
            current = connect();
        } catch (SQLException | RuntimeException e) {
            // Unreachable, or refusing us (password, privileges): keep the batch and retry after a backoff.
            // (When closing, the failure may be close() aborting a statement that did not end.)
            if (!outageReported && !closed) {
                LOG.warn("Warnings store {} is unavailable; retrying in the background, loading is not affected: {}",
                        config.url(), e.getMessage());
                outageReported = true;
            }
            return false;
        }
        try {
            written.addAndGet(inserter.insert(current, batch));
            return true;
        } catch (SQLException e) {
            closeConnection();
            if (isConnectionProblem(e)) {
                LOG.debug("Warnings store {} connection lost, keeping {} entries and reconnecting: {}",
                        config.url(), batch.size(), e.getMessage());
                return false;
            }
            drops.drop(batch.size(), "MySQL refused the batch: " + e.getMessage());
            return true;
        } catch (RuntimeException e) {
            drops.drop(batch.size(), "unexpected " + e);
            return true;
        }
    }

    private Connection connect() throws SQLException {
        Connection current = connection;
        if (current != null) {
            return current;
        }
        current = connections.open();
        inUse = current;
        try {
            if (config.createMissingTables()) {
                schema.createIfMissing(current);
            }
            boolean withEntryKey = schema.errorsTableHasEntryKey(current);
            if (!withEntryKey && schema.errorsTableExists(current)) {
                LOG.warn("{} has no entry_key column (it was created by an earlier version and "
                        + "load.errors.create.tables is off): a record reported again after a task restart is "
                        + "written again. Add it with: {}", config.location().qualifiedErrorsTable(),
                        schema.addEntryKeyDdl());
            }
            inserter = new EntryInserter(config.location(), withEntryKey);
        } catch (SQLException e) {
            inUse = null;
            current.close();
            throw e;
        }
        LOG.info("Warnings store writer connected to {} (database {})", config.url(), config.location().database());
        connection = current;
        outageReported = false;
        nextBackoff = config.reconnectBackoff();
        return current;
    }

    /** Waits the backoff (less when closing); false when the writer was closed meanwhile. */
    private boolean waitBeforeReconnect() {
        Duration wait = nextBackoff;
        Duration doubled = nextBackoff.multipliedBy(2);
        nextBackoff = doubled.compareTo(config.maxReconnectBackoff()) > 0 ? config.maxReconnectBackoff() : doubled;
        try {
            boolean closedMeanwhile = closing.await(wait.toMillis(), TimeUnit.MILLISECONDS);
            return !closedMeanwhile;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || (state != null && state.startsWith("08"))
                || e.getClass().getSimpleName().equals("CommunicationsException");
    }

    private void closeConnection() {
        Connection current = connection;
        connection = null;
        inUse = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException ignored) {
                // The connection is being thrown away because it already failed.
            }
        }
    }

    private static String describe(WarningsStoreConfig config) {
        return config.url() + " (database " + config.location().database() + ")";
    }

    @Override
    public String toString() {
        return "LoadErrorsWriter{" + describe(config) + ", " + stats() + "}";
    }
}
