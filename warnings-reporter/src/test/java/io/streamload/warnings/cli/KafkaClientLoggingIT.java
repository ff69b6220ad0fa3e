package io.streamload.warnings.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.streamload.warnings.dlq.DlqRecord;

/**
 * The CLI as people run it, {@code java -jar target/warnings-reporter.jar} in its own JVM (slf4j-simple
 * takes its levels once, at the first logger, so only a fresh JVM shows what a user sees): the Kafka
 * clients' INFO logging (the ~130 lines of ConsumerConfig/ProducerConfig values, connection chatter)
 * stays off stderr unless {@code --verbose}, and the CLI's own output and errors stay.
 */
class KafkaClientLoggingIT {
    private static final Path JAR = Path.of("target", "warnings-reporter.jar");
    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerWithOneDlqRecord() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: it is built by `mvn package`, before the *IT tests run");
        kafka = new EmbeddedKafkaCluster(1, new Properties());
        kafka.start();
        kafka.createTopic("logging-dlq", 1);
        kafka.createTopic("logging-orders", 1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DlqRecord.ORIGINAL_TOPIC, "logging-orders".getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.ORIGINAL_PARTITION, "0".getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.ORIGINAL_OFFSET, "7".getBytes(StandardCharsets.UTF_8));
        headers.add(DlqRecord.EXCEPTION_MESSAGE, "value too long".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> producer = kafka.createProducer(Map.of())) {
            producer.send(new ProducerRecord<>("logging-dlq", 0, "k".getBytes(StandardCharsets.UTF_8),
                    "{\"id\":7}".getBytes(StandardCharsets.UTF_8), headers)).get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void kafkaInfoLoggingOnlyWithVerbose() throws Exception {
        Cli show = cli("dlq", "show", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "logging-dlq");
        assertEquals(0, show.exit, show.err);
        assertTrue(show.out.contains("reason: value too long") && show.out.contains("1 record in logging-dlq"), show.out);
        assertNoKafkaInfo(show);

        Cli replay = cli("dlq", "replay", "--bootstrap-servers", kafka.bootstrapServers(), "--from-topic", "logging-dlq",
                "--to-topic", "logging-orders");
        assertEquals(0, replay.exit, replay.err);
        assertTrue(replay.out.contains("Replayed 1 of 1 records from logging-dlq to logging-orders"), replay.out);
        assertNoKafkaInfo(replay);

        // A global option: before the command or among its options.
        for (Cli verbose : List.of(
                cli("--verbose", "dlq", "show", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "logging-dlq"),
                cli("dlq", "show", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "logging-dlq", "--verbose"))) {
            assertEquals(0, verbose.exit, verbose.err);
            assertTrue(verbose.out.contains("1 record in logging-dlq"), verbose.out);
            assertTrue(verbose.err.contains("INFO org.apache.kafka.common.config.AbstractConfig - ConsumerConfig values:"),
                    verbose.err);
            assertTrue(verbose.err.contains("INFO org.apache.kafka.common.utils.AppInfoParser - Kafka version"),
                    verbose.err);
        }
    }

    @Test
    void theCliKeepsItsOwnMessages() throws Exception {
        Cli missing = cli("dlq", "show", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "no-such-dlq",
                "--timeout", "5s");
        assertEquals(1, missing.exit, missing.err);
        assertTrue(missing.err.contains("error: ") && missing.err.contains("no-such-dlq"), missing.err);
        assertNoKafkaInfo(missing);
        // Nothing else: the one line that says what is wrong.
        assertEquals(1, missing.err.lines().count(), missing.err);
    }

    private static void assertNoKafkaInfo(Cli run) {
        assertFalse(run.err.contains("ConsumerConfig values") || run.err.contains("ProducerConfig values")
                || run.err.contains("AdminClientConfig values"), run.err);
        assertFalse(run.err.contains("INFO org.apache.kafka"), run.err);
    }

    private record Cli(int exit, String out, String err) {
    }

    /** Runs the built jar in a JVM of its own, as {@code java -jar} does. */
    private Cli cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after 90 s: " + command + "\n" + Files.readString(err));
        }
        return new Cli(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
