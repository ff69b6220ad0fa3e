package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.dialect.StreamLoadDialects;
import io.streamload.connect.dialect.TableModel;
import io.streamload.connect.dialect.TableModelLookup;
import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.connect.testing.TestCertificates;
import io.streamload.connect.tls.TlsSettings;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * https load URLs against the emulator serving self-signed certificates made here with the
 * JDK's keytool: trusted through the trust store, refused without it, and refused when the
 * certificate names another host unless hostname verification is turned off.
 */
class TlsSinkTaskTest {

    private static final String DB = "db";
    private static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;
    private static final String TRUST_PASSWORD = TestCertificates.TRUST_PASSWORD;

    @TempDir
    static Path dir;

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestCertificates.write(dir, "-keyalg", "RSA", "-keysize", "2048");
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void httpsLoadsWithTheTrustStore() throws Exception {
        serve("local.p12");
        start(Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", TRUST_PASSWORD));
        assertTrue(emulator.feUrl().startsWith("https://"), emulator.feUrl());
        task.put(records(20));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(20)), task.preCommit(Map.of()));
        assertEquals(20, emulator.rowCount(DB, "t"));
    }

    @Test
    void anUntrustedCertificateFailsTheTaskWithWhatToChange() throws Exception {
        serve("local.p12");
        start(Map.of());
        task.put(records(5));
        task.preCommit(Map.of());
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(records(1)));
        assertTrue(failure.getMessage().contains("TLS handshake failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains("load.ssl.truststore.location"), failure.getMessage());
        assertEquals(0, emulator.rowCount(DB, "t"));
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessVerificationIsOff() throws Exception {
        serve("other.p12");
        Map<String, String> trust = Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", TRUST_PASSWORD);
        start(trust);
        task.put(records(5));
        task.preCommit(Map.of());
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(records(1)));
        assertTrue(failure.getMessage().contains("TLS handshake failed"), failure.getMessage());
        task.stop();

        Map<String, String> unverified = new HashMap<>(trust);
        unverified.put("load.ssl.hostname.verification", "false");
        start(unverified);
        task.put(records(5));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(5)), task.preCommit(Map.of()));
    }

    @Test
    void mutualTlsLoadsWithTheKeyStoreAndIsRefusedWithoutIt() throws Exception {
        serve("local.p12", true);
        Map<String, String> trust = Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", TRUST_PASSWORD);
        start(trust);
        task.put(records(5));
        assertEquals(Map.of(), task.preCommit(Map.of()));
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(records(1)));
        // The server refuses the missing certificate with an alert and closes. The client reads the
        // alert (a handshake failure) unless it is still writing its handshake when the close
        // arrives, which the kernel turns into a reset: both happen, depending on timing.
        assertTrue(failure.getMessage().contains("TLS handshake failed")
                || failure.getMessage().contains("connection reset while sending"), failure.getMessage());
        assertEquals(0, emulator.rowCount(DB, "t"));
        task.stop();

        Map<String, String> withKey = new HashMap<>(trust);
        withKey.put("load.ssl.keystore.location", dir.resolve("other.p12").toString());
        withKey.put("load.ssl.keystore.password", STORE_PASSWORD);
        start(withKey);
        task.put(records(5));
        assertEquals(Map.of(tp(), new OffsetAndMetadata(5)), task.preCommit(Map.of()));
        assertEquals(5, emulator.rowCount(DB, "t"));
    }

    @Test
    void tableModelsAreAskedWithTheLoadsTrustStore() {
        serve("local.p12");
        StreamLoadSinkConfig config = new StreamLoadSinkConfig(props(Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", TRUST_PASSWORD)));
        StreamLoadDialect dialect = StreamLoadDialects.forTarget(config.target());
        try (StreamLoadClient trusting = client(dialect, config, config.network().tls());
             StreamLoadClient jdkDefaults = client(dialect, config, null)) {
            assertEquals(Optional.of(TableModel.DUPLICATE), new TableModelLookup(dialect, trusting).modelOf("t"));
            assertEquals(Optional.empty(), new TableModelLookup(dialect, jdkDefaults).modelOf("t"),
                    "the JDK's own trust store lacks the test CA");
            String lastError = jdkDefaults.fes().health().get(0).lastError();
            assertTrue(lastError != null && lastError.startsWith("tls handshake"), lastError);
        }
    }

    @Test
    void theTasksTableModelQuestionTravelsWithTheTrustStore() {
        serve("local.p12");
        // Partial updates need a keyed table: start() asks t's model, and refuses it only if the
        // https question was answered (without an answer it would warn and go on).
        ConnectException refused = assertThrows(ConnectException.class, () -> start(Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", TRUST_PASSWORD,
                "partial.update", "true")));
        assertTrue(refused.getMessage().contains("t is not one"), refused.getMessage());
    }

    @Test
    void aWrongTrustStorePasswordIsAConfigErrorThatDoesNotShowIt() {
        serve("local.p12");
        ConfigException error = assertThrows(ConfigException.class, () -> start(Map.of(
                "load.ssl.truststore.location", dir.resolve("trust.p12").toString(),
                "load.ssl.truststore.password", "wrong-password-3")));
        assertTrue(error.getMessage().contains("load.ssl.truststore.location"), error.getMessage());
        assertFalse(error.getMessage().contains("wrong-password-3"), error.getMessage());
        task = null;
    }

    private void serve(String keystore) {
        serve(keystore, false);
    }

    /** Serves with the key store's certificate; with client certificates required, trusts those of trust.p12. */
    private void serve(String keystore, boolean requireClientCertificates) {
        try (InputStream in = Files.newInputStream(dir.resolve(keystore))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trusted = null;
            if (requireClientCertificates) {
                KeyStore clients = KeyStore.getInstance("PKCS12");
                try (InputStream trustIn = Files.newInputStream(dir.resolve("trust.p12"))) {
                    clients.load(trustIn, TRUST_PASSWORD.toCharArray());
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(
                        TrustManagerFactory.getDefaultAlgorithm());
                factory.init(clients);
                trusted = factory.getTrustManagers();
            }
            context.init(keys.getKeyManagers(), trusted, null);
            StreamLoadEmulator.Builder builder = StreamLoadEmulator.builder().credentials("root", "secret").tls(context);
            emulator = (requireClientCertificates ? builder.requireClientCertificates() : builder).start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        emulator.createTable(TableDefinition.builder(DB, "t").column("id", "BIGINT", false).duplicateKey("id").build());
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = props(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(tp()));
        task.open(List.of(tp()));
    }

    private Map<String, String> props(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "tls-test");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("topic2table.map", "topic:t");
        props.put("max.retries", "2");
        props.put("retry.backoff.ms", "20");
        props.put("retry.backoff.max.ms", "100");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        return props;
    }

    private static StreamLoadClient client(StreamLoadDialect dialect, StreamLoadSinkConfig config, TlsSettings tls) {
        return new StreamLoadClient(dialect, new FeSelector(config.loadUrls()), DB, "root", "secret",
                new StreamLoadClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), tls,
                        4, "test"),
                runnable -> {
                    Thread thread = new Thread(runnable, "test-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static List<SinkRecord> records(int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new SinkRecord("topic", 0, null, null, null, "{\"id\":" + i + "}", i));
        }
        return records;
    }

    private static TopicPartition tp() {
        return new TopicPartition("topic", 0);
    }
}
