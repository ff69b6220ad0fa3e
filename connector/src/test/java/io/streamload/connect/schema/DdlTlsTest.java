package io.streamload.connect.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
