package io.streamload.warnings.dlq;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends DLQ records back to a topic the connector reads, once the data or the table is fixed:
 * the original key, value and headers, without Connect's {@code __connect.errors.*} headers (a
 * replayed record that fails again gets fresh ones). Partitioning is left to the producer, so
 * records with a key land where that key's records go.
 */
public final class DlqReplay {

    static final String ERROR_HEADER_PREFIX = "__connect.errors.";

    private final Producer<byte[], byte[]> producer;

    public DlqReplay(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** How many records were looked at, and how many were sent. */
    public record Result(long read, long replayed) {
    }

    /**
     * Replays the records {@code filter} selects to {@code toTopic}, in their DLQ order, and waits
     * until the broker has acknowledged each.
     */
    public Result run(List<ConsumerRecord<byte[], byte[]>> records, Predicate<DlqRecord> filter, String toTopic)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (filter.test(DlqTopicReader.toDlqRecord(record))) {
                sent.add(producer.send(new ProducerRecord<>(toTopic, null, record.key(), record.value(),
                        withoutErrorHeaders(record))));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
        return new Result(records.size(), sent.size());
    }

    static RecordHeaders withoutErrorHeaders(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(ERROR_HEADER_PREFIX)) {
                headers.add(header);
            }
        }
        return headers;
    }
}
