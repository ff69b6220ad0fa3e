package io.streamload.warnings.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a DLQ topic from the beginning to its current end, every partition, without a consumer
 * group: inspecting must not move anyone's committed offsets.
 */
public final class DlqTopicReader {
    private final Properties consumerConfig;
    private final Duration timeout;

    /** {@code extraConfig} carries security settings (SASL, TLS) from the user's consumer config file. */
    public DlqTopicReader(String bootstrapServers, Properties extraConfig, Duration timeout) {
        this.consumerConfig = new Properties();
        consumerConfig.putAll(extraConfig);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.timeout = timeout;
    }

    /** Hands each record to {@code sink} in partition order, at most {@code maxRecords}; returns the count. */
    public long read(String topic, long maxRecords, Consumer<DlqRecord> sink) {
        return readRaw(topic, maxRecords, record -> sink.accept(toDlqRecord(record)));
    }

    /**
     * The same records as Kafka returned them: header values stay bytes, which replaying needs
     * (a header need not be text).
     */
    public long readRaw(String topic, long maxRecords, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            return readRaw(consumer, topic, maxRecords, sink);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read the topic '" + topic + "' from "
                    + consumerConfig.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + " within " + timeout + ": "
                    + e.getMessage(), e);
        }
    }

    private long readRaw(KafkaConsumer<byte[], byte[]> consumer, String topic, long maxRecords,
                         Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("the topic " + topic + " does not exist or has no partitions");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, remaining(deadline));
        long count = 0;
        while (count < maxRecords && !reachedEnd(consumer, end, deadline)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("reading " + topic + " took longer than " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (count >= maxRecords || record.offset() >= end.getOrDefault(
                        new TopicPartition(record.topic(), record.partition()), Long.MAX_VALUE)) {
                    continue;
                }
                sink.accept(record);
                count++;
            }
        }
        return count;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(), deadline - System.nanoTime()));
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                                      long deadline) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), remaining(deadline)) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The readable view of a raw record: header values as UTF-8 text. */
    public static DlqRecord toDlqRecord(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        headers.values().removeIf(v -> v == null);
        return new DlqRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }
}
