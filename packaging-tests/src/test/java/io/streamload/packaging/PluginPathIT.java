package io.streamload.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.test.TestUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * A real Connect worker that finds the connector only in the unpacked archive on its
 * {@code plugin.path}, loads it with plugin isolation, lists it with its version, accepts the
 * shipped example configs, and runs it: records reach the emulator.
 */
class PluginPathIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The connector's SecretSources.SECRETS_DIR_PROPERTY; the connector is not on this classpath. */
    private static final String SECRETS_DIR_PROPERTY = "streamload.secrets.dir";
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startWorkerWithThePluginPath() {
        Map<String, String> workerProps = new HashMap<>();
        workerProps.put("plugin.path", PluginArchive.pluginPath().toAbsolutePath().toString());
        workerProps.put("offset.flush.interval.ms", "500");
        connect = new EmbeddedConnectCluster.Builder().name("plugin-path-it").numWorkers(1)
                .workerProps(workerProps).build();
        connect.start();
    }

    @AfterAll
    static void stop() {
        connect.stop();
    }

    @Test
    void theConnectorIsNotOnTheTestClasspath() {
        // Otherwise the worker could load it from the classpath and this test would prove nothing.
        assertThrows(ClassNotFoundException.class, () -> Class.forName(PluginArchive.CONNECTOR_CLASS));
    }

    @Test
    void connectorPluginsListsItWithItsVersion() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(connect.endpointForResource("connector-plugins"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String body = response.body();
        JsonNode ours = null;
        for (JsonNode plugin : JSON.readTree(body)) {
            if (plugin.path("class").asText().equals(PluginArchive.CONNECTOR_CLASS)) {
                ours = plugin;
            }
        }
        assertEquals("sink", ours == null ? "missing from " + body : ours.path("type").asText());
        assertEquals(PluginArchive.version(), ours.path("version").asText());
    }

    @Test
    void theShippedExamplesValidateInTheWorker(@TempDir Path secrets) throws IOException {
        // The worker runs in this JVM: its administrator's setting is this JVM's system property.
        String before = System.getProperty(SECRETS_DIR_PROPERTY);
        System.setProperty(SECRETS_DIR_PROPERTY, secrets.toString());
        try {
            validateTheShippedExamples(secrets);
        } finally {
            if (before == null) {
                System.clearProperty(SECRETS_DIR_PROPERTY);
            } else {
                System.setProperty(SECRETS_DIR_PROPERTY, before);
            }
        }
    }

    private void validateTheShippedExamples(Path secrets) throws IOException {
        for (String example : List.of("starrocks-sink.json", "doris-sink.json", "cdc-debezium-sink.json",
                "starrocks-sink.properties")) {
            Map<String, String> config = read(PluginArchive.component().resolve("etc").resolve(example));
            // The examples name where a worker keeps the warnings store's password file, which
            // validation checks lies under the directory the worker's administrator allowed for
            // password files (-Dstreamload.secrets.dir, as the README says) and can be read there;
            // this machine is not that worker, so a temporary directory stands for /etc/kafka/secrets.
            if (config.containsKey("load.errors.password.file")) {
                Path secret = secrets.resolve(Path.of(config.get("load.errors.password.file")).getFileName());
                Files.writeString(secret, "change-me");
                config.put("load.errors.password.file", secret.toString());
            }
            ConfigInfos result = connect.validateConnectorConfig("StreamLoadSinkConnector", config);
            Map<String, List<String>> errors = new TreeMap<>();
            for (ConfigInfo info : result.values()) {
                if (!info.configValue().errors().isEmpty()) {
                    errors.put(info.configValue().name(), info.configValue().errors());
                }
            }
            assertEquals(Map.of(), errors, example);
            assertEquals(0, result.errorCount(), example);
        }
    }

    @Test
    void recordsRegisteredOverRestReachTheEmulator() throws Exception {
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().credentials("loader", "secret").start()) {
            emulator.createTable(TableDefinition.builder("shop", "orders")
                    .column("id", "BIGINT", false)
                    .column("customer", "VARCHAR(32)", true)
                    .duplicateKey("id")
                    .build());
            connect.kafka().createTopic("orders", 2);

            Map<String, String> config = new HashMap<>();
            config.put("connector.class", PluginArchive.CONNECTOR_CLASS);
            config.put("tasks.max", "2");
            config.put("topics", "orders");
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("load.urls", emulator.feUrl());
            config.put("load.user", "loader");
            config.put("load.password", "secret");
            config.put("load.database", "shop");
            config.put("buffer.flush.interval.ms", "200");
            connect.configureConnector("orders-sink", config);
            connect.assertions().assertConnectorAndAtLeastNumTasksAreRunning("orders-sink", 1, "connector running");

            int count = 500;
            try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
                for (int id = 0; id < count; id++) {
                    String value = "{\"id\":" + id + ",\"customer\":\"c" + id + "\"}";
                    producer.send(new ProducerRecord<>("orders", id % 2, null, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            TestUtils.waitForCondition(() -> emulator.rowCount("shop", "orders") >= count, 60_000,
                    () -> "rows stored: " + emulator.rowCount("shop", "orders") + " of " + count);
            assertEquals(count, emulator.rowCount("shop", "orders"));
            connect.deleteConnector("orders-sink");
        }
    }

    private static Map<String, String> read(Path example) throws IOException {
        Map<String, String> config = new TreeMap<>();
        if (example.toString().endsWith(".json")) {
            JsonNode body = JSON.readTree(example.toFile());
            config.putAll(JSON.convertValue(body.get("config"), new TypeReference<Map<String, String>>() { }));
            config.put("name", body.get("name").asText());
        } else {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(example, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        }
        return config;
    }
}
