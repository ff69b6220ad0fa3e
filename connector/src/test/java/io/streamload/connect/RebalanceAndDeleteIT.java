package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertNoIdMissing;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.committedPastStored;
import static io.streamload.connect.ConnectFixture.createTable;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.ConnectFixture.sinkConfig;
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

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * Changes of the worker set and of the connector while records flow: tasks move to a new worker
 * (their partitions are closed on one and opened on the other) and the connector is deleted. No
 * record may be lost, and nothing may reach the target once the deleted connector's tasks are gone.
 */
class RebalanceAndDeleteIT {

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
            String topic = "rebalance";
            connect.kafka().createTopic(topic, PARTITIONS);
            createTable(emulator, "rebalance");
            Map<String, String> config = sinkConfig(emulator, topic, "rebalance", 4);
            config.put("buffer.max.records", "1000");
            connect.configureConnector("rebalance", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("rebalance", 4, "tasks running");

            produce(connect, topic, PARTITIONS, 0, 10_000);
            waitFor(() -> emulator.rowCount(ConnectFixture.DB, "rebalance") > 0, Duration.ofSeconds(60),
                    "loading started");
            connect.addWorker();
            produce(connect, topic, PARTITIONS, 10_000, 10_000);
            connect.assertions().assertAtLeastNumWorkersAreUp(2, "second worker up");
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("rebalance", 4, "tasks running");

            waitFor(() -> committedOffsets(connect, "rebalance").equals(uniformOffsets(PARTITIONS, 20_000)),
                    Duration.ofSeconds(120), "every offset committed");
            assertNoIdMissing(emulator, "rebalance", PARTITIONS, 20_000);
            connect.deleteConnector("rebalance");
            connect.assertions().assertConnectorDoesNotExist("rebalance", "connector deleted");
        }
    }

    @Test
    void aConnectorDeletedMidStreamStopsTalkingToTheTargetAndLosesNothing() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            String topic = "deleted";
            connect.kafka().createTopic(topic, PARTITIONS);
            createTable(emulator, "deleted");
            Map<String, String> config = sinkConfig(emulator, topic, "deleted", 2);
            config.put("buffer.max.records", "500");
            connect.configureConnector("deleted", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("deleted", 2, "tasks running");

            produce(connect, topic, PARTITIONS, 0, 20_000);
            waitFor(() -> emulator.rowCount(ConnectFixture.DB, "deleted") > 0, Duration.ofSeconds(60),
                    "loading started");
            connect.deleteConnector("deleted");
            connect.assertions().assertConnectorDoesNotExist("deleted", "connector deleted");

            // The delete call returns before the worker has stopped the tasks; once no thread of
            // theirs is left, no request may reach the target any more.
            waitFor(() -> liveThreads(TaskThreads.PREFIX + "deleted-").isEmpty(), Duration.ofSeconds(30),
                    "the deleted connector's threads to end");
            long requests = emulator.requestCount();
            assertNeverWithin(GRACE, () -> emulator.requestCount() != requests,
                    "a request reached the target after the connector was deleted");

            // Nothing lost: what was committed is stored, and a new connector of the same name
            // resumes from there and loads the rest.
            assertNull(committedPastStored(committedOffsets(connect, "deleted"), storedIdCounts(emulator, "deleted")));
            connect.configureConnector("deleted", config);
            waitFor(() -> committedOffsets(connect, "deleted").equals(uniformOffsets(PARTITIONS, 20_000)),
                    Duration.ofSeconds(120), "every offset committed by the re-created connector");
            assertNoIdMissing(emulator, "deleted", PARTITIONS, 20_000);
            connect.deleteConnector("deleted");
        }
    }

    private static StreamLoadEmulator emulator() {
        return StreamLoadEmulator.builder().dialect(Dialect.STARROCKS)
                .credentials(ConnectFixture.USER, ConnectFixture.PASSWORD).start();
    }
}
