package io.streamload.warnings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens JDBC connections to the store's server. The connection names no database: every statement
 * names its table fully, so the same connection can create a missing database first.
 * User and password travel as properties, never in the URL text, so driver errors cannot echo them;
 * so do all other options ({@link ConnectionOptions}).
 */
public final class StoreConnections {
    private final WarningsStoreUrl url;
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    public StoreConnections(WarningsStoreUrl url, Duration connectTimeout, Duration socketTimeout) {
        this.url = url;
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    public static StoreConnections of(WarningsStoreConfig config) {
        return new StoreConnections(config.url(), config.connectTimeout(), config.socketTimeout());
    }

    /**
     * A new connection. Its options are the store's defaults, the URL's allowed options, and the
     * values {@link ConnectionOptions} forces (no LOCAL INFILE, no classes named by the URL).
     */
    public Connection open() throws SQLException {
        Properties props = ConnectionOptions.properties(url.user(), url.password().orElse(null), url.jdbcOptions(),
                connectTimeout, socketTimeout);
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    /**
     * Closes {@code connection} (null: nothing) from another thread than the one using it, at
     * once: a statement running on it fails instead of waiting for the server.
     */
    static void abort(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // Already closed or broken: nothing runs on it any more.
        }
    }

    public WarningsStoreUrl url() {
        return url;
    }
}
