package io.streamload.connect.txn;

import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.streamload.connect.buffer.PartitionRange;

/**
 * Reading the intent log for recovery, against a broker in the JVM: only the opened partitions'
 * entries are parsed, a later read takes only the log's tail, and whatever the order of opens the
 * result is what reading the whole log from its beginning gives, for logs written by this version
 * and by earlier ones (no header, one partition).
 */
class IntentLogTest {

    private static final String CONNECTOR = "sink";
    private static final Duration RETENTION = Duration.ofDays(3);
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final AtomicInteger LABELS = new AtomicInteger();
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void start() {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.stop();
    }

    @Test
    void onlyTheEntriesOfTheOpenedPartitionsAreParsed() throws Exception {
        String topic = logTopic();
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            for (int p = 0; p < 10; p++) {
                log.write(committed("c" + p, range(p, 0, 99)));
            }
            log.write(committed("c1and7", range(1, 100, 199), range(7, 100, 199)));
            log.write(committed("other-connector", "c1-of-other", range(1, 200, 299)));

            List<Intent> intents = log.read(CONNECTOR, List.of(tp(1)));

            assertEquals(List.of("c1", "c1and7"), labels(intents));
            IntentIndex.ReadStats stats = log.lastRead(CONNECTOR);
            assertEquals(12, stats.entriesRead(), "the log is read once from its beginning");
            assertEquals(2, stats.entriesParsed(), "the other partitions' and the other connector's entries "
                    + "are skipped unparsed");
        }
    }

    @Test
    void aSecondOpenReadsOnlyWhatTheLogGotSince() throws Exception {
        String topic = logTopic();
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            Intent begun = intent("a", Intent.State.BEGUN, range(0, 0, 9));
            log.write(begun);
            log.write(committed("b", range(0, 10, 19)));
            log.write(intent("c", Intent.State.PREPARED, range(0, 20, 29)));
            for (int i = 0; i < 50; i++) {
                log.write(committed("x" + i, range(5, i * 10L, i * 10L + 9)));
            }
            assertEquals(List.of("a", "b", "c"), labels(log.read(CONNECTOR, List.of(tp(0)))));
            assertEquals(53, log.lastRead(CONNECTOR).entriesRead());

            // Between the rebalances: "a" rolled back (a tombstone), "c" committed, "d" loaded.
            log.write(begun.with(Intent.State.ABORTED, 1));
            log.write(committed("c", range(0, 20, 29)));
            log.write(committed("d", range(0, 30, 39)));
            List<Intent> again = log.read(CONNECTOR, List.of(tp(0)));

            assertEquals(List.of("b", "c", "d"), labels(again));
            assertEquals(Intent.State.COMMITTED, again.get(1).state());
            assertEquals(3, log.lastRead(CONNECTOR).entriesRead(), "the tail only");
            assertFalse(log.lastRead(CONNECTOR).fromBeginning());

            log.read(CONNECTOR, List.of(tp(0)));
            assertEquals(0, log.lastRead(CONNECTOR).entriesRead(), "nothing new, nothing read");
        }
    }

    @Test
    void aPartitionOpenedLaterIsReadFromTheBeginningWithoutLosingTheOthers() throws Exception {
        String topic = logTopic();
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            log.write(committed("p0", range(0, 0, 9)));
            log.write(committed("p0and1", range(0, 10, 19), range(1, 0, 9)));
            log.write(committed("p1", range(1, 10, 19)));
            assertEquals(List.of("p0", "p0and1"), labels(log.read(CONNECTOR, List.of(tp(0)))));
            log.write(committed("p1-later", range(1, 20, 29)));
            log.write(committed("p0-later", range(0, 20, 29)));

            assertEquals(List.of("p0and1", "p1", "p1-later"), labels(log.read(CONNECTOR, List.of(tp(1)))));
            assertTrue(log.lastRead(CONNECTOR).fromBeginning());
            assertEquals(List.of("p0", "p0and1", "p0-later"), labels(log.read(CONNECTOR, List.of(tp(0)))),
                    "the partition opened first got the tail while the other was read from the beginning");
        }
    }

    /**
     * Random transactions (every state, tombstones, several partitions each), random opens and (on
     * one log partition) retention deleting the log's start, on one log: every read returns what a
     * reader of the whole log gives, as earlier versions read it.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void whateverTheOpensEveryReadIsWhatTheWholeLogGives(int logPartitions) throws Exception {
        String topic = logTopic();
        createLogTopic(topic, logPartitions);
        Random random = new Random(7L * logPartitions);
        Map<String, Intent> latest = new LinkedHashMap<>();
        // With one log partition: the offset of each key's latest entry.
        Map<String, Long> offsets = new HashMap<>();
        long written = 0;
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            for (int step = 0; step < 30; step++) {
                for (int w = random.nextInt(8); w > 0; w--) {
                    Intent intent = randomIntent(random, latest);
                    log.write(intent);
                    offsets.put(intent.key(), written++);
                    latest.remove(intent.key());
                    if (intent.state() != Intent.State.ABORTED) {
                        latest.put(intent.key(), intent);
                    }
                }
                if (logPartitions == 1 && random.nextInt(8) == 0) {
                    long start = written - random.nextInt(10);
                    try (Admin admin = kafka.createAdminClient()) {
                        admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(
                                Math.max(0, start)))).all().get();
                    }
                    latest.keySet().removeIf(key -> offsets.get(key) < start);
                }
                Set<TopicPartition> opened = new HashSet<>();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    opened.add(tp(random.nextInt(8)));
                }
                List<Intent> read = log.read(CONNECTOR, opened);
                List<Intent> expected = touching(latest.values(), opened);
                assertEquals(new HashSet<>(expected), new HashSet<>(read), "step " + step + ", opened " + opened);
                assertEquals(expected.size(), read.size(), "each transaction once");
                if (logPartitions == 1 && opened.size() == 1) {
                    assertEquals(expected, read, "in log order");
                }
                if (step % 10 == 9) {
                    try (IntentLog fresh = new IntentLog(client(), topic, RETENTION)) {
                        assertEquals(new HashSet<>(read), new HashSet<>(fresh.read(CONNECTOR, opened)),
                                "a task started now reads the same");
                    }
                }
            }
        }
    }

    @Test
    void aLogOfAnEarlierVersionWithoutHeadersIsRecovered() throws Exception {
        String topic = logTopic();
        createLogTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            // As earlier versions wrote it: key connector/label, the JSON value, no header.
            for (Intent intent : List.of(committed("old-0", range(0, 0, 9)), committed("old-1", range(1, 0, 9)),
                    committed("old-gone", range(0, 10, 19)), committed("old-01", range(0, 20, 29), range(1, 10, 19)))) {
                producer.send(new ProducerRecord<>(topic, key(intent), intent.toJson())).get();
            }
            producer.send(new ProducerRecord<>(topic, key(committed("old-gone", range(0, 10, 19))), null)).get();
        }
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            assertEquals(List.of("old-0", "old-01"), labels(log.read(CONNECTOR, List.of(tp(0)))));
            assertEquals(4, log.lastRead(CONNECTOR).entriesParsed(), "entries without the header are parsed");
            log.write(committed("new-0", range(0, 30, 39)));
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>(topic, key(committed("old-0", range(0, 0, 9))), null)).get();
            }
            assertEquals(List.of("old-01", "new-0"), labels(log.read(CONNECTOR, List.of(tp(0)))),
                    "an earlier version's tombstone (no header) still removes the entry it names");
            assertEquals(List.of("old-1", "old-01"), labels(log.read(CONNECTOR, List.of(tp(1)))));
        }
    }

    @Test
    void anEntryWrittenNowReadsAsEarlierVersionsReadIt() throws Exception {
        String topic = logTopic();
        Intent intent = committed("both", range(0, 0, 9), range(3, 5, 8));
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            log.write(intent);
        }
        ConsumerRecord<byte[], byte[]> record = readOne(topic);
        assertEquals(CONNECTOR + "/both", new String(record.key(), StandardCharsets.UTF_8));
        assertEquals(intent, Intent.fromJson(record.value()), "the value is the JSON earlier versions parse");
        assertNotNull(record.headers().lastHeader(SourcePartitions.HEADER));
        assertEquals("t:0,3", new String(record.headers().lastHeader(SourcePartitions.HEADER).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void whatRetentionDeletedIsForgottenAsAReaderFromTheBeginningWouldNotSeeIt() throws Exception {
        String topic = logTopic();
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            log.write(committed("expired", range(0, 0, 9)));
            log.write(committed("kept", range(0, 10, 19)));
            assertEquals(List.of("expired", "kept"), labels(log.read(CONNECTOR, List.of(tp(0)))));
            try (Admin admin = kafka.createAdminClient()) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(1))).all().get();
            }
            assertEquals(List.of("kept"), labels(log.read(CONNECTOR, List.of(tp(0)))));
        }
    }

    @Test
    void aLogDeletedAndCreatedAgainIsReadAgainFromItsBeginning() throws Exception {
        String topic = logTopic();
        try (IntentLog log = new IntentLog(client(), topic, RETENTION)) {
            for (int i = 0; i < 3; i++) {
                log.write(committed("gone-" + i, range(0, i * 10L, i * 10L + 9)));
            }
            assertEquals(List.of("gone-0", "gone-1", "gone-2"), labels(log.read(CONNECTOR, List.of(tp(0)))));
            try (Admin admin = kafka.createAdminClient()) {
                admin.deleteTopics(List.of(topic)).all().get();
            }
            Intent now = committed("now", range(0, 0, 9));
            // Creating it again is refused while the broker still deletes it.
            waitFor(() -> {
                try {
                    createLogTopic(topic, 1);
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false;
                }
            }, Duration.ofSeconds(30), "the log topic created again once its deletion ended");
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>(topic, key(now), now.toJson())).get();
            }
            assertEquals(List.of("now"), labels(log.read(CONNECTOR, List.of(tp(0)))));
        }
    }

    private static Intent randomIntent(Random random, Map<String, Intent> latest) {
        if (!latest.isEmpty() && random.nextInt(3) == 0) {
            // The next state of a transaction already in the log.
            List<Intent> known = new ArrayList<>(latest.values());
            Intent before = known.get(random.nextInt(known.size()));
            Intent.State next = Intent.State.values()[1 + random.nextInt(3)];
            return before.with(next, 100 + random.nextInt(100));
        }
        List<PartitionRange> ranges = new ArrayList<>();
        int first = random.nextInt(8);
        int count = 1 + random.nextInt(3);
        for (int p = first; p < Math.min(8, first + count); p++) {
            long offset = random.nextInt(10_000);
            ranges.add(range(p, offset, offset + random.nextInt(100)));
        }
        String connector = random.nextInt(10) == 0 ? "other" : CONNECTOR;
        String label = "l" + LABELS.incrementAndGet();
        return new Intent(connector, label, "db.t", -1, Intent.State.BEGUN, ranges,
                Map.of("t", "AAAAAAAAAAAAAAAAAAAAAQ"));
    }

    private static List<Intent> touching(Collection<Intent> intents, Set<TopicPartition> opened) {
        List<Intent> touching = new ArrayList<>();
        for (Intent intent : intents) {
            if (intent.connector().equals(CONNECTOR)
                    && intent.ranges().stream().anyMatch(range -> opened.contains(range.partition()))) {
                touching.add(intent);
            }
        }
        return touching;
    }

    private static ConsumerRecord<byte[], byte[]> readOne(String topic) {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    return record;
                }
            }
        }
        throw new AssertionError("nothing in " + topic);
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Map<String, Object> config = new HashMap<>(client());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /** A log topic as an earlier version creates it (one partition), or as an operator may (several). */
    private static void createLogTopic(String topic, int partitions) throws Exception {
        try (Admin admin = kafka.createAdminClient()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete")))).all().get();
        }
    }

    private static byte[] key(Intent intent) {
        return intent.key().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> labels(List<Intent> intents) {
        return intents.stream().map(Intent::label).toList();
    }

    private static Intent committed(String label, PartitionRange... ranges) {
        return intent(label, Intent.State.COMMITTED, ranges);
    }

    private static Intent committed(String connector, String label, PartitionRange... ranges) {
        return new Intent(connector, label, "db.t", 42, Intent.State.COMMITTED, List.of(ranges), Map.of());
    }

    private static Intent intent(String label, Intent.State state, PartitionRange... ranges) {
        return new Intent(CONNECTOR, label, "db.t", 42, state, List.of(ranges), Map.of());
    }

    private static PartitionRange range(int partition, long first, long last) {
        return new PartitionRange(tp(partition), first, last);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }

    private static String logTopic() {
        return "intent-log-" + TOPICS.incrementAndGet();
    }

    private static Map<String, Object> client() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }
}
