package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.conf.PropertyDefinitions;
import com.mysql.cj.conf.PropertyKey;
import io.streamload.warnings.testing.CredentialsServer;
import io.streamload.warnings.testing.PublicKeyServer;
import io.streamload.warnings.testing.TestMysql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The store URL's connection options: an allowlist, and the values every connection is forced to. */
class ConnectionOptionsTest {

    /** Connector/J options that let a server read files, or a URL load classes or use other credentials. */
    private static final List<String> DANGEROUS = List.of("allowLoadLocalInfile", "allowLoadLocalInfileInPath",
            "allowUrlInLocalInfile", "autoDeserialize", "socketFactory", "queryInterceptors", "exceptionInterceptors",
            "connectionLifecycleInterceptors", "propertiesTransform", "clientInfoProvider", "authenticationPlugins",
            "defaultAuthenticationPlugin", "disabledAuthenticationPlugins", "useConfigs", "allowMultiQueries",
            "ociConfigFile", "idTokenFile", "serverRSAPublicKeyFile", "logger", "profilerEventHandler",
            "authenticationOpenidConnectCallbackHandler", "authenticationWebAuthnCallbackHandler",
            "loadBalanceExceptionChecker", "socksProxyHost", "localSocketAddress", "sessionVariables",
            "createDatabaseIfNotExist", "useSSL2");

    @Test
    void everyOtherOptionIsRefusedByNameInAnyCase() {
        for (String option : DANGEROUS) {
            for (String spelling : List.of(option, option.toUpperCase(), option.toLowerCase())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> WarningsStoreUrl.parse("mysql://u:hunter2@h:3306/c1?sslMode=REQUIRED&" + spelling + "=true"),
                        spelling);
                assertTrue(e.getMessage().contains("the connection option '" + spelling + "' is not allowed"),
                        e.getMessage());
                assertTrue(e.getMessage().contains("Allowed options: sslMode"), e.getMessage());
                assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            }
        }
        String message = assertThrows(IllegalArgumentException.class,
                () -> WarningsStoreUrl.parse("mysql://u@h/c1?allowLoadLocalInfile")).getMessage();
        assertTrue(message.contains("read the worker's files"), message);
    }

    @Test
    void allowedOptionsAreAcceptedInAnyCaseUnderTheirDriverNames() {
        WarningsStoreUrl url = WarningsStoreUrl.parse("mysql://u@h/c1?SSLMODE=verify_identity&connecttimeout=2500"
                + "&trustCertificateKeyStoreUrl=file:/etc/kafka/ca.p12&trustCertificateKeyStoreType=PKCS12"
                + "&tlsVersions=TLSv1.2,TLSv1.3&useSSL=true&characterEncoding=UTF-8");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("sslMode", "verify_identity");
        expected.put("connectTimeout", "2500");
        expected.put("trustCertificateKeyStoreUrl", "file:/etc/kafka/ca.p12");
        expected.put("trustCertificateKeyStoreType", "PKCS12");
        expected.put("tlsVersions", "TLSv1.2,TLSv1.3");
        expected.put("useSSL", "true");
        expected.put("characterEncoding", "UTF-8");
        assertEquals(expected, url.jdbcOptions());
        for (String option : ConnectionOptions.allowed()) {
            assertTrue(PropertyKey.fromValue(option) != null, option + " is a Connector/J option");
        }
    }

    @Test
    void valuesOfTheWrongFormAreRefusedNamingTheOption() {
        Map<String, String> bad = Map.of(
                "connectTimeout=soon", "connectTimeout must be a whole number of milliseconds",
                "sslMode=MAYBE", "sslMode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY",
                "trustCertificateKeyStoreUrl=http://attacker/ca.jks", "trustCertificateKeyStoreUrl must be a file: URL",
                "useSSL=yes", "useSSL must be true or false",
                "sslMode=REQUIRED&SSLMODE=DISABLED", "the connection option sslMode is given twice");
        bad.forEach((query, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WarningsStoreUrl.parse("mysql://u@h/c1?" + query), query);
            assertTrue(e.getMessage().contains(message), e.getMessage());
        });
    }

    @Test
    void keyStorePasswordsAreMaskedLikeTheUserPassword() {
        WarningsStoreUrl url = WarningsStoreUrl.parse("mysql://u:hunter2@h:3306/c1?trustCertificateKeyStoreUrl=file:/ca.p12"
                + "&trustCertificateKeyStorePassword=storesecret");
        assertEquals("storesecret", url.jdbcOptions().get("trustCertificateKeyStorePassword"));
        assertEquals("mysql://u:****@h:3306/c1?trustCertificateKeyStoreUrl=file:/ca.p12"
                + "&trustCertificateKeyStorePassword=****", url.toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WarningsStoreUrl.parse(
                "mysql://u:hunter2@h:3306/c1?clientCertificateKeyStorePassword=storesecret&autoDeserialize=true"));
        assertFalse(e.getMessage().contains("storesecret") || e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("clientCertificateKeyStorePassword=****"), e.getMessage());
    }

    @Test
    void theForcedValuesComeLastAndLeaveNoRoomForLocalFiles() {
        Properties props = ConnectionOptions.properties("loader", "pw",
                Map.of("connectTimeout", "1234", "sslMode", "REQUIRED"), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertEquals("loader", props.getProperty("user"));
        assertEquals("pw", props.getProperty("password"));
        assertEquals("1234", props.getProperty("connectTimeout"), "the URL's option beats the default");
        assertEquals("30000", props.getProperty("socketTimeout"));
        assertEquals("REQUIRED", props.getProperty("sslMode"));
        assertEquals("false", props.getProperty("allowLoadLocalInfile"));
        assertEquals("false", props.getProperty("allowUrlInLocalInfile"));
        assertEquals("false", props.getProperty("autoDeserialize"));
        // Explicitly setting it, even to "", would enable LOCAL INFILE below that path.
        assertNull(props.getProperty("allowLoadLocalInfileInPath"));
        assertTrue(props.getProperty("disabledAuthenticationPlugins").contains("authentication_kerberos_client"));
        assertTrue(props.getProperty("disabledAuthenticationPlugins").contains("authentication_oci_client"));

        List<String> names = new ArrayList<>(props.stringPropertyNames());
        for (String name : names) {
            long spellings = names.stream().filter(name::equalsIgnoreCase).count();
            assertEquals(1, spellings, "one spelling of " + name + " (the driver folds the case)");
        }
        assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.properties("u", null,
                Map.of("allowLoadLocalInfile", "true"), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test
    void theForcedClassNamesAreTheDriversOwnDefaults() {
        for (String option : List.of("socketFactory", "clientInfoProvider", "allowLoadLocalInfile",
                "allowUrlInLocalInfile", "allowMultiQueries")) {
            Object driverDefault = PropertyDefinitions.getPropertyDefinition(PropertyKey.fromValue(option)).getDefaultValue();
            assertEquals(String.valueOf(driverDefault), ConnectionOptions.FORCED.get(option), option);
        }
        for (String option : List.of("queryInterceptors", "exceptionInterceptors", "connectionLifecycleInterceptors",
                "propertiesTransform", "authenticationPlugins", "useConfigs")) {
            assertNull(PropertyDefinitions.getPropertyDefinition(PropertyKey.fromValue(option)).getDefaultValue(), option);
            assertEquals("", ConnectionOptions.FORCED.get(option), option);
        }
    }

    @Test
    void theDriverAnswersWithThePluginTheServerAnnounces() throws Exception {
        // Forcing defaultAuthenticationPlugin, even to its default, made the driver log in with
        // caching_sha2_password first, and a MariaDB server then had to switch it back.
        try (CredentialsServer server = CredentialsServer.start()) {
            StoreConnections connections = new StoreConnections(WarningsStoreUrl.parse("mysql://loader:pw@127.0.0.1:"
                    + server.port() + "/c1"), Duration.ofSeconds(10), Duration.ofSeconds(10));
            assertThrows(SQLException.class, () -> connections.open().close(), "the server refuses every login");
            CredentialsServer.Login login = server.nextLogin(Duration.ofSeconds(30));
            assertEquals("loader", login.user());
            assertTrue(login.usedPassword("pw"), "a mysql_native_password scramble of the password");
        }
    }

    /**
     * Without TLS, {@code caching_sha2_password} can only send the password encrypted with a key
     * the server hands out, so any server (the URL is written by a REST user) could read it. The
     * store does not ask for the key unless its URL says {@code allowPublicKeyRetrieval=true}.
     */
    @Test
    void theStoreDoesNotHandItsPasswordToAServerThatAsksForItWithItsOwnKey() throws Exception {
        try (PublicKeyServer server = PublicKeyServer.start()) {
            String base = "mysql://loader:store-secret@127.0.0.1:" + server.port() + "/c1";
            StoreConnections byDefault = new StoreConnections(WarningsStoreUrl.parse(base), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            assertThrows(SQLException.class, () -> byDefault.open().close());
            PublicKeyServer.Attempt attempt = server.nextAttempt(Duration.ofSeconds(30));
            assertFalse(attempt.keyRequested(), "the client asked the server for its public key");
            assertEquals(null, attempt.password(), "the server read the password");

            // Asked for in the URL (e.g. for a MySQL 8 store without TLS), the exchange works as the driver's.
            StoreConnections asked = new StoreConnections(WarningsStoreUrl.parse(base + "?allowPublicKeyRetrieval=true"),
                    Duration.ofSeconds(10), Duration.ofSeconds(10));
            assertThrows(SQLException.class, () -> asked.open().close(), "the server refuses every login");
            attempt = server.nextAttempt(Duration.ofSeconds(30));
            assertTrue(attempt.keyRequested());
            assertEquals("store-secret", attempt.password(), "the fake server decrypts what a real one would");
        }
    }

    @Test
    void aRealServerTakesTheForcedOptions() throws Exception {
        TestMysql mysql = TestMysql.shared();
        WarningsStoreUrl url = WarningsStoreUrl.parse(mysql.url().toString() + "?connectTimeout=3000&sslMode=DISABLED")
                .withPassword(mysql.url().password().orElse(null));
        try (Connection connection = new StoreConnections(url, Duration.ofSeconds(5), Duration.ofSeconds(30)).open();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 41 + 1")) {
            rows.next();
            assertEquals(42, rows.getInt(1));
        }
    }
}
