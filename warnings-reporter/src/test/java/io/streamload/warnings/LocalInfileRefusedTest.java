package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.warnings.cli.WarningsReporterMain;
import io.streamload.warnings.testing.LocalInfileServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A MySQL server named in a store URL asks the worker for one of its files (LOAD DATA LOCAL): the
 * store's connections, whoever opens them (connector writer, CLI), never send a byte of it.
 */
class LocalInfileRefusedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Path secretFile;
    private static String secret;
    private LocalInfileServer server;

    @BeforeAll
    static void writeSecretFile() throws Exception {
        secret = "worker-secret-" + UUID.randomUUID();
        secretFile = Files.createTempFile("local-infile-", ".txt");
        Files.writeString(secretFile, secret + "\n");
    }

    @AfterAll
    static void deleteSecretFile() throws Exception {
        Files.deleteIfExists(secretFile);
    }

    /** One server per test, so that no test sees another's sessions. */
    @BeforeEach
    void startServer() throws Exception {
        server = LocalInfileServer.start(secretFile.toString());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private String jdbcUrl(String query) {
        return "jdbc:mysql://127.0.0.1:" + server.port() + "/" + query;
    }

    private String storeUrl(String query) {
        return "mysql://loader:pw@127.0.0.1:" + server.port() + "/c1" + query;
    }

    private static Properties credentials() {
        Properties props = new Properties();
        props.setProperty("user", "loader");
        props.setProperty("password", "pw");
        props.setProperty("connectTimeout", "10000");
        props.setProperty("socketTimeout", "10000");
        return props;
    }

    private static void connectQuietly(String url, Properties props) {
        try (Connection ignored = DriverManager.getConnection(url, props)) {
            // The server closes after its request: connecting fails or the connection is useless.
        } catch (SQLException expected) {
            // Either way, what counts is what the server received.
        }
    }

    @Test
    void theServerGetsTheFileFromADriverAllowedToSendIt() throws Exception {
        // The control: without the store's options the driver obeys, so the checks below can see a leak.
        Properties props = credentials();
        props.setProperty("allowLoadLocalInfile", "true");
        connectQuietly(jdbcUrl(""), props);

        LocalInfileServer.Session session = server.nextSession(WAIT);
        assertTrue(session.fileRequested());
        assertTrue(session.receivedText().contains(secret), "the control driver sent the file");
    }

    @Test
    void storeConnectionsNeverSendAFile() throws Exception {
        StoreConnections connections = new StoreConnections(WarningsStoreUrl.parse(storeUrl("")), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        assertThrows(SQLException.class, () -> connections.open().close());

        LocalInfileServer.Session session = server.nextSession(WAIT);
        assertTrue(session.fileRequested(), "the server got as far as asking");
        assertFalse(session.receivedText().contains(secret), "nothing of the file was sent");
    }

    @Test
    void theForcedOptionsWinOverOptionsInTheJdbcUrlText() throws Exception {
        String permissive = jdbcUrl("?allowLoadLocalInfile=true&allowUrlInLocalInfile=true");
        // The URL text alone would make the driver send the file...
        connectQuietly(permissive, credentials());
        assertTrue(server.nextSession(WAIT).receivedText().contains(secret), "the URL's options take effect alone");

        // ...but the store's Properties override it.
        connectQuietly(permissive, ConnectionOptions.properties("loader", "pw", Map.of(), Duration.ofSeconds(10),
                Duration.ofSeconds(10)));
        LocalInfileServer.Session session = server.nextSession(WAIT);
        assertTrue(session.fileRequested());
        assertFalse(session.receivedText().contains(secret), "nothing of the file was sent");
    }

    @Test
    void theWriterOfTheConnectorNeverSendsAFile() throws Exception {
        WarningsStoreConfig config = WarningsStoreConfig.builder(WarningsStoreUrl.parse(storeUrl("")))
                .reconnectBackoff(Duration.ofMinutes(1)).build();
        try (LoadErrorsWriter writer = LoadErrorsWriter.start(config, Thread::new)) {
            writer.recordRejectedRow(LoadErrorEntry.builder().jobId(1).label("l").errorMessage("bad").build());
            LocalInfileServer.Session session = server.nextSession(WAIT);
            assertTrue(session.fileRequested());
            assertFalse(session.receivedText().contains(secret), "nothing of the file was sent");
        }
    }

    @Test
    void theCliNeverSendsAFileAndRefusesAUrlThatAllowsIt() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int refused = WarningsReporterMain.run(new String[] {"show", "--url", storeUrl("?allowLoadLocalInfile=true"),
                "SHOW LOAD WARNINGS"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new CountDownLatch(0));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, refused, message);
        assertTrue(message.contains("'allowLoadLocalInfile' is not allowed"), message);
        assertFalse(message.contains(":pw@"), message);

        int failed = WarningsReporterMain.run(new String[] {"show", "--url", storeUrl(""), "SHOW LOAD WARNINGS"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(),
                new CountDownLatch(0));
        assertEquals(1, failed);
        // The refused URL never connected: the next session is this second run's.
        LocalInfileServer.Session session = server.nextSession(WAIT);
        assertTrue(session.fileRequested());
        assertFalse(session.receivedText().contains(secret), "nothing of the file was sent");
    }
}
