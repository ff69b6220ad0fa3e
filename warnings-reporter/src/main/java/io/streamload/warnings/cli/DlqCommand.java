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
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq show}, {@code dlq backfill} and {@code dlq replay}: the dead letter queue topic, read,
 * written back into load_errors, and its records sent back to a topic the connector reads.
 */
@CommandLine.Command(name = "dlq", sortOptions = false,
        header = "dlq show: read the DLQ topic; backfill: restore missing load_errors rows; replay: re-produce records",
        customSynopsis = "warnings-reporter dlq show|backfill|replay [options]   (dlq COMMAND --help for details)",
        description = {"The connector's dead letter queue topic (errors.deadletterqueue.topic.name). Every command"
                + " needs errors.deadletterqueue.context.headers.enable=true on the connector: the reasons and the"
                + " records' origins are in those headers."},
        commandListHeading = "%nCommands:%n")
final class DlqCommand implements Command {
    @Override
    public Integer call() throws UsageException {
        throw new UsageException("dlq needs a subcommand: show, backfill or replay");
    }

    /** The Kafka options of every dlq command. */
    static final class KafkaOptions {
        @Option(names = "--bootstrap-servers", paramLabel = "H:P", description = "Kafka brokers (required)")
        String bootstrapServers;

        @Option(names = "--consumer-config", paramLabel = "FILE",
                description = "extra consumer properties (security.protocol, sasl.*, ssl.*)")
        Path consumerConfig;

        @Option(names = "--max-records", paramLabel = "N", converter = Converters.PositiveInt.class,
                description = "stop after N records (default: all)")
        Integer maxRecords;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
                description = {"give up after this long (default 60s): reading; for replay,",
                        "the whole run (checking --to-topic, reading, sending)"})
        Duration timeout = Duration.ofSeconds(60);

        String servers() throws UsageException {
            return required(bootstrapServers, "--bootstrap-servers");
        }

        long maxRecords() {
            return maxRecords == null ? Long.MAX_VALUE : maxRecords;
        }

        Properties clientConfig() throws UsageException {
            return consumerConfig(consumerConfig);
        }
    }

    @CommandLine.Command(name = "show", sortOptions = false,
            header = "print each DLQ record: where it came from, the reason, the original key and value",
            customSynopsis = "warnings-reporter dlq show --bootstrap-servers H:P --topic TOPIC [--json] [options]",
            description = {"Prints each DLQ record with where it came from (topic-partition@offset), the reason and"
                    + " the original key and value. Needs errors.deadletterqueue.context.headers.enable=true on the"
                    + " connector for the reasons. Reads without a consumer group, so nobody's offsets move."})
    static final class Show implements Command {
        private final CliContext context;

        @Option(names = "--topic", paramLabel = "TOPIC", description = {
                "the DLQ topic: the connector's", "errors.deadletterqueue.topic.name (required)"})
        String topic;

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        Show(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            String servers = kafka.servers();
            String topic = required(this.topic, "--topic");
            DlqTopicReader reader = new DlqTopicReader(servers, kafka.clientConfig(), kafka.timeout);
            if (json) {
                List<DlqRecord> records = new ArrayList<>();
                reader.read(topic, kafka.maxRecords(), records::add);
                context.out().println(JsonViews.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(records)));
            } else {
                long count = reader.read(topic, kafka.maxRecords(), record -> print(record, context.out()));
                context.out().println(count + (count == 1 ? " record" : " records") + " in " + topic);
            }
            return OK;
        }
    }

    @CommandLine.Command(name = "backfill", sortOptions = false,
            header = "write DLQ records that have no load_errors row yet (rows rejected while MySQL was down)",
            customSynopsis = "warnings-reporter dlq backfill --bootstrap-servers H:P --topic TOPIC [connection options]",
            description = {"Writes DLQ records that have no load_errors row yet (rows rejected while MySQL was down),"
                    + " matched by original topic, partition and offset; running it twice adds nothing. Label, job"
                    + " id and table come from the reason text (label=..., txn_id=..., table=...)."},
            footer = StoreOptions.PASSWORD_ORDER)
    static final class Backfill implements Command {
        private final CliContext context;

        @Option(names = "--topic", paramLabel = "TOPIC", description = {
                "the DLQ topic: the connector's", "errors.deadletterqueue.topic.name (required)"})
        String topic;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        StoreOptions store;

        Backfill(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            String servers = kafka.servers();
            String topic = required(this.topic, "--topic");
            DlqTopicReader reader = new DlqTopicReader(servers, kafka.clientConfig(), kafka.timeout);
            WarningsStoreConfig config = StoreSettings.from(StoreOptions.flags(store), context.environment()).config().build();
            List<DlqRecord> records = new ArrayList<>();
            reader.read(topic, kafka.maxRecords(), records::add);
            DlqBackfill.Result result;
            try (Connection connection = StoreConnections.of(config).open()) {
                result = new DlqBackfill(config.location()).run(connection, records);
            }
            context.out().printf("Backfilled %d rows into %s from %d DLQ records (%d already present, %d without "
                            + "source headers)%n", result.inserted(), config.location().qualifiedErrorsTable(),
                    records.size(), result.alreadyPresent(), result.withoutSource());
            return OK;
        }
    }

    @CommandLine.Command(name = "replay", sortOptions = false,
            header = "send DLQ records back to a topic the connector reads, without Connect's error headers",
            customSynopsis = {"warnings-reporter dlq replay --bootstrap-servers H:P --from-topic DLQ --to-topic TOPIC",
                    "                             [--filter KEY=VALUE ...] [--dry-run] [options]"},
            description = {"Sends DLQ records back to a topic the connector reads, after you fixed the table or the"
                    + " data: original key, value and headers, minus the __connect.errors.* headers. A --to-topic that"
                    + " does not exist is an error (checked first; never created). --consumer-config also configures"
                    + " the producer."})
    static final class Replay implements Command {
        private final CliContext context;

        @Option(names = {"--from-topic", "--topic"}, paramLabel = "DLQ", description = {
                "the DLQ topic: the connector's", "errors.deadletterqueue.topic.name (required)"})
        String fromTopic;

        @Option(names = "--to-topic", paramLabel = "TOPIC",
                description = {"where the records go, usually their original topic", "(required; must exist)"})
        String toTopic;

        @Option(names = "--filter", paramLabel = "KEY=VALUE", description = {
                "which records (default: all): reason=TEXT (the reason contains",
                "TEXT), topic=T, partition=N, offset=N or offset=FIRST-LAST",
                "(the original coordinates); given more than once, a record must",
                "match every one (--filter topic=orders --filter reason=too long)"})
        List<String> filters = new ArrayList<>();

        @Option(names = "--dry-run", description = "list what would be sent, send nothing")
        boolean dryRun;

        @Mixin
        KafkaOptions kafka;

        Replay(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            return replay(this, context);
        }
    }

    private static int replay(Replay command, CliContext context) throws Exception {
        String servers = command.kafka.servers();
        String fromTopic = command.fromTopic;
        if (fromTopic == null || fromTopic.isBlank()) {
            throw new UsageException("--from-topic is required: the DLQ topic (errors.deadletterqueue.topic.name)");
        }
        String toTopic = required(command.toTopic, "--to-topic");
        if (toTopic.equals(fromTopic)) {
            throw new UsageException("--to-topic must differ from --from-topic: replaying a DLQ into itself loops");
        }
        Predicate<DlqRecord> filter;
        try {
            filter = ReplayFilter.parseAll(command.filters);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        long maxRecords = command.kafka.maxRecords();
        Duration timeout = command.kafka.timeout;
        // One deadline for the whole replay: checking the target, reading the DLQ, sending.
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties clientConfig = command.kafka.clientConfig();
        TargetTopic.requireExists(servers, clientConfig, toTopic, timeout);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        new DlqTopicReader(servers, clientConfig, remaining(deadline)).readRaw(fromTopic, maxRecords, records::add);

        if (command.dryRun) {
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

    private static String required(String value, String option) throws UsageException {
        if (value == null || value.isBlank()) {
            throw new UsageException(option + " is required");
        }
        return value;
    }

    private static Properties consumerConfig(Path path) throws UsageException {
        Properties properties = new Properties();
        if (path != null) {
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UsageException("cannot read the consumer config " + path + ": " + e.getMessage());
            }
        }
        return properties;
    }
}
