package io.streamload.warnings.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamload.warnings.ColumnLimits;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.dlq.DlqBackfill;
import io.streamload.warnings.dlq.DlqRecord;
import io.streamload.warnings.dlq.DlqReplay;
import io.streamload.warnings.dlq.DlqTopicReader;
import io.streamload.warnings.dlq.ReplayFilter;
import io.streamload.warnings.dlq.TargetTopic;
import io.streamload.warnings.query.JsonViews;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code dlq show}, {@code dlq backfill} and {@code dlq replay}: the dead letter queue topic, read,
 * written back into load_errors, and its records sent back to a topic the connector reads.
 */
final class DlqCommand implements Command {
    private static final Set<String> KAFKA_OPTIONS = Set.of("bootstrap-servers", "topic", "consumer-config",
            "max-records", "timeout");

    private static final String KAFKA_HELP = """
              --bootstrap-servers H:P  Kafka brokers (required)
              --topic TOPIC            the DLQ topic: the connector's errors.deadletterqueue.topic.name (required)
              --consumer-config FILE   extra consumer properties (security.protocol, sasl.*, ssl.*)
              --max-records N          stop after N records (default: all)
              --timeout DURATION       give up after this long (default 60s): reading; for replay, the whole
                                       run (checking --to-topic, reading, sending)
            """;

    @Override
    public String name() {
        return "dlq";
    }

    @Override
    public String summary() {
        return "dlq show: read the DLQ topic; backfill: restore missing load_errors rows; replay: re-produce records";
    }

    @Override
    public String help() {
        return """
                Usage: warnings-reporter dlq show --bootstrap-servers H:P --topic TOPIC [--json] [options]
                       warnings-reporter dlq backfill --bootstrap-servers H:P --topic TOPIC [connection options]
                       warnings-reporter dlq replay --bootstrap-servers H:P --from-topic DLQ --to-topic TOPIC
                                                    [--filter KEY=VALUE ...] [--dry-run]

                show      prints each DLQ record with where it came from (topic-partition@offset), the reason
                          and the original key and value. Needs errors.deadletterqueue.context.headers.enable=true
                          on the connector for the reasons.
                backfill  writes DLQ records that have no load_errors row yet (rows rejected while MySQL was
                          down), matched by original topic, partition and offset; running it twice adds nothing.
                          Label, job id and table come from the reason text (label=..., txn_id=..., table=...).
                replay    sends DLQ records back to a topic the connector reads, after you fixed the table or
                          the data: original key, value and headers, minus the __connect.errors.* headers.
                          --from-topic is the DLQ (same as --topic), --to-topic where they go (usually the
                          original topic). --filter picks records: reason=TEXT (the reason contains TEXT),
                          topic=T, partition=N, offset=N or offset=FIRST-LAST (original coordinates); given
                          more than once, a record must match every one (--filter topic=orders --filter
                          reason=too long). --dry-run lists what would be sent. --consumer-config also configures the producer.
                          A --to-topic that does not exist is an error (checked first; never created).

                """ + KAFKA_HELP + "  --json                   (show) print a JSON array\n" + StoreSettings.HELP;
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        if (args.isEmpty() || !Set.of("show", "backfill", "replay").contains(args.get(0))) {
            throw new UsageException("dlq needs a subcommand: show, backfill or replay");
        }
        String subcommand = args.get(0);
        Set<String> options = new HashSet<>(KAFKA_OPTIONS);
        if (subcommand.equals("backfill")) {
            options.addAll(StoreSettings.OPTIONS);
        }
        if (subcommand.equals("replay")) {
            options.addAll(Set.of("from-topic", "to-topic", "filter"));
        }
        Arguments arguments = Arguments.parse(args.subList(1, args.size()), options,
                subcommand.equals("show") ? Set.of("json") : subcommand.equals("replay") ? Set.of("dry-run") : Set.of(),
                subcommand.equals("replay") ? Set.of("filter") : Set.of());
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + arguments.positionals().get(0) + "'");
        }
        String servers = required(arguments, "bootstrap-servers");
        if (subcommand.equals("replay")) {
            return replay(arguments, servers, context);
        }
        String topic = required(arguments, "topic");
        long maxRecords = arguments.has("max-records") ? arguments.intOption("max-records", 1) : Long.MAX_VALUE;
        Duration timeout = arguments.has("timeout") ? Durations.parse(arguments.get("timeout"), "--timeout")
                : Duration.ofSeconds(60);
        DlqTopicReader reader = new DlqTopicReader(servers, consumerConfig(arguments.get("consumer-config")), timeout);

        List<DlqRecord> records = new ArrayList<>();
        if (subcommand.equals("show")) {
            if (arguments.has("json")) {
                reader.read(topic, maxRecords, records::add);
                context.out().println(JsonViews.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(records)));
            } else {
                long count = reader.read(topic, maxRecords, record -> print(record, context.out()));
                context.out().println(count + (count == 1 ? " record" : " records") + " in " + topic);
            }
            return OK;
        }
        WarningsStoreConfig config = StoreSettings.from(arguments, context.environment()).config().build();
        reader.read(topic, maxRecords, records::add);
        DlqBackfill.Result result;
        try (Connection connection = StoreConnections.of(config).open()) {
            result = new DlqBackfill(config.location()).run(connection, records);
        }
        context.out().printf("Backfilled %d rows into %s from %d DLQ records (%d already present, %d without "
                        + "source headers)%n", result.inserted(), config.location().qualifiedErrorsTable(), records.size(),
                result.alreadyPresent(), result.withoutSource());
        return OK;
    }

    private static int replay(Arguments arguments, String servers, CliContext context) throws Exception {
        String fromTopic = arguments.get("from-topic") != null ? arguments.get("from-topic") : arguments.get("topic");
        if (fromTopic == null || fromTopic.isBlank()) {
            throw new UsageException("--from-topic is required: the DLQ topic (errors.deadletterqueue.topic.name)");
        }
        String toTopic = required(arguments, "to-topic");
        if (toTopic.equals(fromTopic)) {
            throw new UsageException("--to-topic must differ from --from-topic: replaying a DLQ into itself loops");
        }
        Predicate<DlqRecord> filter;
        try {
            filter = ReplayFilter.parseAll(arguments.all("filter"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long maxRecords = arguments.has("max-records") ? arguments.intOption("max-records", 1) : Long.MAX_VALUE;
        Duration timeout = arguments.has("timeout") ? Durations.parse(arguments.get("timeout"), "--timeout")
                : Duration.ofSeconds(60);
        // One deadline for the whole replay: checking the target, reading the DLQ, sending.
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties clientConfig = consumerConfig(arguments.get("consumer-config"));
        TargetTopic.requireExists(servers, clientConfig, toTopic, timeout);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        new DlqTopicReader(servers, clientConfig, remaining(deadline)).readRaw(fromTopic, maxRecords, records::add);

        if (arguments.has("dry-run")) {
            long selected = 0;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                DlqRecord dlqRecord = DlqTopicReader.toDlqRecord(record);
                if (filter.test(dlqRecord)) {
                    print(dlqRecord, context.out());
                    selected++;
                }
            }
            context.out().printf("Dry run: would replay %d of %d records from %s to %s%n", selected, records.size(),
                    fromTopic, toTopic);
            return OK;
        }
        Properties producerConfig = new Properties();
        producerConfig.putAll(clientConfig);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Nothing may wait past the deadline: not send() for metadata, not a batch for company.
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(remaining(deadline).toMillis()));
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        DlqReplay.Result result;
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
        try {
            result = new DlqReplay(producer).run(records, filter, toTopic, deadline);
        } finally {
            // close() alone would wait without bound for records still unsent.
            producer.close(remaining(deadline));
        }
        context.out().printf("Replayed %d of %d records from %s to %s%n", result.replayed(), result.read(), fromTopic,
                toTopic);
        return OK;
    }

    /** What is left until {@code deadline} ({@link System#nanoTime()}), at least a millisecond. */
    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(), deadline - System.nanoTime()));
    }

    /** The readable form of one DLQ record, shared with tests. */
    static void print(DlqRecord record, PrintStream out) {
        out.printf("%s-%d@%d  from %s-%s@%s  at %s%n", record.topic(), record.partition(), record.offset(),
                record.header(DlqRecord.ORIGINAL_TOPIC).orElse("?"), record.header(DlqRecord.ORIGINAL_PARTITION).orElse("?"),
                record.header(DlqRecord.ORIGINAL_OFFSET).orElse("?"), Instant.ofEpochMilli(record.timestamp()));
        out.println("  reason: " + record.header(DlqRecord.EXCEPTION_MESSAGE).orElse("(no reason header)"));
        record.header(DlqRecord.EXCEPTION_CLASS).ifPresent(c -> out.println("  class:  " + c));
        out.println("  key:    " + shown(record.keyText()));
        out.println("  value:  " + shown(record.valueText()));
        record.headers().forEach((name, value) -> {
            if (name.startsWith("__connect.errors.") && !name.endsWith("stacktrace")
                    && !name.equals(DlqRecord.EXCEPTION_MESSAGE) && !name.equals(DlqRecord.EXCEPTION_CLASS)) {
                out.println("  " + name.substring("__connect.errors.".length()) + ": " + value);
            }
        });
    }

    private static String shown(String text) {
        return text == null ? "null" : ColumnLimits.cut(text.replace("\n", "\\n"), ColumnLimits.ROW_EXCERPT);
    }

    private static ArrayNode toJson(List<DlqRecord> records) {
        ArrayNode array = JsonViews.MAPPER.createArrayNode();
        for (DlqRecord record : records) {
            ObjectNode node = array.addObject();
            node.put("topic", record.topic());
            node.put("partition", record.partition());
            node.put("offset", record.offset());
            node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
            node.put("key", record.keyText());
            node.put("value", record.valueText());
            ObjectNode headers = node.putObject("headers");
            record.headers().forEach(headers::put);
        }
        return array;
    }

    private static String required(Arguments arguments, String name) throws UsageException {
        String value = arguments.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    private static Properties consumerConfig(String path) throws UsageException {
        Properties properties = new Properties();
        if (path != null) {
            try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UsageException("cannot read the consumer config " + path + ": " + e.getMessage());
            }
        }
        return properties;
    }
}
