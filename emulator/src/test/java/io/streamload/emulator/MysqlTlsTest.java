package io.streamload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the FE's MySQL port, as a StarRocks 3.4.1+ FE with {@code ssl_keystore_location} offers it:
 * mysql-connector-j switches to TLS after the handshake, verifies the certificate against a trust
 * store, and is refused when the certificate names another host under VERIFY_IDENTITY.
 */
class MysqlTlsTest {
    private static final String STORE_PASSWORD = "store-pass-1";
    private static final String TRUST_PASSWORD = "trust-pass-2";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "local", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", dir.resolve("local.p12").toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=other.example", "-ext", "SAN=dns:other.example",
                "-storetype", "PKCS12", "-keystore", dir.resolve("other.p12").toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        for (String name : List.of("local", "other")) {
            keytool("-exportcert", "-alias", name, "-keystore", dir.resolve(name + ".p12").toString(),
                    "-storepass", STORE_PASSWORD, "-file", dir.resolve(name + ".cer").toString());
            keytool("-importcert", "-noprompt", "-alias", name, "-file", dir.resolve(name + ".cer").toString(),
                    "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(),
                    "-storepass", TRUST_PASSWORD);
        }
    }

    @Test
    void verifyCaWithTheTrustStoreConnectsOverTlsAndRunsDdl() throws Exception {
        try (StreamLoadEmulator e = serve("local.p12", false)) {
            assertEquals(0, e.mysqlTlsSessions());
            try (Connection c = DriverManager.getConnection(tlsUrl(e, "VERIFY_CA"), Fixtures.USER, Fixtures.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE demo");
                s.execute("CREATE TABLE demo.t (`id` BIGINT NOT NULL, `v` VARCHAR(8) NULL) DUPLICATE KEY(`id`)"
                        + " DISTRIBUTED BY HASH(`id`) BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\")");
            }
            assertEquals(1, e.mysqlTlsSessions(), "the driver switched to TLS");
            assertEquals(2, e.ddlStatements().size(), e.ddlStatements().toString());

            // A plain client still gets in when TLS is offered but not required, and is not counted.
            try (Connection c = DriverManager.getConnection(e.jdbcUrl(), Fixtures.USER, Fixtures.PASSWORD)) {
                assertTrue(c.isValid(2));
            }
            JsonNode admin = adminMysql(e);
            assertTrue(admin.path("tls").asBoolean(), admin.toString());
            assertFalse(admin.path("tlsRequired").asBoolean(), admin.toString());
            assertEquals(1, admin.path("tlsSessions").asLong(), admin.toString());
        }
    }

    @Test
    void verifyIdentityAgainstACertificateNamingAnotherHostFails() throws Exception {
        try (StreamLoadEmulator e = serve("other.p12", false)) {
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    tlsUrl(e, "VERIFY_IDENTITY"), Fixtures.USER, Fixtures.PASSWORD).close());
            String chain = messages(refused);
            assertTrue(chain.contains("Server identity verification failed") && chain.contains("'127.0.0.1'"), chain);
            assertTrue(e.ddlStatements().isEmpty());

            // The same trust store under VERIFY_CA accepts it: only the name was wrong.
            try (Connection c = DriverManager.getConnection(tlsUrl(e, "VERIFY_CA"), Fixtures.USER, Fixtures.PASSWORD)) {
                assertTrue(c.isValid(2));
            }
        }
    }

    @Test
    void verifyCaWithoutTheTrustStoreFails() throws Exception {
        try (StreamLoadEmulator e = serve("local.p12", false)) {
            String url = "jdbc:mysql://127.0.0.1:" + e.mysqlPort() + "/?sslMode=VERIFY_CA";
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(url, Fixtures.USER, Fixtures.PASSWORD).close());
            assertTrue(messages(refused).contains("does not chain with any of the trust anchors"), messages(refused));
            assertEquals(0, e.mysqlTlsSessions(), "the handshake never completed");
        }
    }

    @Test
    void requiredTlsRefusesPlainClientsWithTheServersError() throws Exception {
        try (StreamLoadEmulator e = serve("local.p12", true)) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(e.jdbcUrl(), Fixtures.USER, Fixtures.PASSWORD).close());
            assertEquals(5205, refused.getErrorCode(), messages(refused));
            assertTrue(refused.getMessage().contains("Connections using insecure transport are prohibited"),
                    refused.getMessage());
            try (Connection c = DriverManager.getConnection(tlsUrl(e, "VERIFY_CA"), Fixtures.USER, Fixtures.PASSWORD)) {
                assertTrue(c.isValid(2));
            }
            assertEquals(1, e.mysqlTlsSessions());
            assertTrue(adminMysql(e).path("tlsRequired").asBoolean());
        }
    }

    @Test
    void requiringTlsWithoutACertificateIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fixtures.builder(Dialect.STARROCKS).mysqlPort(0).requireMysqlTls().start());
        assertTrue(e.getMessage().contains("Builder.tls"), e.getMessage());
    }

    private static String tlsUrl(StreamLoadEmulator e, String mode) {
        return "jdbc:mysql://127.0.0.1:" + e.mysqlPort() + "/?sslMode=" + mode
                + "&trustCertificateKeyStoreUrl=" + dir.resolve("trust.p12").toUri()
                + "&trustCertificateKeyStoreType=PKCS12&trustCertificateKeyStorePassword=" + TRUST_PASSWORD;
    }

    private static StreamLoadEmulator serve(String keystore, boolean requireTls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(keystore))) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        StreamLoadEmulator.Builder b = Fixtures.builder(Dialect.STARROCKS).mysqlPort(0).tls(context);
        return (requireTls ? b.requireMysqlTls() : b).start();
    }

    private static JsonNode adminMysql(StreamLoadEmulator e) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
            trust.load(in, TRUST_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(client).build().send(
                HttpRequest.newBuilder(URI.create(e.feUrl() + "/_emulator/mysql")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return RawHttp.JSON.readTree(response.body());
    }

    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
