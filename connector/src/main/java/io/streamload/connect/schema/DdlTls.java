package io.streamload.connect.schema;

import io.streamload.connect.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's TLS options for the FE's MySQL port, following the load URLs: an https load URL
 * means the FE is reached with TLS, so the DDL connection requires it too, verified against the
 * load truststore (the JVM's when none is set) and presenting the load keystore; plain http means
 * a plain connection.
 */
public final class DdlTls {
    private DdlTls() {
    }

    public static Map<String, String> options(URI firstLoadUrl, TlsSettings tls) {
        Map<String, String> options = new LinkedHashMap<>();
        if (!"https".equalsIgnoreCase(firstLoadUrl.getScheme())) {
            options.put("sslMode", "DISABLED");
            return options;
        }
        options.put("sslMode", tls.hostnameVerification() ? "VERIFY_IDENTITY" : "VERIFY_CA");
        if (tls.truststoreLocation() != null) {
            options.put("trustCertificateKeyStoreUrl", Path.of(tls.truststoreLocation()).toUri().toString());
            options.put("trustCertificateKeyStoreType", tls.truststoreType());
            if (tls.truststorePassword() != null) {
                options.put("trustCertificateKeyStorePassword", tls.truststorePassword().value());
            }
        } else {
            options.put("fallbackToSystemTrustStore", "true");
        }
        if (tls.keystoreLocation() != null) {
            options.put("clientCertificateKeyStoreUrl", Path.of(tls.keystoreLocation()).toUri().toString());
            options.put("clientCertificateKeyStoreType", tls.keystoreType());
            if (tls.keystorePassword() != null) {
                options.put("clientCertificateKeyStorePassword", tls.keystorePassword().value());
            }
        }
        return options;
    }
}
