package io.streamload.connect.schema;

import io.streamload.connect.encode.ChangeEventSettings;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.routing.TargetTable;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each record's table ready for its row before the row is buffered: creates a missing table
 * ({@code auto.create}), adds the columns the record brings and widens those it outgrows
 * ({@code auto.evolve}), then waits until the FE shows the change. Because this runs in
 * {@code put()} before the record joins a buffer, no load carries a field its table lacks.
 *
 * <p>Several tasks may race to make the same change: the one whose statement lands applies it; the
 * others get "already exists" and read the table again. A table busy with another schema change
 * makes the record wait (the targets refuse a second ALTER meanwhile) for up to {@code ddl.timeout.ms}.
 *
 * <p>A record's value schema is checked once per table: later records with the same schema object
 * (converters hand out one per schema version) pass at the cost of two map lookups.
 */
public final class TableSchemaSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TableSchemaSync.class);
    private static final long FIRST_WAIT_MS = 50;
    private static final long LONGEST_WAIT_MS = 2_000;
    private static final int SCHEMAS_PER_TABLE = 64;

    private final boolean create;
    private final boolean evolve;
    private final String database;
    private final ChangeEventSettings cdc;
    private final TableDdl ddl;
    private final DdlConnection connection;
    private final Duration timeout;
    private final TaskClock clock;
    private final Predicate<String> namedOnlyByRecords;
    private final Map<String, TableShape> shapes = new HashMap<>();
    private final Map<String, Set<Schema>> fitted = new HashMap<>();

    /**
     * @param cdc change event settings, or null for plain rows
     * @param namedOnlyByRecords tables only records name (table.field): never created, their name is data
     */
    public TableSchemaSync(boolean create, boolean evolve, String database, ChangeEventSettings cdc, TableDdl ddl,
                           DdlConnection connection, Duration timeout, TaskClock clock,
                           Predicate<String> namedOnlyByRecords) {
        this.create = create;
        this.evolve = evolve;
        this.database = database;
        this.cdc = cdc;
        this.ddl = ddl;
        this.connection = connection;
        this.timeout = timeout;
        this.clock = clock;
        this.namedOnlyByRecords = namedOnlyByRecords;
    }

    /**
     * Makes the table ready for the record's row.
     *
     * @throws RecordEncodingException when the record cannot fit its table (reported as a bad record)
     * @throws ConnectException when the DDL cannot be run: no privilege, the FE out of reach, a
     *         schema change that does not end within ddl.timeout.ms
     */
    public synchronized void prepare(SinkRecord record, String tableName) throws RecordEncodingException {
        Schema valueSchema = record.valueSchema();
        if (valueSchema == null) {
            return;
        }
        Set<Schema> known = fitted.computeIfAbsent(tableName, t -> Collections.newSetFromMap(new IdentityHashMap<>()));
        if (known.contains(valueSchema)) {
            return; // the common case: nothing is allocated or asked
        }
        RowSchema row = RowSchema.of(record, cdc);
        if (row == null) {
            return;
        }
        TargetTable target = TargetTable.resolve(database, tableName);
        TableShape shape = shape(target);
        if (shape == null) {
            if (!create || namedOnlyByRecords.test(tableName)) {
                return; // the load reports the unknown table as it does without auto tables
            }
            if (row.fields().isEmpty()) {
                throw new RecordEncodingException("the record's schema has no fields, so table " + target
                        + " cannot be created from it");
            }
            if (cdc != null && row.keys().isEmpty()) {
                // Deletes apply only to keyed tables: a duplicate key table would keep every delete as a row.
                throw new RecordEncodingException("table " + target + " cannot be created for change events from this "
                        + "record: its key names no columns of the row (a source table without a primary key, or a "
                        + "key changed by a transform), and deletes apply only to a keyed table; give the source "
                        + "table a primary key, or create " + target + " yourself");
            }
            String statement;
            try {
                statement = ddl.createTable(target.database(), target.table(), row);
            } catch (IllegalArgumentException e) {
                throw new RecordEncodingException("table " + target + " cannot be created from the record's schema: "
                        + e.getMessage());
            }
            run(statement, target, "create table " + target);
            shape = awaitShape(target, s -> s != null, "table " + target + " to exist");
        }
        if (evolve) {
            SchemaPlan plan = SchemaPlan.between(target.toString(), shape, row);
            if (!plan.isEmpty()) {
                shape = apply(target, row, plan);
            }
        }
        if (known.size() >= SCHEMAS_PER_TABLE) {
            known.clear();
        }
        known.add(valueSchema);
    }

    /**
     * Adds and widens until the table fits the row. When another task's change got there first (in
     * part or in whole) or a schema change was running, the table is read again and only what is
     * still missing is sent, so two tasks adding overlapping columns both end with every column.
     */
    private TableShape apply(TargetTable target, RowSchema row, SchemaPlan first) throws RecordEncodingException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        SchemaPlan plan = first;
        while (true) {
            boolean allApplied = true;
            if (!plan.adds().isEmpty()) {
                allApplied = run(ddl.addColumns(target.database(), target.table(), plan.adds()), target,
                        "add column(s) " + names(plan.adds()) + " to " + target) == Outcome.APPLIED;
            }
            for (SchemaPlan.Widening w : plan.widenings()) {
                if (!allApplied) {
                    break;
                }
                allApplied = run(ddl.modifyColumn(target.database(), target.table(), w), target,
                        "widen column " + target + "." + w.column().name() + " to " + w.to().sql(false))
                        == Outcome.APPLIED;
            }
            if (allApplied) {
                SchemaPlan sent = plan;
                return awaitShape(target, s -> s != null && SchemaPlanCheck.applied(s, sent),
                        "the new columns of " + target + " to show");
            }
            TableShape shape = describe(target);
            if (shape == null) {
                throw new ConnectException("Table " + target + " disappeared while its columns were being added");
            }
            shapes.put(target.toString().toLowerCase(Locale.ROOT), shape);
            plan = SchemaPlan.between(target.toString(), shape, row);
            if (plan.isEmpty()) {
                return shape;
            }
            if (clock.nanoTime() - deadline > 0) {
                throw new ConnectException("Could not make " + target + " fit the record within ddl.timeout.ms ("
                        + timeout.toMillis() + " ms): other schema changes kept it busy");
            }
        }
    }

    private static String names(List<SchemaPlan.NewColumn> adds) {
        return String.join(", ", adds.stream().map(SchemaPlan.NewColumn::name).toList());
    }

    /** The table as this task last saw it, asking the FE the first time. */
    private TableShape shape(TargetTable target) {
        String key = target.toString().toLowerCase(Locale.ROOT);
        TableShape shape = shapes.get(key);
        if (shape == null) {
            shape = describe(target);
            if (shape != null) {
                shapes.put(key, shape);
            }
        }
        return shape;
    }

    /** The table's columns; an FE out of reach is tried again, with backoff, within ddl.timeout.ms. */
    private TableShape describe(TargetTable target) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long wait = FIRST_WAIT_MS;
        while (true) {
            try {
                return connection.describe(target.database(), target.table());
            } catch (SQLException e) {
                if (DdlErrors.tlsHandshakeFailure(e) != null) {
                    throw tlsFailure("read the columns of " + target, e);
                }
                if (!DdlErrors.connectionLost(e) || clock.nanoTime() - deadline > 0) {
                    throw failure("read the columns of " + target, e);
                }
                log.info("Waiting {} ms to read the columns of {}: {}", wait, target, e.getMessage());
                sleep(wait);
                wait = Math.min(LONGEST_WAIT_MS, wait * 2);
            }
        }
    }

    /** What became of a DDL statement. */
    private enum Outcome { APPLIED, DONE_BY_ANOTHER, BUSY }

    /**
     * Runs a DDL statement until it is applied or found done by another task. A running schema
     * change is waited out here for a CREATE; for an ALTER it is answered BUSY (after the wait),
     * so the caller reads the table again before deciding what is still missing.
     */
    private Outcome run(String statement, TargetTable target, String what) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long wait = FIRST_WAIT_MS;
        while (true) {
            try {
                connection.execute(statement);
                log.info("Ran on {}: {}", target, statement.replace('\n', ' '));
                return Outcome.APPLIED;
            } catch (SQLException e) {
                if (DdlErrors.tableExists(e) || DdlErrors.columnExists(e) || DdlErrors.nothingChanged(e)) {
                    log.info("Could not {}: another task did first ({})", what, e.getMessage());
                    return Outcome.DONE_BY_ANOTHER;
                }
                if (DdlErrors.tlsHandshakeFailure(e) != null) {
                    throw tlsFailure(what, e);
                }
                if (DdlErrors.accessDenied(e)) {
                    throw new ConnectException("Could not " + what + ": user '" + connection.user() + "' lacks the "
                            + "privilege. Grant it " + privilegeHint(statement, target) + ", or turn "
                            + (statement.startsWith("CREATE") ? "auto.create" : "auto.evolve") + " off. The FE said: "
                            + e.getMessage(), e);
                }
                boolean busy = DdlErrors.schemaChangeRunning(e);
                if (!busy && !DdlErrors.connectionLost(e)) {
                    throw failure(what, e);
                }
                if (clock.nanoTime() - deadline > 0) {
                    throw new ConnectException("Could not " + what + " within ddl.timeout.ms (" + timeout.toMillis()
                            + " ms): " + (busy ? "another schema change on the table did not end" : "the FE at "
                            + connection.url() + " could not be reached") + ". The FE said: " + e.getMessage(), e);
                }
                log.info("Waiting {} ms to {}: {}", wait, what, e.getMessage());
                sleep(wait);
                wait = Math.min(LONGEST_WAIT_MS, wait * 2);
                if (busy && statement.startsWith("ALTER")) {
                    return Outcome.BUSY;
                }
            }
        }
    }

    /** Reads the table until it shows what the DDL made (ALTERs may finish after they return). */
    private TableShape awaitShape(TargetTable target, Predicate<TableShape> done, String what) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        long wait = FIRST_WAIT_MS;
        String key = target.toString().toLowerCase(Locale.ROOT);
        while (true) {
            TableShape shape = describe(target);
            if (done.test(shape)) {
                shapes.put(key, shape);
                return shape;
            }
            if (clock.nanoTime() - deadline > 0) {
                throw new ConnectException("Waited ddl.timeout.ms (" + timeout.toMillis() + " ms) for " + what
                        + "; check SHOW ALTER TABLE COLUMN on the FE");
            }
            sleep(wait);
            wait = Math.min(LONGEST_WAIT_MS, wait * 2);
        }
    }

    private void sleep(long millis) {
        try {
            clock.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while waiting for a schema change", e);
        }
    }

    private static String privilegeHint(String statement, TargetTable target) {
        boolean create = statement.startsWith("CREATE");
        return create
                ? "(StarRocks: GRANT CREATE TABLE ON DATABASE " + target.database() + " TO USER ...; Doris: GRANT "
                        + "CREATE_PRIV ON " + target.database() + ".* TO ...)"
                : "(StarRocks: GRANT ALTER ON TABLE " + target + " TO USER ...; Doris: GRANT ALTER_PRIV ON " + target
                        + " TO ...)";
    }

    private ConnectException tlsFailure(String what, SQLException e) {
        return new ConnectException("Could not " + what + " through " + connection.url() + ": TLS with the FE's MySQL "
                + "port failed: " + DdlErrors.tlsHandshakeFailure(e) + ". Give ddl.ssl.truststore.location (empty: "
                + "load.ssl.truststore.location) the CA that signed the FE's certificate; VERIFY_IDENTITY also needs the "
                + "certificate to name the host, else set ddl.ssl.mode=VERIFY_CA", e);
    }

    private ConnectException failure(String what, SQLException e) {
        return new ConnectException("Could not " + what + " through " + connection.url() + " as '"
                + connection.user() + "': " + e.getMessage() + " (MySQL error " + e.getErrorCode() + ", SQLSTATE "
                + e.getSQLState() + ")", e);
    }

    /** Forgets what the task knows of a table, so that the next record reads it again. */
    public synchronized void forget(String tableName) {
        shapes.remove(TargetTable.resolve(database, tableName).toString().toLowerCase(Locale.ROOT));
        fitted.remove(tableName);
    }

    @Override
    public void close() {
        connection.close();
    }
}
