package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.PARTITION_STRIDE;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.ConnectFixture.storedIdCounts;
import static io.streamload.connect.ConnectFixture.uniformOffsets;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * A topic deleted and created again while the target still remembers the labels of its first
 * generation (StarRocks keeps them 3 days): the connector, created again under the same name,
 * reads the new records from the same offsets. Every record of both generations must be stored,
 * exactly once, in both delivery modes.
 */
class TopicRecreatedIT {

    private static final int PARTITIONS = 2;
    private static final int PER_PARTITION = 3_000;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("topic-recreated-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"at_least_once", "exactly_once"})
    void everyRecordOfBothGenerationsIsStored(String guarantee) throws Exception {
        String name = "recreated-" + guarantee.replace('_', '-');
        String table = "recreated_" + guarantee;
        try (StreamLoadEmulator emulator = ConnectFixture.emulator(Dialect.STARROCKS)) {
            ConnectFixture.createTable(emulator, table);
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, name, table, 1);
            config.put("buffer.max.records", "1000");
            config.put("delivery.guarantee", guarantee);
            config.put("exactly.once.log.bootstrap.servers", connect.kafka().bootstrapServers());

            connect.kafka().createTopic(name, PARTITIONS);
            runUntilCommitted(name, config, () -> produce(connect, name, PARTITIONS, 0, PER_PARTITION));
            connect.deleteConnector(name);
            connect.assertions().assertConnectorDoesNotExist(name, "connector deleted");

            recreateTopic(name);
            // The second generation: other records (ids from PER_PARTITION on) at the same offsets.
            runUntilCommitted(name, config, () -> produce(connect, name, PARTITIONS, PER_PARTITION, PER_PARTITION));

            Map<Long, Integer> counts = storedIdCounts(emulator, table);
            List<Long> wrong = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (long index = 0; index < 2L * PER_PARTITION; index++) {
                    long id = partition * PARTITION_STRIDE + index;
                    if (counts.getOrDefault(id, 0) != 1) {
                        wrong.add(id);
                    }
                }
            }
            assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())),
                    wrong.size() + " ids not stored exactly once");
            assertEquals(2L * PARTITIONS * PER_PARTITION, emulator.rowCount(ConnectFixture.DB, table),
                    "nothing else stored");
            connect.deleteConnector(name);
        }
    }

    private static void runUntilCommitted(String name, Map<String, String> config, Runnable produce)
            throws InterruptedException {
        connect.configureConnector(name, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "task running");
        produce.run();
        waitFor(() -> committedOffsets(connect, name).equals(uniformOffsets(PARTITIONS, PER_PARTITION)),
                Duration.ofSeconds(120), "every offset committed");
    }

    private static void recreateTopic(String topic) throws InterruptedException {
        try (Admin admin = connect.kafka().createAdminClient()) {
            admin.deleteTopics(List.of(topic)).all().get();
            waitFor(() -> !admin.listTopics().names().get().contains(topic), Duration.ofSeconds(30), "topic deleted");
            waitFor(() -> {
                try {
                    admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, PARTITIONS, (short) 1)))
                            .all().get();
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                        return false;
                    }
                    throw e;
                }
            }, Duration.ofSeconds(30), "topic created again");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not recreate " + topic, e);
        }
    }
}
