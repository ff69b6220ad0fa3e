package io.streamload.connect.schema;

import io.streamload.connect.dialect.CreateTableSource;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table's {@code CREATE TABLE} over the FE's MySQL port, for the table model lookup when
 * the HTTP API does not tell. Best effort: an FE that cannot be reached or refuses the statement
 * gives no answer (logged once per cause, not per table), and the caller goes on as without it.
 */
public final class ShowCreateTable implements CreateTableSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShowCreateTable.class);

    private final DdlConnection connection;
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param connection owned from here on: closed by {@link #close} */
    public ShowCreateTable(DdlConnection connection) {
        this.connection = connection;
    }

    @Override
    public Optional<String> createTable(String database, String table) {
        try {
            return Optional.ofNullable(connection.showCreateTable(database, table));
        } catch (SQLException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("Could not read SHOW CREATE TABLE {}.{} on {} as {}: {} (SQLState {}, code {})", database,
                        table, connection.url(), connection.user(), e.getMessage(), e.getSQLState(), e.getErrorCode());
            }
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
