package io.streamload.connect.txn;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record of what the connector's transactions are doing: a compacted Kafka topic the
 * connector owns, one key per transaction, its latest state winning. It stays small: an aborted
 * transaction is written as a tombstone (recovery has nothing to do for it), and entries older
 * than the retention (the target's label retention: beyond it recovery cannot use them) are
 * deleted by Kafka. A write that matters for
 * recovery (begun, prepared) is acknowledged by all in-sync replicas before the next step; the
 * final state (committed, aborted) is written without waiting, since recovery can ask the target
 * about a transaction it last saw prepared.
 *
 * <p>Each entry carries a {@link SourcePartitions} header naming the partitions its transaction
 * carries, so that recovery parses only the entries of the partitions it opens; the key and the
 * JSON value are what earlier versions write and read. What recovery has read is kept
 * ({@link IntentIndex}): a later {@code open()} reads only the entries written since.
 */
final class IntentLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IntentLog.class);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, Object> clientConfig;
    private final String topic;
    private final Duration retention;
    private final KafkaProducer<byte[], byte[]> producer;
    /** Guards the reader: the consumer and what it has read, per connector. */
    private final Object reading = new Object();
    private KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, IntentIndex> indexes = new HashMap<>();

    /**
     * @param clientConfig bootstrap servers and any security settings of the log's cluster
     * @param retention how long entries are kept, when this creates the topic
     */
    IntentLog(Map<String, Object> clientConfig, String topic, Duration retention) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.topic = topic;
        this.retention = retention;
        ensureTopic();
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(config);
    }

    /** Writes and waits until the log's replicas have it. */
    void write(Intent intent) throws InterruptedException {
        try {
            producer.send(record(intent)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConnectException("Could not write the transaction intent of label " + intent.label()
                    + " to the intent log topic " + topic + ": " + e + ". Exactly-once needs it; check "
                    + "exactly.once.log.bootstrap.servers and that the topic accepts writes", e);
        }
    }

    /** Writes without waiting. */
    void writeLater(Intent intent) {
        producer.send(record(intent), (metadata, error) -> {
            if (error != null) {
                log.warn("Intent {} of label {} not written to {}: {}; recovery will ask the target instead",
                        intent.state(), intent.label(), topic, error.toString());
            }
        });
    }

    /**
     * The latest intent of every transaction of {@code connector} that carries records of
     * {@code partitions}, each once. The first read of a partition reads the log from its
     * beginning, parsing only the entries of the partitions asked for; what was read is kept, so
     * a later read of the same partitions reads only what the log got since (see
     * {@link IntentIndex}).
     *
     * <p>For {@code open()}, on the task's thread.
     */
    List<Intent> read(String connector, Collection<TopicPartition> partitions) {
        synchronized (reading) {
            IntentIndex index = indexes.computeIfAbsent(connector, IntentIndex::new);
            try {
                long started = System.nanoTime();
                List<Intent> intents = index.read(consumer(), topic, partitions, READ_TIMEOUT);
                IntentIndex.ReadStats stats = index.lastRead();
                log.debug("{}: read {} entries of {} ({} parsed{}) in {} ms for {} partitions; {} intents", connector,
                        stats.entriesRead(), topic, stats.entriesParsed(),
                        stats.fromBeginning() ? ", from the beginning for partitions opened the first time" : "",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), partitions.size(),
                        intents.size());
                return intents;
            } catch (RuntimeException e) {
                // Half applied: the next read starts again from the beginning, with a new consumer.
                indexes.remove(connector);
                closeConsumer();
                throw e;
            }
        }
    }

    /** What the latest read of {@code connector} did. */
    IntentIndex.ReadStats lastRead(String connector) {
        synchronized (reading) {
            IntentIndex index = indexes.get(connector);
            return index == null ? null : index.lastRead();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        synchronized (reading) {
            closeConsumer();
            indexes.clear();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            // The log is read from its beginning at a task's first open(): large fetches, few polls.
            config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
            config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
            config.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
            consumer = new KafkaConsumer<>(config);
        }
        return consumer;
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                // Assigned, in no group: nothing to leave, it closes at once. (No CloseOptions: the
                // worker's Kafka clients may be older than 4.1.)
                consumer.close();
            } catch (RuntimeException e) {
                log.debug("Closing the intent log reader: {}", e.toString());
            }
            consumer = null;
        }
    }

    private ProducerRecord<byte[], byte[]> record(Intent intent) {
        byte[] value = intent.state() == Intent.State.ABORTED ? null : intent.toJson();
        // Read by recovery to skip the entries of other partitions unparsed; earlier versions ignore it.
        List<Header> headers = List.of(new RecordHeader(SourcePartitions.HEADER,
                SourcePartitions.encode(intent.ranges())));
        return new ProducerRecord<>(topic, null, intent.key().getBytes(StandardCharsets.UTF_8), value, headers);
    }

    /** Creates the topic when it does not exist: compacted, and deleted after the retention. */
    private void ensureTopic() {
        try (Admin admin = Admin.create(clientConfig)) {
            NewTopic newTopic = new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
            admin.createTopics(List.of(newTopic)).all().get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created the intent log topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ConnectException("Could not create the intent log topic " + topic + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new ConnectException("The intent log's cluster did not answer within " + READ_TIMEOUT.toSeconds()
                    + " s; check exactly.once.log.bootstrap.servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while creating the intent log topic", e);
        }
    }
}
