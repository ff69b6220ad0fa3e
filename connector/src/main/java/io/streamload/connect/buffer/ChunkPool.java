package io.streamload.connect.buffer;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Full-size body chunks given back when their batch's load has ended, for the next bodies: a new
 * 256 KiB array is zeroed by the JVM before it is written, which was an eighth of
 * {@code put()} on the passthrough path, and every body's bytes passed through the young
 * generation. It keeps at most {@code maxBytes} of chunks: the memory bound of the buffers
 * ({@code buffer.total.max.bytes}), so pooling does not raise the most the task ever holds, since
 * a chunk is only allocated when none is free.
 *
 * <p>Thread-safe: the task thread takes chunks, load threads give them back.
 */
public final class ChunkPool {

    /** Takes new arrays and keeps none: for bodies whose end nobody reports (tests, parts of a batch). */
    public static final ChunkPool NONE = new ChunkPool(0);

    private final int capacity;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    /** @param maxBytes the most chunk bytes kept for reuse */
    public ChunkPool(long maxBytes) {
        this.capacity = (int) Math.min(Integer.MAX_VALUE, maxBytes / ChunkedBytes.MAX_CHUNK_SIZE);
    }

    /** A chunk of {@link ChunkedBytes#MAX_CHUNK_SIZE} bytes, holding whatever it held before. */
    byte[] take() {
        if (capacity > 0) {
            synchronized (this) {
                byte[] chunk = free.pollLast();
                if (chunk != null) {
                    return chunk;
                }
            }
        }
        return new byte[ChunkedBytes.MAX_CHUNK_SIZE];
    }

    /** Keeps the full-size ones of {@code chunks}, as far as there is room; nothing may use them after. */
    void give(List<byte[]> chunks) {
        if (capacity == 0) {
            return;
        }
        synchronized (this) {
            for (byte[] chunk : chunks) {
                if (chunk.length == ChunkedBytes.MAX_CHUNK_SIZE && free.size() < capacity) {
                    free.addLast(chunk);
                }
            }
        }
    }

    /** Chunks kept for reuse now. */
    public synchronized int freeChunks() {
        return free.size();
    }
}
