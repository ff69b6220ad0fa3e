package io.streamload.warnings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens JDBC connections to the store's server. The connection names no database: every statement
 * names its table fully, so the same connection can create a missing database first.
 * User and password travel as properties, never in the URL text, so driver errors cannot echo them.
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

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", url.user());
        url.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        // One multi-row INSERT per batch instead of one round trip per row.
        props.setProperty("rewriteBatchedStatements", "true");
        props.setProperty("characterEncoding", "UTF-8");
        props.setProperty("allowPublicKeyRetrieval", "true");
        url.jdbcOptions().forEach(props::setProperty);
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    public WarningsStoreUrl url() {
        return url;
    }
}
