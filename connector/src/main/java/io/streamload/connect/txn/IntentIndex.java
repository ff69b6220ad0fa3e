package io.streamload.connect.txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.PartitionRange;

/**
 * The latest intent of every transaction of one connector that carries records of the source
 * partitions a task has opened so far, and how far into each partition of the intent log they
 * are known: what recovery needs, kept between the task's {@code open()}s, so that a later
 * {@code open()} reads only what the log got since.
 *
 * <p>It holds what reading the log from its beginning would give for those partitions:
 * <ul>
 *   <li>an entry replaces the earlier one of its key, a tombstone removes it (as compaction
 *   does);</li>
 *   <li>an entry Kafka deleted (its offset is now before the log's start: retention) is dropped;</li>
 *   <li>a source partition opened for the first time is read from the log's beginning (only its
 *   entries are taken up to where the others are known);</li>
 *   <li>a log now shorter than what was read, or without a partition read before (the topic was
 *   deleted and created again, or lost data), is read again from its beginning, for every
 *   partition.</li>
 * </ul>
 * Entries of other partitions are skipped by their {@link SourcePartitions} header without parsing
 * their JSON; entries without the header (earlier versions) are parsed and kept when they carry a
 * partition asked for.
 *
 * <p>Not thread-safe: the intent log reads it under its lock.
 */
final class IntentIndex {

    private static final Logger log = LoggerFactory.getLogger(IntentIndex.class);

    /** Where an intent came from: the log partition and offset of its latest entry. */
    private record Entry(Intent intent, int logPartition, long offset) {
    }

    /** What one read did; for tests and the DEBUG line. */
    record ReadStats(int entriesRead, int entriesParsed, boolean fromBeginning) {
    }

    private final String connector;
    private final byte[] keyPrefix;
    /**
     * Every source partition tracked: its transactions' latest intents, by label (the log key
     * without the connector), in the order of their latest entry.
     */
    private final Map<TopicPartition, Map<String, Entry>> byPartition = new HashMap<>();
    /**
     * One instance of each connector, table, topic, partition and topic id map the kept intents
     * name: a million kept intents would otherwise hold a million copies of each.
     */
    private final Map<Object, Object> canonical = new HashMap<>();
    /** Per log partition, the offset after the last entry applied. */
    private final Map<Integer, Long> positions = new HashMap<>();
    /** Per log partition, the log start offset at the last read. */
    private final Map<Integer, Long> starts = new HashMap<>();
    private ReadStats lastRead = new ReadStats(0, 0, false);

    IntentIndex(String connector) {
        this.connector = connector;
        this.keyPrefix = (connector + "/").getBytes(StandardCharsets.UTF_8);
    }

    ReadStats lastRead() {
        return lastRead;
    }

    /**
     * Brings the index up to the log's end for {@code partitions} (and for those opened before),
     * then returns the latest intent of each transaction carrying records of {@code partitions}:
     * partition by partition, each in the order of the log (one log partition), a transaction of
     * several of them once.
     *
     * @param consumer an assign-mode consumer of the log, used only here
     * @throws ConnectException when the log cannot be read to its end within {@code timeout}; the
     *         index is then unusable and must be dropped
     */
    List<Intent> read(Consumer<byte[], byte[]> consumer, String topic, Collection<TopicPartition> partitions,
                      Duration timeout) {
        List<TopicPartition> logPartitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
            logPartitions.add(new TopicPartition(topic, info.partition()));
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(logPartitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(logPartitions, timeout);
        Set<Integer> present = new HashSet<>();
        logPartitions.forEach(p -> present.add(p.partition()));
        boolean truncated = !present.containsAll(positions.keySet()) || logPartitions.stream()
                .anyMatch(p -> positions.containsKey(p.partition()) && end.get(p) < positions.get(p.partition()));
        if (truncated) {
            log.warn("The intent log topic {} is shorter than when {} last read it (deleted and created again, or "
                    + "data lost); reading it again from its beginning", topic, connector);
            byPartition.clear();
            positions.clear();
            starts.clear();
        }
        dropDeleted(logPartitions, begin);

        Set<TopicPartition> fresh = new HashSet<>();
        for (TopicPartition partition : partitions) {
            if (!byPartition.containsKey(partition)) {
                fresh.add(partition);
            }
        }
        Set<TopicPartition> all = new HashSet<>(byPartition.keySet());
        all.addAll(fresh);
        SourcePartitions.Selection freshOnly = new SourcePartitions.Selection(fresh);
        SourcePartitions.Selection tracked = new SourcePartitions.Selection(all);
        fresh.forEach(partition -> byPartition.put(partition, new LinkedHashMap<>()));

        // Per log partition: from where to read, and up to where only the fresh partitions are new.
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<Integer, Long> knownUpTo = new HashMap<>();
        for (TopicPartition logPartition : logPartitions) {
            long start = begin.get(logPartition);
            long known = Math.max(start, positions.getOrDefault(logPartition.partition(), start));
            knownUpTo.put(logPartition.partition(), known);
            long seek = fresh.isEmpty() ? known : start;
            if (seek < end.get(logPartition)) {
                from.put(logPartition, seek);
            } else {
                positions.put(logPartition.partition(), Math.max(known, end.get(logPartition)));
            }
        }
        int read = 0;
        int parsed = 0;
        if (!from.isEmpty()) {
            List<TopicPartition> reading = new ArrayList<>(from.keySet());
            consumer.assign(reading);
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (reading.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new ConnectException("Could not read the intent log topic " + topic + " to its end within "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    boolean onlyFresh = record.offset() < knownUpTo.get(record.partition());
                    if (apply(record, onlyFresh ? freshOnly : tracked)) {
                        parsed++;
                    }
                }
            }
            for (TopicPartition logPartition : reading) {
                positions.put(logPartition.partition(), consumer.position(logPartition, timeout));
            }
            consumer.assign(List.of());
        }
        lastRead = new ReadStats(read, parsed, !fresh.isEmpty());
        return intentsOf(partitions);
    }

    /**
     * Applies one log entry to the partitions of {@code selection} it names.
     *
     * @return whether its JSON was parsed
     */
    private boolean apply(ConsumerRecord<byte[], byte[]> record, SourcePartitions.Selection selection) {
        if (selection.isEmpty() || !hasPrefix(record.key())) {
            return false;
        }
        Header header = record.headers().lastHeader(SourcePartitions.HEADER);
        // Null without a readable header: the JSON says which partitions.
        List<TopicPartition> named = header == null || header.value() == null ? null : selection.named(header.value());
        if (named != null && named.isEmpty()) {
            return false;
        }
        String label = new String(record.key(), keyPrefix.length, record.key().length - keyPrefix.length,
                StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (named != null) {
                named.forEach(partition -> byPartition.get(partition).remove(label));
            } else {
                // No header (an earlier version's tombstone): the label may be under any of them.
                for (Map.Entry<TopicPartition, Map<String, Entry>> tracked : byPartition.entrySet()) {
                    if (selection.contains(tracked.getKey())) {
                        tracked.getValue().remove(label);
                    }
                }
            }
            return false;
        }
        Intent intent;
        try {
            intent = canonical(Intent.fromJson(record.value()));
        } catch (IOException | RuntimeException e) {
            log.warn("Skipping an unreadable intent at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return true;
        }
        // The key and the label are the same text; kept once.
        String key = label.equals(intent.label()) ? intent.label() : label;
        Entry entry = new Entry(intent, record.partition(), record.offset());
        for (PartitionRange range : intent.ranges()) {
            if (selection.contains(range.partition())) {
                Map<String, Entry> entries = byPartition.get(range.partition());
                // Latest last, as in the log.
                entries.remove(key);
                entries.put(key, entry);
            }
        }
        return true;
    }

    /** The intent with the instance of each name and id already kept, so that it is kept once. */
    private Intent canonical(Intent intent) {
        List<PartitionRange> ranges = new ArrayList<>(intent.ranges().size());
        for (PartitionRange range : intent.ranges()) {
            ranges.add(new PartitionRange(canonical(range.partition()), range.firstOffset(), range.lastOffset()));
        }
        return new Intent(canonical(intent.connector()), intent.label(), canonical(intent.table()), intent.txnId(),
                intent.state(), ranges, canonical(intent.topicIds()));
    }

    @SuppressWarnings("unchecked")
    private <T> T canonical(T value) {
        return (T) canonical.computeIfAbsent(value, v -> v);
    }

    /** Drops what Kafka deleted from the log since the last read (retention moved the log's start). */
    private void dropDeleted(List<TopicPartition> logPartitions, Map<TopicPartition, Long> begin) {
        Map<Integer, Long> moved = new HashMap<>();
        for (TopicPartition logPartition : logPartitions) {
            long start = begin.get(logPartition);
            Long before = starts.put(logPartition.partition(), start);
            if (before != null && start > before) {
                moved.put(logPartition.partition(), start);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        for (Map<String, Entry> entries : byPartition.values()) {
            entries.values().removeIf(entry -> {
                Long start = moved.get(entry.logPartition());
                return start != null && entry.offset() < start;
            });
        }
    }

    /**
     * The latest intent of each transaction carrying records of {@code partitions}: partition by
     * partition, each in log order; a transaction of several of them once.
     */
    private List<Intent> intentsOf(Collection<TopicPartition> partitions) {
        List<Intent> intents = new ArrayList<>();
        Set<String> several = new HashSet<>();
        for (TopicPartition partition : new LinkedHashSet<>(partitions)) {
            Map<String, Entry> entries = byPartition.get(partition);
            if (entries == null) {
                continue;
            }
            for (Map.Entry<String, Entry> entry : entries.entrySet()) {
                Intent intent = entry.getValue().intent();
                if (intent.ranges().size() == 1 || several.add(entry.getKey())) {
                    intents.add(intent);
                }
            }
        }
        return intents;
    }

    private boolean hasPrefix(byte[] key) {
        if (key == null || key.length < keyPrefix.length) {
            return false;
        }
        for (int i = 0; i < keyPrefix.length; i++) {
            if (key[i] != keyPrefix[i]) {
                return false;
            }
        }
        return true;
    }
}
