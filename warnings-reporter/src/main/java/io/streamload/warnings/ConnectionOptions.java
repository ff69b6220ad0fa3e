package io.streamload.warnings;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which MySQL Connector/J options a warnings store URL may carry ({@code ?sslMode=REQUIRED&...}),
 * and the options every connection to the store gets whatever the URL says.
 *
 * <p>Why an allowlist: the URL is written by whoever may configure a connector through Connect's
 * REST API, and the driver runs inside the worker. Connector/J has options that let the server it
 * talks to read the worker's files ({@code allowLoadLocalInfile}: the server answers any query
 * with "send me /etc/passwd" and the driver does), load classes by name ({@code socketFactory},
 * {@code queryInterceptors}, ...) or present the worker's own credentials (Kerberos, OCI). The
 * same class of hole as CVE-2023-25194 (JNDI through Kafka's SASL JAAS config). So only options
 * that choose TLS, timeouts and text encoding are accepted; everything else is refused with an
 * error naming it.
 *
 * <p>Why also forced values: defence in depth against a driver that reads options from somewhere
 * other than our Properties. Connector/J (9.x, {@code ConnectionUrl.collectProperties}) lets the
 * Properties given to {@code DriverManager.getConnection} override the options in the JDBC URL's
 * query, so the forced values are put in the Properties, last. (Per-host options written as
 * {@code address=(host=..)(key=value)} would win over them; the JDBC URL built here never has
 * any, since the host is checked to be a plain name or address.) Only canonical option names go
 * into the Properties: Connector/J folds the case of names, and two spellings of one name would
 * make the winner depend on hash order.
 *
 * <p>{@code allowLoadLocalInfileInPath} is deliberately <em>not</em> set, not even to empty:
 * the driver allows LOCAL INFILE as soon as that option is explicitly set, and an empty path
 * resolves to the working directory.
 */
public final class ConnectionOptions {

    /** What a URL option's value must look like, with the message when it does not. */
    private enum Kind {
        BOOLEAN("true or false", Pattern.compile("(?i)true|false")),
        MILLIS("a whole number of milliseconds >= 0", Pattern.compile("\\d{1,9}")),
        SSL_MODE("DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY",
                Pattern.compile("(?i)DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY")),
        FILE_URL("a file: URL of a key store on the worker, e.g. file:/etc/kafka/secrets/truststore.p12",
                Pattern.compile("(?i)file:[^\\s]+")),
        WORD("a name of letters, digits, '_', '-' or '.'", Pattern.compile("[A-Za-z0-9_.-]{1,64}")),
        WORD_LIST("a comma-separated list of names, e.g. TLSv1.2,TLSv1.3", Pattern.compile("[A-Za-z0-9_.,-]{1,1024}")),
        SECRET("any text", Pattern.compile("(?s).*"));

        private final String expected;
        private final Pattern pattern;

        Kind(String expected, Pattern pattern) {
            this.expected = expected;
            this.pattern = pattern;
        }
    }

    /** The options a URL may set, by canonical name. */
    private static final Map<String, Kind> ALLOWED;

    static {
        Map<String, Kind> allowed = new LinkedHashMap<>();
        // TLS to the store.
        allowed.put("sslMode", Kind.SSL_MODE);
        allowed.put("tlsVersions", Kind.WORD_LIST);
        allowed.put("tlsCiphersuites", Kind.WORD_LIST);
        allowed.put("trustCertificateKeyStoreUrl", Kind.FILE_URL);
        allowed.put("trustCertificateKeyStoreType", Kind.WORD);
        allowed.put("trustCertificateKeyStorePassword", Kind.SECRET);
        allowed.put("clientCertificateKeyStoreUrl", Kind.FILE_URL);
        allowed.put("clientCertificateKeyStoreType", Kind.WORD);
        allowed.put("clientCertificateKeyStorePassword", Kind.SECRET);
        allowed.put("fallbackToSystemTrustStore", Kind.BOOLEAN);
        allowed.put("fallbackToSystemKeyStore", Kind.BOOLEAN);
        // The driver still accepts the legacy TLS switches and maps them to sslMode.
        allowed.put("useSSL", Kind.BOOLEAN);
        allowed.put("requireSSL", Kind.BOOLEAN);
        allowed.put("verifyServerCertificate", Kind.BOOLEAN);
        // Authentication over a connection without TLS (caching_sha2_password's RSA exchange).
        allowed.put("allowPublicKeyRetrieval", Kind.BOOLEAN);
        // Time limits and the socket.
        allowed.put("connectTimeout", Kind.MILLIS);
        allowed.put("socketTimeout", Kind.MILLIS);
        allowed.put("tcpKeepAlive", Kind.BOOLEAN);
        // Text encoding.
        allowed.put("characterEncoding", Kind.WORD);
        allowed.put("connectionCollation", Kind.WORD);
        ALLOWED = Collections.unmodifiableMap(allowed);
    }

    private static final Map<String, String> BY_LOWER_CASE;

    static {
        Map<String, String> byLowerCase = new TreeMap<>();
        ALLOWED.keySet().forEach(name -> byLowerCase.put(name.toLowerCase(Locale.ROOT), name));
        BY_LOWER_CASE = Collections.unmodifiableMap(byLowerCase);
    }

    /**
     * The authentication plugins the store never uses: each presents an identity of the worker
     * other than the store's user and password (Kerberos tickets, OCI keys, OpenID token files,
     * FIDO/WebAuthn devices, LDAP SASL's GSSAPI). A server named in a URL could otherwise ask the
     * worker to authenticate with them. The password plugins stay.
     */
    static final List<String> DISABLED_AUTHENTICATION_PLUGINS = List.of(
            "authentication_kerberos_client",
            "authentication_oci_client",
            "authentication_openid_connect_client",
            "authentication_webauthn_client",
            "authentication_fido_client",
            "authentication_ldap_sasl_client");

    /**
     * Set on every connection, after the URL's options, at the driver's safe defaults. The
     * class-name options get the driver's own defaults (or none), so no URL can make the worker
     * load a class.
     */
    static final Map<String, String> FORCED;

    static {
        Map<String, String> forced = new LinkedHashMap<>();
        forced.put("allowLoadLocalInfile", "false");
        forced.put("allowUrlInLocalInfile", "false");
        // Not an option of Connector/J 9 (which ignores it); older drivers deserialized BLOBs with it.
        forced.put("autoDeserialize", "false");
        forced.put("allowMultiQueries", "false");
        forced.put("socketFactory", "com.mysql.cj.protocol.StandardSocketFactory");
        forced.put("queryInterceptors", "");
        forced.put("exceptionInterceptors", "");
        forced.put("connectionLifecycleInterceptors", "");
        forced.put("propertiesTransform", "");
        forced.put("clientInfoProvider", "com.mysql.cj.jdbc.CommentClientInfoProvider");
        forced.put("authenticationPlugins", "");
        // defaultAuthenticationPlugin is left alone: set at all, even to its default, it makes the
        // driver stop answering with the plugin the server announces (an extra round trip with
        // MariaDB). No URL can set it, as it is not allowed.
        forced.put("disabledAuthenticationPlugins", String.join(",", DISABLED_AUTHENTICATION_PLUGINS));
        forced.put("useConfigs", "");
        FORCED = Collections.unmodifiableMap(forced);
    }

    private ConnectionOptions() {
    }

    /** The options a URL may carry, in the order the documentation lists them. */
    public static Set<String> allowed() {
        return ALLOWED.keySet();
    }

    /**
     * The canonical name of an allowed option (names are matched in any case, as the driver does).
     *
     * @throws IllegalArgumentException naming the option (never its value) when it is not allowed
     *                                  or its value is not of the expected form
     */
    public static String check(String name, String value) {
        String canonical = BY_LOWER_CASE.get(name.toLowerCase(Locale.ROOT));
        if (canonical == null) {
            boolean dangerous = FORCED.keySet().stream().anyMatch(name::equalsIgnoreCase)
                    || name.toLowerCase(Locale.ROOT).startsWith("allowloadlocalinfile");
            throw new IllegalArgumentException("the connection option '" + name + "' is not allowed"
                    + (dangerous ? " (it would let the MySQL server read the worker's files, or make the worker "
                    + "load classes)" : "") + "; remove it from the URL. Allowed options: "
                    + String.join(", ", ALLOWED.keySet()));
        }
        Kind kind = ALLOWED.get(canonical);
        if (!kind.pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("the connection option " + canonical + " must be " + kind.expected
                    + (kind == Kind.SECRET ? "" : ", got '" + ColumnLimits.cut(value, 40) + "'"));
        }
        return canonical;
    }

    /** Whether the option's value is a secret, to be masked wherever the URL is shown. */
    static boolean isSecret(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith("password");
    }

    /**
     * The Properties of one connection: the store's defaults, then the URL's (allowed) options,
     * then {@link #FORCED}.
     *
     * @param urlOptions options as {@link WarningsStoreUrl#jdbcOptions()} holds them; checked again here
     */
    public static Properties properties(String user, String password, Map<String, String> urlOptions,
                                        Duration connectTimeout, Duration socketTimeout) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        // One multi-row INSERT per batch instead of one round trip per row.
        props.setProperty("rewriteBatchedStatements", "true");
        props.setProperty("characterEncoding", "UTF-8");
        // allowPublicKeyRetrieval stays at the driver's false unless the URL asks for it: without TLS
        // it lets the server (whoever wrote the URL chose it) hand out its own RSA key and read the
        // password the driver encrypts with it. MariaDB's default mysql_native_password never
        // needs it, and MySQL 8's caching_sha2_password does not over TLS (the driver's default
        // sslMode=PREFERRED uses the TLS a MySQL 8 server offers out of the box).
        urlOptions.forEach((name, value) -> props.setProperty(check(name, value), value));
        FORCED.forEach(props::setProperty);
        return props;
    }
}
