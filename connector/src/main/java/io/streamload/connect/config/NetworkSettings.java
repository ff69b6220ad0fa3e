package io.streamload.connect.config;

import java.time.Duration;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import io.streamload.connect.tls.TlsSettings;

/**
 * The network keys of the sink: FE health, timeouts, the retry time budget and TLS. Declared
 * here, in their own group, and read back as one value, so {@link StreamLoadSinkConfig} only
 * includes them.
 *
 * @param feMaxFails consecutive failures that mark an FE down (0: never)
 * @param feFailTimeout how long an FE marked down is skipped
 * @param connectTimeout TCP (and TLS handshake) connect timeout
 * @param socketTimeout longest silence while sending a body or waiting for the reply
 * @param continueTimeout how long a load's request head waits for {@code 100 Continue} or an answer
 * @param retryMaxTime how long a batch may be retried in total; zero for no limit by time
 * @param tls trust and key material for https load URLs
 */
public record NetworkSettings(int feMaxFails, Duration feFailTimeout, Duration connectTimeout, Duration socketTimeout,
                              Duration continueTimeout, Duration retryMaxTime, TlsSettings tls) {

    public static final String FE_MAX_FAILS = "load.fe.max.fails";
    public static final String FE_FAIL_TIMEOUT_MS = "load.fe.fail.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS = "load.connect.timeout.ms";
    public static final String SOCKET_TIMEOUT_MS = "load.socket.timeout.ms";
    public static final String EXPECT_CONTINUE_TIMEOUT_MS = "load.expect.continue.timeout.ms";
    public static final String RETRY_MAX_TIME_MS = "retry.max.time.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "load.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "load.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "load.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "load.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "load.ssl.keystore.password";
    public static final String SSL_KEY_PASSWORD = "load.ssl.key.password";
    public static final String SSL_KEYSTORE_TYPE = "load.ssl.keystore.type";
    public static final String SSL_HOSTNAME_VERIFICATION = "load.ssl.hostname.verification";

    /** Reads the keys {@link #define} declared. */
    static NetworkSettings from(AbstractConfig config) {
        return new NetworkSettings(
                config.getInt(FE_MAX_FAILS),
                Duration.ofMillis(config.getLong(FE_FAIL_TIMEOUT_MS)),
                Duration.ofMillis(config.getLong(CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(config.getLong(SOCKET_TIMEOUT_MS)),
                Duration.ofMillis(config.getLong(EXPECT_CONTINUE_TIMEOUT_MS)),
                Duration.ofMillis(config.getLong(RETRY_MAX_TIME_MS)),
                new TlsSettings(
                        blankToNull(config.getString(SSL_TRUSTSTORE_LOCATION)),
                        config.getPassword(SSL_TRUSTSTORE_PASSWORD),
                        config.getString(SSL_TRUSTSTORE_TYPE),
                        blankToNull(config.getString(SSL_KEYSTORE_LOCATION)),
                        config.getPassword(SSL_KEYSTORE_PASSWORD),
                        config.getPassword(SSL_KEY_PASSWORD),
                        config.getString(SSL_KEYSTORE_TYPE),
                        config.getBoolean(SSL_HOSTNAME_VERIFICATION)));
    }

    static void define(ConfigDef def, String group) {
        int order = 0;
        def.define(FE_MAX_FAILS, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Consecutive failures (not reachable, reset, timeout, HTTP 5xx) after which an FE of `"
                        + StreamLoadSinkConfig.LOAD_URLS + "` is marked down and skipped for `"
                        + FE_FAIL_TIMEOUT_MS + "`, as nginx's `max_fails`. After that it gets one request; if that "
                        + "fails too it is marked down again. `0` never marks an FE down.",
                group, ++order, Width.SHORT, "FE max fails");
        def.define(FE_FAIL_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "How long an FE marked down is skipped, as nginx's `fail_timeout`. When every FE is down the "
                        + "connector keeps trying the one that comes back first, with backoff, until the retry "
                        + "budget (`" + StreamLoadSinkConfig.MAX_RETRIES + "`, `" + RETRY_MAX_TIME_MS
                        + "`) is spent; then the task fails naming every FE and its last error.",
                group, ++order, Width.SHORT, "FE fail timeout (ms)");
        def.define(CONNECT_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How long opening a connection (TCP and TLS handshake) to an FE or BE may take. A failed "
                        + "connect to an FE sent nothing, so the request (a load, a transaction step, a label "
                        + "state or table model query) goes on to the next FE at once.",
                group, ++order, Width.SHORT, "Connect timeout (ms)");
        def.define(SOCKET_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "The longest silence on a connection: while sending a body, or while waiting for the "
                        + "reply (the target answers only after it committed). Past it the outcome is unknown "
                        + "and the load is resent with the same label. The whole request is bounded by `"
                        + StreamLoadSinkConfig.LOAD_TIMEOUT_MS + "`.",
                group, ++order, Width.SHORT, "Socket timeout (ms)");
        def.define(EXPECT_CONTINUE_TIMEOUT_MS, Type.LONG, 3_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How long an FE or BE has to answer a load's request head, or to ask for its body with "
                        + "`100 Continue`. Loads are sent with `Expect: 100-continue` and their body goes out "
                        + "only when asked for: an FE never asks (it redirects to a BE), and a final answer "
                        + "before `100 Continue` means no byte of the body is sent. An FE silent for this long "
                        + "gets nothing of the body, counts as failed (`" + FE_MAX_FAILS + "`), and the load "
                        + "goes on to the next FE under the same label; a BE silent for this long gets the body "
                        + "all the same. Raise it when busy FEs are slow to answer. A proxy in front of the FEs "
                        + "(nginx) sends `100 Continue` itself.",
                group, ++order, Width.SHORT, "Expect-continue timeout (ms)");
        def.define(RETRY_MAX_TIME_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "How long one batch may be retried in total, counted from its first failed attempt. The "
                        + "batch fails when this or `" + StreamLoadSinkConfig.MAX_RETRIES + "` is spent, "
                        + "whichever comes first. `0`: no limit by time, only `" + StreamLoadSinkConfig.MAX_RETRIES
                        + "`.",
                group, ++order, Width.SHORT, "Retry max time (ms)");
        def.define(SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                "For `https://` load URLs: the trust store file with the certificates (or their CA) of "
                        + "the FEs and BEs. Empty: the JVM's default trust store.",
                group, ++order, Width.LONG, "TLS trust store");
        def.define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                "Password of the trust store, if it has one. Never logged.",
                group, ++order, Width.MEDIUM, "TLS trust store password");
        def.define(SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                "Type of the trust store file: `PKCS12` or `JKS`.",
                group, ++order, Width.SHORT, "TLS trust store type");
        def.define(SSL_KEYSTORE_LOCATION, Type.STRING, "", Importance.LOW,
                "For mutual TLS: the key store with the connector's client key and certificate. Empty: "
                        + "no client certificate.",
                group, ++order, Width.LONG, "TLS key store");
        def.define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "Password of the key store. Never logged.",
                group, ++order, Width.MEDIUM, "TLS key store password");
        def.define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "Password of the private key in the key store, when it differs from the key store's. "
                        + "Never logged.",
                group, ++order, Width.MEDIUM, "TLS key password");
        def.define(SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                "Type of the key store file: `PKCS12` or `JKS`.",
                group, ++order, Width.SHORT, "TLS key store type");
        def.define(SSL_HOSTNAME_VERIFICATION, Type.BOOLEAN, true, Importance.LOW,
                "Check that the certificate of each FE and BE names the host the connector connects to. "
                        + "Turn it off only for test setups: without it, any holder of a trusted certificate "
                        + "can impersonate the target.",
                group, ++order, Width.SHORT, "TLS hostname verification");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
