package io.streamload.connect.offset;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each assigned partition the target has confirmed, and so which offset may be
 * committed.
 *
 * <p>Per partition it keeps the ranges handed to loads, in the order the records arrived (one
 * entry per range per batch, never one per record). Loads may complete in any order; the
 * committable offset is the one after the longest run of confirmed ranges from the start. A
 * range that never confirms (a failed load) holds everything behind it back, which is exactly
 * what "commit nothing past a failure" requires.
 *
 * <p>Closing a partition forgets it. Its entries become orphans: a load that completes later
 * confirms nothing, and if the partition comes back it starts with a fresh track, so offsets of
 * revoked partitions are never reported.
 */
public final class OffsetLedger {

    private final Map<TopicPartition, Track> tracks = new HashMap<>();
    /**
     * Closing takes it for writing, {@link #whileCurrent} for reading: a write made there for a
     * batch is done before its partitions are closed, or not made at all. Always taken before the
     * monitor.
     */
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();

    /** Something done while the ranges it is for stay current. */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        void run() throws E;
    }

    /** Starts tracking newly assigned partitions, forgetting whatever was known about them before. */
    public synchronized void open(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            tracks.put(partition, new Track(partition));
        }
    }

    /**
     * Forgets revoked partitions; their unconfirmed and uncommitted progress is dropped. Waits for
     * the {@link #whileCurrent} actions running for their ranges.
     */
    public void close(Collection<TopicPartition> partitions) {
        closing.writeLock().lock();
        try {
            synchronized (this) {
                for (TopicPartition partition : partitions) {
                    tracks.remove(partition);
                }
            }
        } finally {
            closing.writeLock().unlock();
        }
    }

    /** True while {@code partition} is assigned (opened and not closed since). */
    public synchronized boolean isOpen(TopicPartition partition) {
        return tracks.containsKey(partition);
    }

    /**
     * True when a range of {@code entries} belongs to a partition as it is assigned now: one
     * closed since, even if opened again, is the earlier assignment's, and its records come again
     * from the committed offset.
     */
    public synchronized boolean anyCurrent(List<Entry> entries) {
        for (Entry entry : entries) {
            if (tracks.get(entry.track.partition) == entry.track) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every partition. */
    public void closeAll() {
        closing.writeLock().lock();
        try {
            synchronized (this) {
                tracks.clear();
            }
        } finally {
            closing.writeLock().unlock();
        }
    }

    /**
     * Runs {@code action} when a range of {@code entries} is current (or there is none), and keeps
     * partitions from being closed until it returns: whoever opens them after this task finds what
     * it did.
     *
     * @return false, without running it, when the partitions of all ranges were closed since
     */
    public <E extends Exception> boolean whileAnyCurrent(List<Entry> entries, Action<E> action) throws E {
        closing.readLock().lock();
        try {
            if (!entries.isEmpty() && !anyCurrent(entries)) {
                return false;
            }
            action.run();
            return true;
        } finally {
            closing.readLock().unlock();
        }
    }

    /**
     * Records that the records of {@code partition} from {@code firstOffset} to {@code lastOffset}
     * were handed to a load. Must be called in the order the records arrived.
     */
    public synchronized Entry register(TopicPartition partition, long firstOffset, long lastOffset) {
        Track track = tracks.computeIfAbsent(partition, Track::new);
        if (firstOffset <= track.lastRegistered) {
            throw new IllegalStateException("Range " + firstOffset + ".." + lastOffset + " of " + partition
                    + " registered after offset " + track.lastRegistered);
        }
        Entry entry = new Entry(track, firstOffset, lastOffset);
        track.pending.add(entry);
        track.lastRegistered = lastOffset;
        return entry;
    }

    /** Records that the target confirmed the entry's records. Entries of closed partitions are ignored. */
    public synchronized void confirm(Entry entry) {
        entry.confirmed = true;
        Track track = entry.track;
        if (tracks.get(track.partition) != track) {
            return;
        }
        while (!track.pending.isEmpty() && track.pending.peekFirst().confirmed) {
            track.committable = track.pending.pollFirst().lastOffset + 1;
        }
    }

    /**
     * The offset to commit for each open partition with confirmed records: the offset after the
     * longest confirmed run. Every call gives all of them, not only those that moved since the
     * last: the worker may not have committed what it was given then (a commit that failed or
     * timed out leaves its last committed offsets as they were), and it commits nothing a task
     * leaves out, so an offset given once would otherwise stay uncommitted until more records
     * of that partition come.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committableOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Track track : tracks.values()) {
            if (track.committable >= 0) {
                offsets.put(track.partition, new OffsetAndMetadata(track.committable));
            }
        }
        return offsets;
    }

    /** The offset after the longest confirmed run, or -1; for tests and logs. */
    public synchronized long committable(TopicPartition partition) {
        Track track = tracks.get(partition);
        return track == null ? -1 : track.committable;
    }

    /** Ranges handed to loads and not yet released by confirmation, over all partitions; for tests and logs. */
    public synchronized int pendingRanges() {
        return tracks.values().stream().mapToInt(t -> t.pending.size()).sum();
    }

    /** One partition's progress since it was opened. */
    private static final class Track {
        final TopicPartition partition;
        final ArrayDeque<Entry> pending = new ArrayDeque<>();
        long lastRegistered = -1;
        long committable = -1;

        Track(TopicPartition partition) {
            this.partition = partition;
        }
    }

    /** A range of one partition handed to one load. */
    public static final class Entry {
        private final Track track;
        private final long firstOffset;
        private final long lastOffset;
        private boolean confirmed;

        private Entry(Track track, long firstOffset, long lastOffset) {
            this.track = track;
            this.firstOffset = firstOffset;
            this.lastOffset = lastOffset;
        }

        public TopicPartition partition() {
            return track.partition;
        }

        @Override
        public String toString() {
            return track.partition + "[" + firstOffset + ".." + lastOffset + "]" + (confirmed ? " confirmed" : "");
        }
    }
}
