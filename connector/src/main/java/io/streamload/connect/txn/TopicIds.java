package io.streamload.connect.txn;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.PartitionRange;

/**
 * The Kafka topic id of each topic the task reads, as the intent log's cluster tells it. Offsets
 * alone do not name records: a topic deleted and created again starts again at offset 0 with other
 * records, under the same name but another id. Intents record the id of each topic they carry, so
 * recovery can tell the transactions of an earlier generation of a topic from those of the current
 * one.
 *
 * <p>The ids are asked for at every {@code open()} (a topic created again comes back to the task
 * through a rebalance, so through {@code open()}). A topic the log's cluster cannot describe (the
 * log lives on another cluster than the topics, or its client may not describe them) has no id:
 * its intents carry none and it is recovered by offsets alone, as before ids were recorded; a
 * WARN says so once per topic and reason.
 */
final class TopicIds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicIds.class);
    static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> clientConfig;
    /** Topic name to id, of the topics described at their latest open(); read by the load threads. */
    private final Map<String, String> current = new ConcurrentHashMap<>();
    /** Topic and reason of each WARN already given. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Created at the first open(); open() and close() run on the task's thread. */
    private Admin admin;

    /** @param clientConfig bootstrap servers and any security settings of the intent log's cluster */
    TopicIds(Map<String, Object> clientConfig) {
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** Asks the intent log's cluster for the current id of the topics of {@code partitions}. */
    void refresh(Collection<TopicPartition> partitions) {
        Map<String, Integer> highestPartition = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            highestPartition.merge(partition.topic(), partition.partition(), Math::max);
        }
        if (highestPartition.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<TopicDescription>> descriptions;
        try {
            descriptions = admin().describeTopics(highestPartition.keySet(),
                    new DescribeTopicsOptions().timeoutMs((int) DESCRIBE_TIMEOUT.toMillis())).topicNameValues();
        } catch (KafkaException e) {
            highestPartition.keySet().forEach(topic -> unknown(topic, Reason.FAILED, e.toString()));
            return;
        }
        for (Map.Entry<String, Integer> entry : highestPartition.entrySet()) {
            String topic = entry.getKey();
            try {
                TopicDescription description = descriptions.get(topic)
                        .get(DESCRIBE_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                Uuid id = description.topicId();
                if (id == null || Uuid.ZERO_UUID.equals(id)) {
                    unknown(topic, Reason.NO_IDS, "the intent log's cluster tells no topic ids (brokers before Kafka 2.8)");
                } else if (description.partitions().size() <= entry.getValue()) {
                    // Not the topic the task reads: a same-named one with fewer partitions.
                    unknown(topic, Reason.NOT_THERE, "the topic of that name on the intent log's cluster has only "
                            + description.partitions().size() + " partition(s), the task reads partition "
                            + entry.getValue() + ": the intent log is on another cluster than the topic");
                } else {
                    String previous = current.put(topic, id.toString());
                    if (previous != null && !previous.equals(id.toString())) {
                        log.info("Topic {} was deleted and created again: its id was {}, it is now {}", topic,
                                previous, id);
                    }
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UnknownTopicOrPartitionException) {
                    unknown(topic, Reason.NOT_THERE, "the intent log's cluster has no topic of that name: the intent "
                            + "log is on another cluster than the topic");
                } else if (cause instanceof TopicAuthorizationException) {
                    unknown(topic, Reason.DENIED, "the intent log's client may not describe it; grant it DESCRIBE on "
                            + "the topics the connector reads");
                } else {
                    unknown(topic, Reason.FAILED, "describing it on the intent log's cluster failed: " + cause);
                }
            } catch (TimeoutException e) {
                unknown(topic, Reason.FAILED, "the intent log's cluster did not describe it within "
                        + DESCRIBE_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unknown(topic, Reason.FAILED, "interrupted while describing it");
                return;
            }
        }
    }

    /** The current id of {@code topic}, when its latest open() could learn it. */
    Optional<String> current(String topic) {
        return Optional.ofNullable(current.get(topic));
    }

    /** The known ids of the topics of {@code ranges}, for an intent. */
    Map<String, String> of(List<PartitionRange> ranges) {
        Map<String, String> ids = new TreeMap<>();
        for (PartitionRange range : ranges) {
            String id = current.get(range.partition().topic());
            if (id != null) {
                ids.put(range.partition().topic(), id);
            }
        }
        return ids;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientConfig);
        }
        return admin;
    }

    /**
     * No id for {@code topic}: an id learned at an earlier open() may belong to a topic since
     * deleted, so it is dropped too.
     */
    private void unknown(String topic, Reason reason, String why) {
        current.remove(topic);
        if (!warned.add(topic + '\u0000' + reason)) {
            return;
        }
        String remedy = switch (reason) {
            case NOT_THERE -> "Put the intent log on the Kafka cluster the connector reads "
                    + "(exactly.once.log.bootstrap.servers) to have it told apart.";
            case DENIED -> "Grant the intent log's client DESCRIBE on the topic to have it told apart.";
            case NO_IDS -> "Upgrade the intent log's cluster to have it told apart.";
            case FAILED -> "The next open() of its partitions asks again.";
        };
        log.warn("Exactly-once cannot tell topic {} from an earlier topic of the same name (deleted and created "
                + "again): {}. Its transactions are recovered by their offsets alone, so if the topic is created again, "
                + "its new records at offsets that transactions of the old one loaded are skipped. {}", topic, why,
                remedy);
    }

    private enum Reason { NOT_THERE, DENIED, NO_IDS, FAILED }
}
