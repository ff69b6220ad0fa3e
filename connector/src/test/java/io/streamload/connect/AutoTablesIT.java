package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connector over three topics whose tables do not exist, in a real worker: it creates the
 * tables (counted through the emulator's admin API), loads every record, and after a restart of
 * the connector and its tasks loads on without a second DDL statement.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class AutoTablesIT {

    @Parameter
    Dialect dialect;

    private static final int PARTITIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("auto-tables-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @Test
    void threeTopicsWithoutTablesAreCreatedLoadedAndSurviveARestartWithoutMoreDdl() throws Exception {
        String prefix = dialect.name().toLowerCase(java.util.Locale.ROOT) + "_";
        List<String> topics = List.of(prefix + "users", prefix + "clicks", prefix + "prices");
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(dialect)
                .credentials(ConnectFixture.USER, ConnectFixture.PASSWORD).mysqlPort(0).start()) {
            emulator.createDatabase(ConnectFixture.DB);
            topics.forEach(t -> connect.kafka().createTopic(t, PARTITIONS));
            String connector = prefix + "auto";
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, dialect, String.join(",", topics),
                    "unused", 2);
            config.remove("topic2table.map");
            config.put("key.converter", JsonConverter.class.getName());
            config.put("value.converter", JsonConverter.class.getName());
            config.put("auto.create", "true");
            config.put("auto.evolve", "true");
            config.put("ddl.port", Integer.toString(emulator.mysqlPort()));
            connect.configureConnector(connector, config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 2, "tasks running");

            produce(topics, 0, 200);
            for (String topic : topics) {
                waitFor(() -> rows(emulator, topic) == 200 * PARTITIONS, Duration.ofSeconds(60), "rows of " + topic);
            }
            JsonNode mysql = adminMysql(emulator);
            assertEquals(3, mysql.path("ddlCount").asInt(), "one CREATE TABLE per topic: " + mysql);
            assertEquals("PRIMARY_KEY", emulator.definition(ConnectFixture.DB, topics.get(0)).model().name(),
                    "users are keyed by their record key");
            assertEquals("DUPLICATE_KEY", emulator.definition(ConnectFixture.DB, topics.get(1)).model().name(),
                    "clicks have no record key");

            connect.restartConnectorAndTasks(connector, false, true, false);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 2, "tasks running again");
            produce(topics, 200, 100);
            for (String topic : topics) {
                waitFor(() -> rows(emulator, topic) == 300 * PARTITIONS, Duration.ofSeconds(60),
                        "rows of " + topic + " after the restart");
            }
            assertEquals(3, adminMysql(emulator).path("ddlCount").asInt(), "no DDL after the restart");
            connect.deleteConnector(connector);
        }
    }

    private static long rows(StreamLoadEmulator emulator, String table) {
        try {
            return emulator.rowCount(ConnectFixture.DB, table);
        } catch (IllegalArgumentException notYet) {
            return -1;
        }
    }

    private static JsonNode adminMysql(StreamLoadEmulator emulator) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(emulator.feUrl() + "/_emulator/mysql")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** JsonConverter records with schemas: users keyed by id, clicks without key, prices with decimals. */
    private static void produce(List<String> topics, int first, int count) {
        String userKey = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"}]},"
                + "\"payload\":{\"id\":%d}}";
        String user = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
                + "{\"field\":\"name\",\"type\":\"string\",\"optional\":true}]},\"payload\":{\"id\":%d,\"name\":\"u%d\"}}";
        String click = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
                + "{\"field\":\"page\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"at\",\"type\":\"int64\",\"name\":\"org.apache.kafka.connect.data.Timestamp\"}]},"
                + "\"payload\":{\"id\":%d,\"page\":\"/p%d\",\"at\":1700000000000}}";
        String price = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},"
                + "{\"field\":\"amount\",\"type\":\"bytes\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
                + "\"parameters\":{\"scale\":\"2\"}}]},\"payload\":{\"id\":%d,\"amount\":\"AQ==\"}}";
        Map<String, Object> props = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(props)) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = first; i < first + count; i++) {
                    long id = partition * ConnectFixture.PARTITION_STRIDE + i;
                    producer.send(new ProducerRecord<>(topics.get(0), partition,
                            bytes(String.format(userKey, id)), bytes(String.format(user, id, id))));
                    producer.send(new ProducerRecord<>(topics.get(1), partition, null,
                            bytes(String.format(click, id, id))));
                    producer.send(new ProducerRecord<>(topics.get(2), partition, null,
                            bytes(String.format(price, id))));
                }
            }
            producer.flush();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validateNamesTheSettingsAutoTablesCannotWorkWith() {
        var infos = connect.validateConnectorConfig(StreamLoadSinkConnector.class.getSimpleName(), Map.of(
                "connector.class", StreamLoadSinkConnector.class.getName(), "topics", "t",
                "load.urls", "http://127.0.0.1:8030", "load.user", "u", "load.database", "db",
                "auto.evolve", "true", "value.passthrough", "true", "load.properties.columns", "id,name"));
        Map<String, List<String>> errors = new HashMap<>();
        infos.values().forEach(v -> {
            if (!v.configValue().errors().isEmpty()) {
                errors.put(v.configValue().name(), v.configValue().errors());
            }
        });
        assertTrue(errors.getOrDefault("value.passthrough", List.of()).stream().anyMatch(e -> e.contains("auto.evolve")),
                errors.toString());
        assertTrue(errors.getOrDefault("auto.evolve", List.of()).stream().anyMatch(e -> e.contains("'columns'")),
                errors.toString());
    }
}
