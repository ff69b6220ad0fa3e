package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One Jackson generator kept for as long as rows go to the same buffer, instead of one per row:
 * creating a generator (its context, its recycled buffers) cost about as much as writing a short
 * row. Each row is flushed into the buffer when it ends, so the buffer's size and truncation stay
 * exact; after a failed row the generator is dropped, unflushed, so no half row reaches the
 * buffer and its state cannot leak into the next row.
 *
 * <p>Rows are written as consecutive root values, so the factory must have no root value
 * separator (see {@link JsonRowEncoder#FACTORY}). Not thread-safe: one per encoder, and the
 * buffers call their encoder under one lock.
 */
final class RowGenerator {

    private final JsonFactory factory;
    private OutputStream target;
    private JsonGenerator generator;

    RowGenerator(JsonFactory factory) {
        this.factory = factory;
    }

    /** The generator writing into {@code out}; write one root value, then {@link #endRow()}. */
    JsonGenerator startRow(OutputStream out) throws IOException {
        if (generator == null || target != out) {
            if (generator != null) {
                generator.close();
            }
            generator = factory.createGenerator(out);
            target = out;
        }
        return generator;
    }

    /** Moves the row's bytes into the buffer. */
    void endRow() throws IOException {
        generator.flush();
    }

    /** Forgets the generator after a failed row; nothing it still holds is written. */
    void discard() {
        generator = null;
        target = null;
    }
}
