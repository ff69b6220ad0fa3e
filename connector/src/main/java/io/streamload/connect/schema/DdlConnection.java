package io.streamload.connect.schema;

import io.streamload.warnings.ConnectionOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One connection to the FE's MySQL protocol port, opened when first needed and opened again after
 * it broke. The driver's options are {@link ConnectionOptions}' hardened ones (no LOCAL INFILE, no
 * classes named by configuration) plus the TLS options that follow the load URLs.
 */
public final class DdlConnection implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final Map<String, String> options;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private Connection connection;

    /**
     * @param url {@code jdbc:mysql://host:port/}
     * @param options driver options (TLS)
     */
    public DdlConnection(String url, String user, String password, Map<String, String> options,
                         Duration connectTimeout, Duration socketTimeout) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.options = Map.copyOf(options);
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    /** Where DDL goes, for messages (no password in it). */
    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Properties props = ConnectionOptions.properties(user, password, options, connectTimeout, socketTimeout);
            connection = DriverManager.getConnection(url, props);
        }
        return connection;
    }

    /** Runs a statement; a broken connection is replaced once. */
    public synchronized void execute(String sql) throws SQLException {
        try {
            executeOnce(sql);
        } catch (SQLException e) {
            if (!DdlErrors.connectionLost(e)) {
                throw e;
            }
            closeQuietly();
            executeOnce(sql);
        }
    }

    private void executeOnce(String sql) throws SQLException {
        try (Statement s = connection().createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * The table's columns ({@code DESC}), or null when the table does not exist.
     */
    public synchronized TableShape describe(String db, String table) throws SQLException {
        try {
            return describeOnce(db, table);
        } catch (SQLException e) {
            if (DdlErrors.unknownTable(e)) {
                return null;
            }
            if (!DdlErrors.connectionLost(e)) {
                throw e;
            }
            closeQuietly();
            return describeOnce(db, table);
        }
    }

    private TableShape describeOnce(String db, String table) throws SQLException {
        List<TableShape.Column> columns = new ArrayList<>();
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("DESC " + TableDdl.quote(db) + "." + TableDdl.quote(table))) {
            while (rs.next()) {
                String type = rs.getString("Type");
                String key = rs.getString("Key");
                columns.add(new TableShape.Column(rs.getString("Field"), SqlType.parse(type), type,
                        "YES".equalsIgnoreCase(rs.getString("Null")),
                        "true".equalsIgnoreCase(key) || "PRI".equalsIgnoreCase(key)));
            }
        }
        return TableShape.of(columns);
    }

    /**
     * The table's {@code SHOW CREATE TABLE} statement, or null when the table does not exist.
     */
    public synchronized String showCreateTable(String db, String table) throws SQLException {
        try {
            return showCreateTableOnce(db, table);
        } catch (SQLException e) {
            if (DdlErrors.unknownTable(e)) {
                return null;
            }
            if (!DdlErrors.connectionLost(e)) {
                throw e;
            }
            closeQuietly();
            return showCreateTableOnce(db, table);
        }
    }

    private String showCreateTableOnce(String db, String table) throws SQLException {
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + TableDdl.quote(db) + "." + TableDdl.quote(table))) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // replaced anyway
        } finally {
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
