package io.streamload.connect.buffer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * An append-only byte sequence kept as a list of chunks. Growing never copies what was already
 * written (unlike a {@code ByteArrayOutputStream}), and the whole sequence can be written to a
 * socket chunk by chunk, so a load body is encoded once and sent without another full copy.
 *
 * <p>{@link #truncate(long)} takes back a partially written row when encoding a record fails.
 * Not thread-safe: one writer fills it, then it is handed over (sealed) and only read; once its
 * load has ended, {@link #release()} gives its chunks back to the {@link ChunkPool} they came from.
 */
public final class ChunkedBytes extends OutputStream {

    static final int FIRST_CHUNK_SIZE = 8 * 1024;
    /**
     * Below half of G1's smallest region (1 MiB), so no chunk is a humongous object. A 1 MiB
     * array plus its header spans two 1 MiB regions, so with 1 MiB chunks the bodies held while
     * loads wait took twice their size in heap. In the benchmarks' slow-target run (256 MiB of
     * bodies held) the JVM's live heap was 642 MiB with 1 MiB chunks and 312 MiB with these, of
     * which about 70 MiB is the broker and worker. 256 chunks per 64 MiB body cost nothing.
     */
    static final int MAX_CHUNK_SIZE = 256 * 1024;

    private final ChunkPool pool;
    /** Every chunk but the last is full. */
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int positionInCurrent;
    private long size;
    private boolean released;

    /**
     * Bytes a label's checksums take together before they are fed: below a first-level cache, so
     * the bytes are checksummed while the encoder's writes still hold them there. Summing a sealed
     * 64 MiB body in two further passes read it back from memory on the task thread.
     */
    static final int CHECKSUM_STEP = 16 * 1024;
    /** The label's checksums of the first {@link #checksummed} bytes (see {@link #settle()}). */
    private final CRC32C crc32c = new CRC32C();
    private final CRC32 crc32 = new CRC32();
    private long checksummed;
    private int checksumChunk;
    private int checksumPositionInChunk;

    /** Bytes in new arrays, which the garbage collector takes back. */
    public ChunkedBytes() {
        this(ChunkPool.NONE);
    }

    /** Bytes in full-size chunks taken from {@code pool}, to be given back by {@link #release()}. */
    public ChunkedBytes(ChunkPool pool) {
        this.pool = pool;
    }

    /**
     * Gives the chunks back to the pool. Call only when nothing reads these bytes any more: after
     * it, every read or write fails instead of seeing the next body's bytes.
     */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        pool.give(chunks);
        chunks.clear();
        current = null;
        positionInCurrent = 0;
        // size stays: the batch's size still counts where its end is booked.
    }

    @Override
    public void write(int b) {
        ensureRoom();
        current[positionInCurrent++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ensureRoom();
            int n = Math.min(length, current.length - positionInCurrent);
            System.arraycopy(bytes, offset, current, positionInCurrent, n);
            positionInCurrent += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Drops everything after the first {@code newSize} bytes. */
    public void truncate(long newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
        }
        long remaining = newSize;
        int index = 0;
        while (index < chunks.size() && remaining > chunks.get(index).length) {
            remaining -= chunks.get(index).length;
            index++;
        }
        if (chunks.isEmpty()) {
            return;
        }
        if (index >= chunks.size()) {
            index = chunks.size() - 1;
        }
        chunks.subList(index + 1, chunks.size()).clear();
        current = chunks.get(index);
        positionInCurrent = (int) remaining;
        size = newSize;
        if (newSize < checksummed) {
            resetChecksums();
        }
    }

    /**
     * Marks the bytes written so far as final (no {@link #truncate(long)} below them follows) and,
     * once {@link #CHECKSUM_STEP} of them wait, feeds them to the running checksums that
     * {@link #checksums()} reports, while they are still in the cache.
     */
    public void settle() {
        if (size - checksummed >= CHECKSUM_STEP) {
            checksumUpTo(size);
        }
    }

    /** CRC-32C and CRC-32 of every byte written, as two separate passes over them would give. */
    public Checksums checksums() {
        checkNotReleased();
        checksumUpTo(size);
        return new Checksums(crc32c.getValue(), crc32.getValue());
    }

    /** The two checksums a label carries of a body. */
    public record Checksums(long crc32c, long crc32) {
    }

    private void checksumUpTo(long end) {
        checkNotReleased();
        while (checksummed < end) {
            byte[] chunk = chunks.get(checksumChunk);
            int chunkLength = checksumChunk == chunks.size() - 1 ? positionInCurrent : chunk.length;
            if (checksumPositionInChunk == chunkLength) {
                // More bytes than summed, so a next chunk holds them.
                checksumChunk++;
                checksumPositionInChunk = 0;
                continue;
            }
            int n = (int) Math.min(end - checksummed, chunkLength - checksumPositionInChunk);
            crc32c.update(chunk, checksumPositionInChunk, n);
            crc32.update(chunk, checksumPositionInChunk, n);
            checksummed += n;
            checksumPositionInChunk += n;
        }
    }

    private void resetChecksums() {
        crc32c.reset();
        crc32.reset();
        checksummed = 0;
        checksumChunk = 0;
        checksumPositionInChunk = 0;
    }

    /** Writes every byte to {@code out}, chunk by chunk. */
    public void writeTo(OutputStream out) throws IOException {
        checkNotReleased();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            out.write(chunk, 0, i == chunks.size() - 1 ? positionInCurrent : chunk.length);
        }
    }

    /**
     * Writes the bytes from {@code from} (inclusive) to {@code to} (exclusive) to {@code out};
     * used to build the body of a part of a batch from the batch's own bytes.
     */
    public void writeRangeTo(long from, long to, OutputStream out) throws IOException {
        checkNotReleased();
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("range " + from + ".." + to + " outside 0.." + size);
        }
        long chunkStart = 0;
        for (int i = 0; i < chunks.size() && chunkStart < to; i++) {
            byte[] chunk = chunks.get(i);
            int length = i == chunks.size() - 1 ? positionInCurrent : chunk.length;
            long chunkEnd = chunkStart + length;
            if (chunkEnd > from) {
                int start = (int) Math.max(0, from - chunkStart);
                int end = (int) Math.min(length, to - chunkStart);
                out.write(chunk, start, end - start);
            }
            chunkStart = chunkEnd;
        }
    }

    /** A copy of a range of the bytes, for error reports. */
    public byte[] copyRange(long from, long to) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) Math.min(to - from, 1 << 20));
        try {
            writeRangeTo(from, to, copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy.toByteArray();
    }

    /** A fresh stream over the bytes; the chunks are shared, not copied. */
    public InputStream newInputStream() {
        checkNotReleased();
        List<InputStream> streams = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            streams.add(new ByteArrayInputStream(chunk, 0, i == chunks.size() - 1 ? positionInCurrent : chunk.length));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** A copy of the bytes, for tests and error messages only. */
    public byte[] toByteArray() {
        checkNotReleased();
        byte[] copy = new byte[Math.toIntExact(size)];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int n = i == chunks.size() - 1 ? positionInCurrent : chunks.get(i).length;
            System.arraycopy(chunks.get(i), 0, copy, at, n);
            at += n;
        }
        return copy;
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException("the body was released after its load; its chunks hold other bytes now");
        }
    }

    private void ensureRoom() {
        if (current != null && positionInCurrent < current.length) {
            return;
        }
        checkNotReleased();
        // Chunks grow with the content (a quarter of what is held, within bounds) so small
        // buffers stay small and big ones do not end up as thousands of tiny arrays.
        int next = (int) Math.min(MAX_CHUNK_SIZE, Math.max(FIRST_CHUNK_SIZE, size / 4));
        current = next == MAX_CHUNK_SIZE ? pool.take() : new byte[next];
        chunks.add(current);
        positionInCurrent = 0;
    }
}
