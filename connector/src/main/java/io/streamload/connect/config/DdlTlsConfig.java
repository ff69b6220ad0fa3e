package io.streamload.connect.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS of the connection to the FE's MySQL port where it should not follow the load settings (a
 * MySQL port with its own certificate, or TLS there while the loads go over a trusted network in
 * plain http). Each empty setting follows its {@code load.ssl.*} counterpart and the load URLs'
 * scheme (see {@code DdlTls}).
 *
 * @param mode mysql-connector-j's {@code sslMode} ({@code DISABLED}, {@code REQUIRED},
 *     {@code VERIFY_CA}, {@code VERIFY_IDENTITY}), or empty to follow the load URLs
 * @param truststoreLocation the trust store, or empty for the load trust store
 * @param truststorePassword its password, or null for the load trust store's when that is used
 * @param truststoreType its type, or empty for {@code load.ssl.truststore.type}
 * @param keystoreLocation the client key store, or empty for the load key store
 * @param keystorePassword its password, or null for the load key store's when that is used
 * @param keystoreType its type, or empty for {@code load.ssl.keystore.type}
 */
public record DdlTlsConfig(String mode, String truststoreLocation, Password truststorePassword, String truststoreType,
                           String keystoreLocation, Password keystorePassword, String keystoreType) {

    public static final String DDL_SSL_MODE = "ddl.ssl.mode";
    public static final String DDL_SSL_TRUSTSTORE_LOCATION = "ddl.ssl.truststore.location";
    public static final String DDL_SSL_TRUSTSTORE_PASSWORD = "ddl.ssl.truststore.password";
    public static final String DDL_SSL_TRUSTSTORE_TYPE = "ddl.ssl.truststore.type";
    public static final String DDL_SSL_KEYSTORE_LOCATION = "ddl.ssl.keystore.location";
    public static final String DDL_SSL_KEYSTORE_PASSWORD = "ddl.ssl.keystore.password";
    public static final String DDL_SSL_KEYSTORE_TYPE = "ddl.ssl.keystore.type";

    public static final String DISABLED = "DISABLED";
    public static final String REQUIRED = "REQUIRED";
    public static final String VERIFY_CA = "VERIFY_CA";
    public static final String VERIFY_IDENTITY = "VERIFY_IDENTITY";
    /** The modes taken; the driver's PREFERRED is not one: it falls back to plain text without a word. */
    static final List<String> MODES = List.of(DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY);

    /** Follows the load settings in everything. */
    public static DdlTlsConfig followLoad() {
        return new DdlTlsConfig("", "", null, "", "", null, "");
    }

    /** Whether the mode checks the server's certificate, so a trust store is read. */
    public boolean verifies() {
        return mode.equals(VERIFY_CA) || mode.equals(VERIFY_IDENTITY);
    }

    static DdlTlsConfig from(AbstractConfig config) {
        return new DdlTlsConfig(config.getString(DDL_SSL_MODE).trim().toUpperCase(Locale.ROOT),
                config.getString(DDL_SSL_TRUSTSTORE_LOCATION).trim(), config.getPassword(DDL_SSL_TRUSTSTORE_PASSWORD),
                config.getString(DDL_SSL_TRUSTSTORE_TYPE).trim(), config.getString(DDL_SSL_KEYSTORE_LOCATION).trim(),
                config.getPassword(DDL_SSL_KEYSTORE_PASSWORD), config.getString(DDL_SSL_KEYSTORE_TYPE).trim());
    }

    /** @return the order number of the last setting defined */
    static int define(ConfigDef def, String group, int order) {
        def.define(DDL_SSL_MODE, Type.STRING, "", new ModeValidator(), Importance.LOW,
                "TLS of the connection to the FE's MySQL port: `DISABLED`, `REQUIRED` (encrypted, the server "
                        + "not verified), `VERIFY_CA` or `VERIFY_IDENTITY` (the certificate must also name the "
                        + "host). Empty: follow the load URLs (https: `VERIFY_IDENTITY`, or `VERIFY_CA` with "
                        + "`load.ssl.hostname.verification=false`; http: `DISABLED`).",
                group, ++order, Width.SHORT, "DDL TLS mode");
        def.define(DDL_SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.LOW,
                "Trust store for the MySQL port's certificate (`VERIFY_CA`, `VERIFY_IDENTITY`). Empty: `"
                        + NetworkSettings.SSL_TRUSTSTORE_LOCATION + "`, or the JVM's trust when that is empty too.",
                group, ++order, Width.LONG, "DDL TLS trust store");
        def.define(DDL_SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "Password of `" + DDL_SSL_TRUSTSTORE_LOCATION + "`. Never logged.",
                group, ++order, Width.MEDIUM, "DDL TLS trust store password");
        def.define(DDL_SSL_TRUSTSTORE_TYPE, Type.STRING, "", Importance.LOW,
                "Type of `" + DDL_SSL_TRUSTSTORE_LOCATION + "`: `PKCS12` or `JKS`. Empty: `"
                        + NetworkSettings.SSL_TRUSTSTORE_TYPE + "`.",
                group, ++order, Width.SHORT, "DDL TLS trust store type");
        def.define(DDL_SSL_KEYSTORE_LOCATION, Type.STRING, "", Importance.LOW,
                "Key store with the client certificate presented to the MySQL port. Empty: `"
                        + NetworkSettings.SSL_KEYSTORE_LOCATION + "` (none when that is empty).",
                group, ++order, Width.LONG, "DDL TLS key store");
        def.define(DDL_SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "Password of `" + DDL_SSL_KEYSTORE_LOCATION + "`. Never logged.",
                group, ++order, Width.MEDIUM, "DDL TLS key store password");
        def.define(DDL_SSL_KEYSTORE_TYPE, Type.STRING, "", Importance.LOW,
                "Type of `" + DDL_SSL_KEYSTORE_LOCATION + "`: `PKCS12` or `JKS`. Empty: `"
                        + NetworkSettings.SSL_KEYSTORE_TYPE + "`.",
                group, ++order, Width.SHORT, "DDL TLS key store type");
        return order;
    }

    /** Settings that contradict each other, each reported on the key to change. */
    static void check(Map<String, ?> values, BiConsumer<String, String> errors) {
        String mode = values.get(DDL_SSL_MODE) instanceof String m ? m.trim().toUpperCase(Locale.ROOT) : "";
        boolean trust = set(values.get(DDL_SSL_TRUSTSTORE_LOCATION));
        boolean key = set(values.get(DDL_SSL_KEYSTORE_LOCATION));
        if (mode.equals(DISABLED) && (trust || key)) {
            errors.accept(DDL_SSL_MODE, DDL_SSL_MODE + "=DISABLED connects without TLS, so "
                    + (trust ? DDL_SSL_TRUSTSTORE_LOCATION : DDL_SSL_KEYSTORE_LOCATION) + " would never be read; "
                    + "remove it, or set " + DDL_SSL_MODE + " to VERIFY_CA or VERIFY_IDENTITY");
        }
        if (mode.equals(REQUIRED) && trust) {
            errors.accept(DDL_SSL_MODE, DDL_SSL_MODE + "=REQUIRED does not check the server's certificate, so "
                    + DDL_SSL_TRUSTSTORE_LOCATION + " would never be read; set " + DDL_SSL_MODE
                    + " to VERIFY_CA or VERIFY_IDENTITY, or remove it");
        }
        if (!trust && values.get(DDL_SSL_TRUSTSTORE_PASSWORD) != null) {
            errors.accept(DDL_SSL_TRUSTSTORE_PASSWORD, DDL_SSL_TRUSTSTORE_PASSWORD + " is set without "
                    + DDL_SSL_TRUSTSTORE_LOCATION + "; set the location, or remove the password");
        }
        if (!key && values.get(DDL_SSL_KEYSTORE_PASSWORD) != null) {
            errors.accept(DDL_SSL_KEYSTORE_PASSWORD, DDL_SSL_KEYSTORE_PASSWORD + " is set without "
                    + DDL_SSL_KEYSTORE_LOCATION + "; set the location, or remove the password");
        }
        for (String typeKey : List.of(DDL_SSL_TRUSTSTORE_TYPE, DDL_SSL_KEYSTORE_TYPE)) {
            if (values.get(typeKey) instanceof String t && !t.isBlank()
                    && !List.of("PKCS12", "JKS").contains(t.trim().toUpperCase(Locale.ROOT))) {
                errors.accept(typeKey, typeKey + " must be PKCS12 or JKS, not '" + t.trim() + "'");
            }
        }
    }

    private static boolean set(Object value) {
        return value instanceof String s && !s.isBlank();
    }

    /** Empty, or one of {@link #MODES} in any case. */
    static final class ModeValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String mode = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
            if (!mode.isEmpty() && !MODES.contains(mode)) {
                throw new org.apache.kafka.common.config.ConfigException(name, value,
                        "must be empty (follow the load URLs) or one of " + String.join(", ", MODES));
            }
        }

        @Override
        public String toString() {
            return "empty, or one of " + String.join(", ", MODES);
        }
    }
}
