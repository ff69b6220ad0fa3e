package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.connect.testing.TestCertificates;
import io.streamload.emulator.StreamLoadEmulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * auto.create over a TLS MySQL port: the emulator serves https and a MySQL port that refuses plain
 * clients (StarRocks' ssl_force_secure_transport), so the table exists only if the DDL connection
 * negotiated TLS with the trust store the task was given.
 */
class DdlOverTlsTaskTest {
    private static final String DB = "db";
    private static final String TOPIC = "plain";
    private static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;
    private static final String TRUST_PASSWORD = TestCertificates.TRUST_PASSWORD;
    private static final Schema ROW = SchemaBuilder.struct().name("plain.Value")
            .field("id", Schema.INT64_SCHEMA).field("qty", Schema.OPTIONAL_INT32_SCHEMA).build();

    @TempDir
    static Path dir;

    private StreamLoadEmulator emulator;
    private StreamLoadSinkTask task;

    @BeforeAll
    static void makeCertificates() throws Exception {
        TestCertificates.write(dir, "-keyalg", "EC", "-groupname", "secp256r1");
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
    void httpsLoadUrlsCreateTheTableOverTlsAndLoadTheRows() throws Exception {
        serve("local.p12");
        // ddl.ssl.* left empty: https load URLs give VERIFY_IDENTITY with the load trust store.
        start(Map.of());
        task.put(records(10));
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10)), task.preCommit(Map.of()));
        assertEquals(10, emulator.rowCount(DB, TOPIC));
        assertEquals(1, emulator.ddlStatements().size(), emulator.ddlStatements().toString());
        assertTrue(emulator.ddlStatements().get(0).startsWith("CREATE TABLE"), emulator.ddlStatements().toString());
        JsonNode admin = adminMysql();
        assertTrue(admin.path("tlsRequired").asBoolean(), admin.toString());
        assertTrue(admin.path("tlsSessions").asLong() >= 1, admin.toString());
        assertEquals(emulator.mysqlTlsSessions(), admin.path("tlsSessions").asLong());
    }

    @Test
    void aCertificateNamingAnotherHostFailsVerifyIdentityWithWhatToChangeAndPassesVerifyCa() throws Exception {
        serve("other.p12");
        // Loads skip the host name check; the DDL connection is told to make it.
        start(Map.of("load.ssl.hostname.verification", "false", "ddl.ssl.mode", "VERIFY_IDENTITY",
                "ddl.timeout.ms", "60000"));
        task.put(records(1));
        ConnectException failure = assertThrows(ConnectException.class, () -> task.put(List.of()));
        String message = failure.getMessage();
        assertTrue(message.contains("TLS with the FE's MySQL port failed"), message);
        assertTrue(message.contains("Server identity verification failed"), message);
        assertTrue(message.contains("ddl.ssl.mode=VERIFY_CA"), message);
        assertFalse(message.contains("secret"), "no password in the message");
        assertTrue(emulator.ddlStatements().isEmpty());
        task.stop();

        start(Map.of("load.ssl.hostname.verification", "false", "ddl.ssl.mode", "VERIFY_CA"));
        task.put(records(3));
        assertEquals(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)), task.preCommit(Map.of()));
        assertEquals(3, emulator.rowCount(DB, TOPIC));
        assertTrue(emulator.mysqlTlsSessions() >= 1);
    }

    private void serve(String keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(keystore))) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").tls(context).mysqlPort(0)
                .requireMysqlTls().start();
        emulator.createDatabase(DB);
    }

    private void start(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "ddl-tls");
        props.put("topics", TOPIC);
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "root");
        props.put("load.password", "secret");
        props.put("load.database", DB);
        props.put("load.ssl.truststore.location", dir.resolve("trust.p12").toString());
        props.put("load.ssl.truststore.password", TRUST_PASSWORD);
        props.put("auto.create", "true");
        props.put("ddl.port", Integer.toString(emulator.mysqlPort()));
        props.put("auto.create.properties", "replication_num=1");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        props.putAll(overrides);
        task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        context.assign(List.of(tp));
        task.open(List.of(tp));
    }

    private static List<SinkRecord> records(int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new SinkRecord(TOPIC, 0, null, null, ROW, new Struct(ROW).put("id", (long) i).put("qty", i), i));
        }
        return records;
    }

    private JsonNode adminMysql() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
            trust.load(in, TRUST_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(client).build().send(
                HttpRequest.newBuilder(URI.create(emulator.feUrl() + "/_emulator/mysql")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }
}
