package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertNoIdMissing;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.committedPastStored;
import static io.streamload.connect.ConnectFixture.createTable;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.ConnectFixture.storedIdCounts;
import static io.streamload.connect.ConnectFixture.uniformOffsets;
import static io.streamload.connect.testing.Conditions.assertNeverWithin;
import static io.streamload.connect.testing.Conditions.liveThreads;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * Changes of the worker set and of the connector while records flow: tasks move to a new worker
 * (their partitions are closed on one and opened on the other) and the connector is deleted. No
 * record may be lost, and nothing may reach the target once the deleted connector's tasks are gone.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class RebalanceAndDeleteIT {

    @Parameter
    Dialect dialect;

    private static final int PARTITIONS = 4;
    /** How long to watch for stray requests after the deleted connector's tasks are gone. */
    private static final Duration GRACE = Duration.ofSeconds(3);

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("streamload-rebalance-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @Test
    void aWorkerAddedMidStreamLosesNothing() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            String topic = name("rebalance");
            connect.kafka().createTopic(topic, PARTITIONS);
            createTable(emulator, "rebalance");
            Map<String, String> config = sinkConfig(emulator, topic, "rebalance", 4);
            config.put("buffer.max.records", "1000");
            connect.configureConnector(name("rebalance"), config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name("rebalance"), 4, "tasks running");

            produce(connect, topic, PARTITIONS, 0, 10_000);
            waitFor(() -> emulator.rowCount(ConnectFixture.DB, "rebalance") > 0, Duration.ofSeconds(60),
                    "loading started");
            connect.addWorker();
            produce(connect, topic, PARTITIONS, 10_000, 10_000);
            connect.assertions().assertAtLeastNumWorkersAreUp(2, "second worker up");
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name("rebalance"), 4, "tasks running");

            waitFor(() -> committedOffsets(connect, name("rebalance")).equals(uniformOffsets(PARTITIONS, 20_000)),
                    Duration.ofSeconds(120), "every offset committed");
            assertNoIdMissing(emulator, "rebalance", PARTITIONS, 20_000);
            connect.deleteConnector(name("rebalance"));
            connect.assertions().assertConnectorDoesNotExist(name("rebalance"), "connector deleted");
        }
    }

    @Test
    void aConnectorDeletedMidStreamStopsTalkingToTheTargetAndLosesNothing() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            String topic = name("deleted");
            connect.kafka().createTopic(topic, PARTITIONS);
            createTable(emulator, "deleted");
            Map<String, String> config = sinkConfig(emulator, topic, "deleted", 2);
            config.put("buffer.max.records", "500");
            connect.configureConnector(name("deleted"), config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name("deleted"), 2, "tasks running");

            produce(connect, topic, PARTITIONS, 0, 20_000);
            waitFor(() -> emulator.rowCount(ConnectFixture.DB, "deleted") > 0, Duration.ofSeconds(60),
                    "loading started");
            connect.deleteConnector(name("deleted"));
            connect.assertions().assertConnectorDoesNotExist(name("deleted"), "connector deleted");

            // The delete call returns before the worker has stopped the tasks; once no thread of
            // theirs is left, no request may reach the target any more.
            waitFor(() -> liveThreads(TaskThreads.PREFIX + name("deleted") + "-").isEmpty(), Duration.ofSeconds(30),
                    "the deleted connector's threads to end");
            long requests = emulator.requestCount();
            assertNeverWithin(GRACE, () -> emulator.requestCount() != requests,
                    "a request reached the target after the connector was deleted");

            // Nothing lost: what was committed is stored, and a new connector of the same name
            // resumes from there and loads the rest.
            assertNull(committedPastStored(committedOffsets(connect, name("deleted")), storedIdCounts(emulator, "deleted")));
            connect.configureConnector(name("deleted"), config);
            waitFor(() -> committedOffsets(connect, name("deleted")).equals(uniformOffsets(PARTITIONS, 20_000)),
                    Duration.ofSeconds(120), "every offset committed by the re-created connector");
            assertNoIdMissing(emulator, "deleted", PARTITIONS, 20_000);
            connect.deleteConnector(name("deleted"));
        }
    }

    private StreamLoadEmulator emulator() {
        return ConnectFixture.emulator(dialect);
    }

    /** Connector and topic names are per dialect: the class runs once for each on one cluster. */
    private String name(String base) {
        return base + "-" + dialect.name().toLowerCase(java.util.Locale.ROOT);
    }

    private Map<String, String> sinkConfig(StreamLoadEmulator emulator, String topic, String table, int tasks) {
        return ConnectFixture.sinkConfig(emulator, dialect, topic, table, tasks);
    }
}
