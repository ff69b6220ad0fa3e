package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertEveryIdExactlyOnce;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.testing.Conditions.waitFor;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * The worker commits only the offsets {@code preCommit()} returns, and a commit can fail (the
 * broker briefly unreachable, the group coordinator moving, a commit slower than
 * {@code offset.flush.timeout.ms}). The worker then keeps its last committed offsets: offsets a
 * task handed over once and never again stay uncommitted until more records of their partition
 * come, on a quiet topic for good, and a restart loads those records again.
 *
 * <p>The topic lives on a Kafka cluster of its own (the connector's consumer points there), so
 * that its broker can go down while the worker's own cluster, and with it the running task,
 * stays up. The broker is down exactly when a load's offsets are first handed to the worker.
 */
class FailedOffsetCommitIT {

    private static final String CONNECTOR = "failed-commit";
    private static final String TOPIC = "failed-commit";
    private static final String TABLE = "failed_commit";
    private static final int RECORDS = 100;

    @Test
    void offsetsWhoseCommitFailedAreCommittedOnceTheBrokerIsBack() throws Exception {
        EmbeddedConnectCluster connect = ConnectFixture.cluster("failed-commit-it", 1).build();
        // One broker: it comes back on the port it had, so the consumer finds it after its restart.
        EmbeddedKafkaCluster data = new EmbeddedKafkaCluster(1, new Properties());
        connect.start();
        data.start();
        try (StreamLoadEmulator emulator = ConnectFixture.emulator(Dialect.STARROCKS)) {
            ConnectFixture.createTable(emulator, TABLE);
            data.createTopic(TOPIC, 1);
            produce(data, TOPIC, 1, 0, RECORDS);
            Map<String, String> config = ConnectFixture.sinkConfig(emulator, TOPIC, TABLE, 1);
            config.put("consumer.override.bootstrap.servers", data.bootstrapServers());
            connect.configureConnector(CONNECTOR, config);
            waitFor(() -> committedOffsets(data, CONNECTOR).equals(Map.of(0, (long) RECORDS)),
                    Duration.ofSeconds(60), "the first records committed");

            // The next records reach the task while the target is down, so their load waits.
            emulator.stopFe();
            double retriesBefore = taskMetric("streamload-sink-task-metrics", "load-retries-total");
            produce(data, TOPIC, 1, RECORDS, RECORDS);
            waitFor(() -> taskMetric("streamload-sink-task-metrics", "load-retries-total") > retriesBefore,
                    Duration.ofSeconds(60), "a load of the next records attempted against the stopped target");

            // Then the broker goes, the target comes back, the load is confirmed, and the worker's
            // commit of its offsets fails.
            data.stopOnlyBrokers();
            emulator.startFe();
            waitFor(() -> emulator.rowCount(ConnectFixture.DB, TABLE) == 2 * RECORDS, Duration.ofSeconds(60),
                    "the next records loaded once the target is back");
            waitFor(() -> taskMetric("connector-task-metrics", "offset-commit-failure-percentage") > 0,
                    Duration.ofSeconds(60), "a commit failed while the broker was down");

            data.restartOnlyBrokers();
            waitFor(() -> committedOffsets(data, CONNECTOR).equals(Map.of(0, 2L * RECORDS)),
                    Duration.ofSeconds(60), "the offsets whose commit failed committed once the broker is back");
            assertEveryIdExactlyOnce(emulator, TABLE, 1, 2 * RECORDS);
        } finally {
            connect.stop();
            data.stop();
        }
    }

    /** A metric of the connector's task from the worker's JMX, 0 while the task has none. */
    private static double taskMetric(String type, String attribute) throws JMException {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName task = new ObjectName("kafka.connect:type=" + type + ",connector=" + CONNECTOR + ",task=0");
        return jmx.isRegistered(task) ? ((Number) jmx.getAttribute(task, attribute)).doubleValue() : 0;
    }
}
