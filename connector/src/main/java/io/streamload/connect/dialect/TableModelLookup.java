package io.streamload.connect.dialect;

import java.util.Optional;

import io.streamload.connect.load.StreamLoadClient;

/**
 * Asks the FE's HTTP API which model a table has: the dialect names the path
 * ({@link StreamLoadDialect#tableModelPath}) and reads the answer; the question travels through
 * the connector's one client ({@link StreamLoadClient#get}), with the loads' connections, TLS,
 * credentials, redirects and FE failover. An FE that does not say (no privilege, an older
 * version, unreachable) gives no answer rather than an error: callers fall back to what is safe
 * without knowing.
 *
 * <p>Thread-safe; owns nothing to close (the client is closed by its owner).
 */
public final class TableModelLookup {

    private final StreamLoadDialect dialect;
    private final StreamLoadClient client;

    /**
     * @param client the client the loads go through; a table not qualified by its database is in
     *     the client's database
     */
    public TableModelLookup(StreamLoadDialect dialect, StreamLoadClient client) {
        this.dialect = dialect;
        this.client = client;
    }

    /** The model of {@code table} (which may be qualified by its database), or empty when no FE says. */
    public Optional<TableModel> modelOf(String table) {
        return dialect.tableModelPath(client.databaseOf(table), table)
                .flatMap(client::get)
                .flatMap(dialect::parseTableModel);
    }
}
