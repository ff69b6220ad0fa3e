package io.streamload.warnings.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.streamload.warnings.dlq.DlqRecord;
import io.streamload.warnings.dlq.DlqTopicReader;

/**
 * {@code dlq replay} against a real broker: the selected DLQ records come back on the target
 * topic with their original key, value and (binary) headers, and without Connect's error headers.
 */
class DlqReplayIT {
    /** A header that is not UTF-8, which must survive byte for byte. */
    private static final byte[] TRACE = {(byte) 0xff, 0x00, 0x7f, (byte) 0xc3};
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startBroker() {
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.stop();
    }

    @Test
    void replaysTheSelectedRecordsWithTheirOriginalKeyValueAndHeaders() throws Exception {
        kafka.createTopic("replay-dlq", 1);
        kafka.createTopic("replay-orders", 2);
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            producer.send(dlqRecord("replay-dlq", "k1", "{\"id\":1,\"customer\":null}", 0, 10,
                    "StarRocks rejected the row: NULL value in non-nullable column 'customer'")).get();
            producer.send(dlqRecord("replay-dlq", "k2", "{\"id\":2,\"customer\":\"a-very-long-name\"}", 1, 11,
                    "StarRocks rejected the row: String 'a-very-long-name' is too long")).get();
            producer.send(dlqRecord("replay-dlq", null, "{\"id\":3,\"customer\":\"another-long-name\"}", 0, 12,
                    "StarRocks rejected the row: String 'another-long-name' is TOO LONG")).get();
        }

        Output dryRun = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic",
                "replay-dlq", "--to-topic", "replay-orders", "--filter", "reason=too long", "--dry-run");
        assertEquals(0, dryRun.exit, dryRun.err);
        assertTrue(dryRun.out.contains("Dry run: would replay 2 of 3 records from replay-dlq to replay-orders"), dryRun.out);
        assertEquals(List.of(), read("replay-orders"), "a dry run sends nothing");

        Output replay = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic",
                "replay-dlq", "--to-topic", "replay-orders", "--filter", "reason=too long");
        assertEquals(0, replay.exit, replay.err);
        assertTrue(replay.out.contains("Replayed 2 of 3 records from replay-dlq to replay-orders"), replay.out);

        List<ConsumerRecord<byte[], byte[]>> replayed = read("replay-orders");
        assertEquals(2, replayed.size());
        replayed.sort((a, b) -> new String(a.value(), StandardCharsets.UTF_8).compareTo(new String(b.value(), StandardCharsets.UTF_8)));
        assertEquals("k2", new String(replayed.get(0).key(), StandardCharsets.UTF_8));
        assertEquals("{\"id\":2,\"customer\":\"a-very-long-name\"}", new String(replayed.get(0).value(), StandardCharsets.UTF_8));
        assertNull(replayed.get(1).key());
        assertEquals("{\"id\":3,\"customer\":\"another-long-name\"}", new String(replayed.get(1).value(), StandardCharsets.UTF_8));
        for (ConsumerRecord<byte[], byte[]> record : replayed) {
            assertArrayEquals(TRACE, record.headers().lastHeader("trace-id").value());
            record.headers().forEach(h -> assertTrue(!h.key().startsWith("__connect.errors."), h.key()));
        }
    }

    @Test
    void aTargetTopicThatDoesNotExistIsAnErrorNamingItWithinTheTimeout() throws Exception {
        kafka.createTopic("lost-dlq", 1);
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            for (int i = 0; i < 5; i++) {
                producer.send(dlqRecord("lost-dlq", "k" + i, "{\"id\":" + i + "}", 0, i, "too long")).get();
            }
        }
        // Without the check, each record's send waited for the missing topic's metadata for a minute.
        Output output = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long start = System.nanoTime();
            Output result = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic",
                    "lost-dlq", "--to-topic", "no-such-orders", "--timeout", "10s");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                    "ended within --timeout");
            return result;
        });
        assertEquals(1, output.exit, output.err);
        assertTrue(output.err.contains("the topic 'no-such-orders' does not exist on " + kafka.bootstrapServers()),
                output.err);
        assertTrue(output.err.contains("check --to-topic"), output.err);
        try (Admin admin = kafka.createAdminClient()) {
            assertFalse(admin.listTopics().names().get().contains("no-such-orders"), "the check does not create it");
        }

        Output dryRun = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic",
                "lost-dlq", "--to-topic", "no-such-orders", "--dry-run");
        assertEquals(1, dryRun.exit, dryRun.err);
        assertTrue(dryRun.err.contains("'no-such-orders' does not exist"), dryRun.err);
    }

    @Test
    void replayingIntoTheDlqItselfIsRefused() {
        Output output = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic", "x-dlq",
                "--to-topic", "x-dlq");
        assertEquals(2, output.exit);
        assertTrue(output.err.contains("--to-topic must differ from --from-topic"), output.err);
    }

    @Test
    void aBadFilterSaysWhatIsAccepted() {
        Output output = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic", "x-dlq",
                "--to-topic", "x", "--filter", "color=red");
        assertEquals(2, output.exit);
        assertTrue(output.err.contains("unknown key 'color'; use reason=TEXT, topic=T, partition=N"), output.err);
    }

    private static ProducerRecord<byte[], byte[]> dlqRecord(String topic, String key, String value, int partition,
                                                            long offset, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", TRACE);
        headers.add(DlqRecord.ORIGINAL_TOPIC, "orders".getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.ORIGINAL_PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.ORIGINAL_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.EXCEPTION_MESSAGE, reason.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, 0, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        new DlqTopicReader(kafka.bootstrapServers(), new Properties(), java.time.Duration.ofSeconds(30))
                .readRaw(topic, Long.MAX_VALUE, records::add);
        return records;
    }

    private record Output(int exit, String out, String err) {
    }

    private static Output cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WarningsReporterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new CountDownLatch(0));
        return new Output(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
