package io.streamload.connect.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamload.connect.config.DdlTlsConfig;
import io.streamload.connect.tls.TlsSettings;
import io.streamload.warnings.ConnectionOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/** The DDL connection's TLS follows the load URLs, with options the hardened driver settings accept. */
class DdlTlsTest {

    @Test
    void httpsLoadUrlsMakeTheDdlConnectionRequireVerifiedTlsWithTheLoadStores() {
        TlsSettings tls = new TlsSettings("/etc/kafka/trust.p12", new Password("tp"), "PKCS12", "/etc/kafka/key.p12",
                new Password("kp"), null, "PKCS12", true);
        Map<String, String> options = DdlTls.options(URI.create("https://fe:8030"), tls);
        assertEquals("VERIFY_IDENTITY", options.get("sslMode"));
        assertEquals("file:///etc/kafka/trust.p12", options.get("trustCertificateKeyStoreUrl"));
        assertEquals("file:///etc/kafka/key.p12", options.get("clientCertificateKeyStoreUrl"));
        Properties props = ConnectionOptions.properties("u", "p", options, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals("tp", props.getProperty("trustCertificateKeyStorePassword"));
        assertEquals("false", props.getProperty("allowLoadLocalInfile"), "the hardened options still apply");

        TlsSettings noVerify = new TlsSettings(null, null, "PKCS12", null, null, null, "PKCS12", false);
        Map<String, String> jvmTrust = DdlTls.options(URI.create("https://fe:8030"), noVerify);
        assertEquals("VERIFY_CA", jvmTrust.get("sslMode"));
        ConnectionOptions.properties("u", "p", jvmTrust, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void httpLoadUrlsMakeAPlainConnection() {
        assertEquals(Map.of("sslMode", "DISABLED"), DdlTls.options(URI.create("http://fe:8030"), TlsSettings.defaults()));
    }

    @Test
    void ddlSettingsOverrideTheirPartAndTheRestFollowsTheLoad() {
        TlsSettings load = new TlsSettings("/etc/kafka/trust.p12", new Password("tp"), "JKS", "/etc/kafka/key.p12",
                new Password("kp"), null, "PKCS12", true);
        // TLS to the MySQL port while the loads go over http, with the MySQL port's own CA.
        DdlTlsConfig own = new DdlTlsConfig("VERIFY_CA", "/etc/kafka/mysql-ca.p12", new Password("mp"), "", "", null, "");
        Map<String, String> options = DdlTls.options(URI.create("http://fe:8030"), load, own);
        assertEquals("VERIFY_CA", options.get("sslMode"));
        assertEquals("file:///etc/kafka/mysql-ca.p12", options.get("trustCertificateKeyStoreUrl"));
        assertEquals("mp", options.get("trustCertificateKeyStorePassword"));
        assertEquals("JKS", options.get("trustCertificateKeyStoreType"), "an empty type follows the load's");
        assertEquals("file:///etc/kafka/key.p12", options.get("clientCertificateKeyStoreUrl"), "the load key store");
        Properties props = ConnectionOptions.properties("u", "p", options, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertEquals("false", props.getProperty("allowLoadLocalInfile"), "the hardened options still apply");

        // A plain MySQL port behind https load URLs.
        assertEquals(Map.of("sslMode", "DISABLED"), DdlTls.options(URI.create("https://fe:8030"), load,
                new DdlTlsConfig("DISABLED", "", null, "", "", null, "")));

        // Encrypted without verification: no trust store is passed, the client certificate still is.
        Map<String, String> required = DdlTls.options(URI.create("https://fe:8030"), load,
                new DdlTlsConfig("REQUIRED", "", null, "", "/etc/kafka/mysql-key.jks", new Password("k2"), "JKS"));
        assertEquals("REQUIRED", required.get("sslMode"));
        assertEquals(null, required.get("trustCertificateKeyStoreUrl"));
        assertEquals("file:///etc/kafka/mysql-key.jks", required.get("clientCertificateKeyStoreUrl"));
        assertEquals("JKS", required.get("clientCertificateKeyStoreType"));
        assertEquals("k2", required.get("clientCertificateKeyStorePassword"));
        ConnectionOptions.properties("u", "p", required, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
}
