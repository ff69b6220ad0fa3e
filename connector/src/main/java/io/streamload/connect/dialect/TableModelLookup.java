package io.streamload.connect.dialect;

import java.util.Optional;

import io.streamload.connect.routing.TargetTable;

import io.streamload.connect.load.StreamLoadClient;

/**
 * Asks the FE's HTTP API which model a table has: the dialect names the path
 * ({@link StreamLoadDialect#tableModelPath}) and reads the answer; the question travels through
 * the connector's one client ({@link StreamLoadClient#get}), with the loads' connections, TLS,
 * credentials, redirects and FE failover. Where the HTTP API does not say (StarRocks'
 * {@code _get_ddl} needs the admin role; a server without the action), the table's {@code SHOW
 * CREATE TABLE} is read from the {@link CreateTableSource} when the task has one (the FE's MySQL
 * port, see TaskParts). When neither says, there is no answer rather than an error: callers fall
 * back to what is safe without knowing.
 *
 * <p>Thread-safe; owns nothing to close (the client is closed by its owner).
 */
public final class TableModelLookup {

    private final StreamLoadDialect dialect;
    private final StreamLoadClient client;
    private final CreateTableSource createTables;

    /** Asks the HTTP API only. */
    public TableModelLookup(StreamLoadDialect dialect, StreamLoadClient client) {
        this(dialect, client, CreateTableSource.NONE);
    }

    /**
     * @param client the client the loads go through; a table not qualified by its database is in
     *     the client's database
     * @param createTables asked when the HTTP API does not tell ({@link CreateTableSource#NONE} for no one)
     */
    public TableModelLookup(StreamLoadDialect dialect, StreamLoadClient client, CreateTableSource createTables) {
        this.dialect = dialect;
        this.client = client;
        this.createTables = createTables;
    }

    /** The model of {@code table} (which may be qualified by its database), or empty when no FE says. */
    public Optional<TableModel> modelOf(String table) {
        String database = client.databaseOf(table);
        Optional<TableModel> told = dialect.tableModelPath(database, table)
                .flatMap(client::get)
                .flatMap(dialect::parseTableModel);
        if (told.isPresent()) {
            return told;
        }
        TargetTable target = TargetTable.resolve(database, table);
        return createTables.createTable(target.database(), target.table()).flatMap(dialect::parseCreateTable);
    }
}
