package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertEveryIdExactlyOnce;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.ConnectFixture.uniformOffsets;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * A real worker loading 200,000 records through the emulator's default FE, which behaves as a
 * current FE: it answers a load's request head with a 307 and closes the socket at once. Some
 * loads commit and are then answered with a 502. Every id must land exactly once, in both
 * delivery modes, and the FE must never receive a body byte.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class FeHandshakeIT {

    @Parameter
    Dialect dialect;

    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 50_000;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("fe-handshake-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @Test
    void atLeastOnceLoadsEveryIdOnceThroughGatewayErrorsAfterCommit() throws Exception {
        loadThroughGatewayErrors("at-least-once", Map.of());
    }

    @Test
    void exactlyOnceLoadsEveryIdOnceThroughGatewayErrorsAfterCommit() throws Exception {
        loadThroughGatewayErrors("exactly-once", Map.of(
                "delivery.guarantee", "exactly_once",
                "exactly.once.log.bootstrap.servers", connect.kafka().bootstrapServers()));
    }

    private void loadThroughGatewayErrors(String mode, Map<String, String> settings) throws Exception {
        String name = "handshake-" + mode + "-" + dialect.name().toLowerCase(Locale.ROOT);
        String table = name.replace('-', '_');
        try (StreamLoadEmulator emulator = ConnectFixture.emulator(dialect)) {
            connect.kafka().createTopic(name, PARTITIONS);
            ConnectFixture.createTable(emulator, table);
            emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table(table).times(6));
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, dialect, name, table, 2);
            config.put("buffer.max.records", "10000");
            config.putAll(settings);
            connect.configureConnector(name, config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 2, "tasks running");

            produce(connect, name, PARTITIONS, 0, PER_PARTITION);

            waitFor(() -> committedOffsets(connect, name).equals(uniformOffsets(PARTITIONS, PER_PARTITION)),
                    Duration.ofSeconds(180), "every offset committed");
            assertEquals(List.of(), emulator.pendingFaults().stream().filter(f -> f.remaining() > 0).toList(),
                    "every injected fault struck");
            assertEveryIdExactlyOnce(emulator, table, PARTITIONS, PER_PARTITION);
            assertEquals(0, emulator.feBodyBytesAfterAnswer(), "body bytes the FE received after its answers");
            connect.deleteConnector(name);
        }
    }
}
