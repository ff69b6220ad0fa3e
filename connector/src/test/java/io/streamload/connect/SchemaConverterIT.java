package io.streamload.connect;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Schema'd records as a worker delivers them: JSON with an embedded Connect schema, read by the
 * worker's {@link JsonConverter}, logical types included (Decimal, Date, Timestamp), subscribed
 * with {@code topics.regex} and routed by {@code table.name.format}. The stored values are read
 * back exactly, for both targets.
 */
class SchemaConverterIT {

    private static final String SCHEMA = """
            {"type":"struct","name":"order","fields":[
              {"field":"id","type":"int64","optional":false},
              {"field":"amount","type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal",
               "version":1,"parameters":{"scale":"2"}},
              {"field":"day","type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1},
              {"field":"at","type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp",
               "version":1},
              {"field":"note","type":"string","optional":true}]}""";

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void start() {
        connect = ConnectFixture.cluster("schema-converter-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stop() {
        connect.stop();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void logicalTypesThroughJsonConverterLandExactlyInTheTablesOfEveryMatchingTopic(Dialect dialect)
            throws Exception {
        String prefix = dialect.name().toLowerCase() + "_orders_";
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(dialect)
                .credentials(ConnectFixture.USER, ConnectFixture.PASSWORD).start()) {
            for (String region : List.of("eu", "us")) {
                connect.kafka().createTopic(prefix + region, 1);
                emulator.createTable(TableDefinition.builder(ConnectFixture.DB, "sink_" + prefix + region)
                        .column("id", "BIGINT", false)
                        .column("amount", "DECIMAL(12,2)", true)
                        .column("day", "DATE", true)
                        .column("at", "DATETIME", true)
                        .column("note", "VARCHAR(32)", true)
                        .duplicateKey("id")
                        .build());
            }
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, "unused", "unused", 1);
            config.remove("topics");
            config.remove("topic2table.map");
            config.put("topics.regex", prefix + ".*");
            config.put("table.name.format", "sink_${topic}");
            config.put("target", dialect == Dialect.DORIS ? "doris" : "starrocks");
            config.put("value.converter", JsonConverter.class.getName());
            config.put("value.converter.schemas.enable", "true");
            String name = "schema-" + dialect.name().toLowerCase();
            connect.configureConnector(name, config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "sink running");

            // amount 1234.56 (unscaled 123456 = 0x01E240, base64 AeJA); day 19753 = 2024-01-31;
            // at 1706702400123 = 2024-01-31 12:00:00.123 UTC.
            String payload = "{\"id\":%d,\"amount\":\"AeJA\",\"day\":19753,\"at\":1706702400123,\"note\":\"%s\"}";
            try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
                producer.send(record(prefix + "eu", String.format(payload, 1, "from eu")));
                producer.send(record(prefix + "us", String.format(payload, 2, "from us")));
                producer.flush();
            }

            for (String region : List.of("eu", "us")) {
                String table = "sink_" + prefix + region;
                waitFor(() -> emulator.rowCount(ConnectFixture.DB, table) == 1, Duration.ofSeconds(60),
                        "a row in " + table);
                Map<String, Object> row = new TreeMap<>(emulator.rows(ConnectFixture.DB, table).get(0));
                assertEquals(region.equals("eu") ? 1L : 2L, row.get("id"));
                assertEquals(new BigDecimal("1234.56"), row.get("amount"));
                assertEquals("2024-01-31", row.get("day"));
                assertEquals("2024-01-31 12:00:00.123000", row.get("at"));
                assertEquals("from " + region, row.get("note"));
            }
            connect.deleteConnector(name);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String payload) {
        String envelope = "{\"schema\":" + SCHEMA + ",\"payload\":" + payload + "}";
        return new ProducerRecord<>(topic, 0, null, envelope.getBytes(StandardCharsets.UTF_8));
    }
}
