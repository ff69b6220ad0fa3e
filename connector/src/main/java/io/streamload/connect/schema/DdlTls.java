package io.streamload.connect.schema;

import io.streamload.connect.config.DdlTlsConfig;
import io.streamload.connect.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;

/**
 * The driver's TLS options for the FE's MySQL port. By default they follow the load URLs: an https
 * load URL means the FE is reached with TLS, so the DDL connection requires it too, verified
 * against the load truststore (the JVM's when none is set) and presenting the load keystore; plain
 * http means a plain connection. Each {@code ddl.ssl.*} setting that is set overrides its part.
 */
public final class DdlTls {
    private DdlTls() {
    }

    /** Options following the load settings alone. */
    public static Map<String, String> options(URI firstLoadUrl, TlsSettings tls) {
        return options(firstLoadUrl, tls, DdlTlsConfig.followLoad());
    }

    public static Map<String, String> options(URI firstLoadUrl, TlsSettings tls, DdlTlsConfig ddl) {
        Map<String, String> options = new LinkedHashMap<>();
        String mode = !ddl.mode().isEmpty() ? ddl.mode()
                : !"https".equalsIgnoreCase(firstLoadUrl.getScheme()) ? DdlTlsConfig.DISABLED
                : tls.hostnameVerification() ? DdlTlsConfig.VERIFY_IDENTITY : DdlTlsConfig.VERIFY_CA;
        options.put("sslMode", mode);
        if (mode.equals(DdlTlsConfig.DISABLED)) {
            return options;
        }
        if (mode.equals(DdlTlsConfig.VERIFY_CA) || mode.equals(DdlTlsConfig.VERIFY_IDENTITY)) {
            if (!ddl.truststoreLocation().isEmpty()) {
                store(options, "trustCertificateKeyStore", ddl.truststoreLocation(),
                        typeOr(ddl.truststoreType(), tls.truststoreType()), ddl.truststorePassword());
            } else if (tls.truststoreLocation() != null) {
                store(options, "trustCertificateKeyStore", tls.truststoreLocation(),
                        typeOr(ddl.truststoreType(), tls.truststoreType()), tls.truststorePassword());
            } else {
                options.put("fallbackToSystemTrustStore", "true");
            }
        }
        if (!ddl.keystoreLocation().isEmpty()) {
            store(options, "clientCertificateKeyStore", ddl.keystoreLocation(),
                    typeOr(ddl.keystoreType(), tls.keystoreType()), ddl.keystorePassword());
        } else if (tls.keystoreLocation() != null) {
            store(options, "clientCertificateKeyStore", tls.keystoreLocation(),
                    typeOr(ddl.keystoreType(), tls.keystoreType()), tls.keystorePassword());
        }
        return options;
    }

    private static void store(Map<String, String> options, String prefix, String location, String type,
                              Password password) {
        options.put(prefix + "Url", Path.of(location).toUri().toString());
        options.put(prefix + "Type", type);
        if (password != null) {
            options.put(prefix + "Password", password.value());
        }
    }

    private static String typeOr(String own, String load) {
        return own.isEmpty() ? load : own;
    }
}
