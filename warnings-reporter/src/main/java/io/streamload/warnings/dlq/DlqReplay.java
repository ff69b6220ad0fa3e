package io.streamload.warnings.dlq;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
     * until the broker has acknowledged each, or until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @throws IllegalStateException naming the topic when the deadline passes first (saying how many
     *                               records were acknowledged) or the broker refuses a record
     */
    public Result run(List<ConsumerRecord<byte[], byte[]>> records, Predicate<DlqRecord> filter, String toTopic,
                      long deadlineNanos) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> selected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (filter.test(DlqTopicReader.toDlqRecord(record))) {
                selected.add(record);
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : selected) {
            if (System.nanoTime() - deadlineNanos > 0) {
                break;
            }
            sent.add(producer.send(new ProducerRecord<>(toTopic, null, record.key(), record.value(),
                    withoutErrorHeaders(record))));
        }
        long acknowledged = 0;
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged++;
            } catch (TimeoutException e) {
                break;
            } catch (ExecutionException e) {
                throw new IllegalStateException("sending to the topic '" + toTopic + "' failed after " + acknowledged
                        + " of " + selected.size() + " records: " + e.getCause().getMessage(), e.getCause());
            }
        }
        if (acknowledged < selected.size()) {
            throw new IllegalStateException("replaying to the topic '" + toTopic + "' did not finish within the "
                    + "timeout: " + acknowledged + " of " + selected.size() + " records were acknowledged (a second "
                    + "run sends those again)");
        }
        return new Result(records.size(), selected.size());
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
