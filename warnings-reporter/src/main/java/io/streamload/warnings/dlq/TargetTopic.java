package io.streamload.warnings.dlq;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks that the topic {@code dlq replay} writes to exists, before anything is read or sent.
 *
 * <p>Why ask first: a producer sending to a topic that does not exist (on a broker that does not
 * create topics) waits for its metadata up to {@code max.block.ms} for every record, so a replay
 * of a few records to a mistyped topic ran for many minutes and then said nothing about the name.
 * The admin client's describe answers at once, and never creates the topic.
 */
public final class TargetTopic {

    private TargetTopic() {
    }

    /**
     * @param clientConfig the user's client settings (security); keys the admin client does not
     *                     know are left out
     * @throws IllegalStateException naming the topic when it does not exist or the check did not
     *                               finish within {@code timeout}
     */
    public static void requireExists(String bootstrapServers, Properties clientConfig, String topic, Duration timeout)
            throws InterruptedException {
        Properties config = new Properties();
        clientConfig.stringPropertyNames().stream().filter(AdminClientConfig.configNames()::contains)
                .forEach(key -> config.put(key, clientConfig.getProperty(key)));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
        try (Admin admin = Admin.create(config)) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(millis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new IllegalStateException("the topic '" + topic + "' does not exist on " + bootstrapServers
                            + ": create it, or check --to-topic");
                }
                throw new IllegalStateException("cannot check the topic '" + topic + "' on " + bootstrapServers + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " did not say within " + timeout
                        + " whether the topic '" + topic + "' exists");
            } finally {
                admin.close(Duration.ZERO);
            }
        }
    }
}
