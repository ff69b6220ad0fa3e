package io.streamload.connect.load;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.WireCompression;

/**
 * A load body streamed straight from the sealed buffer's chunks: no copy into one big array, and
 * repeatable, so a retry sends the very same rows.
 *
 * <p>A compressed body is compressed while it is written to the connection, chunk by chunk, and
 * sent with chunked transfer encoding, as its compressed length is known only at its end (both
 * servers read chunked bodies; their size limit counts the bytes received). Each send compresses
 * the rows afresh, so a retry, a redirect or a second FE gets a whole, correct stream.
 */
final class BatchBodyEntity extends AbstractHttpEntity {

    private final ChunkedBytes body;
    private final WireCompression compression;
    private volatile boolean sending;
    private volatile boolean sent;

    BatchBodyEntity(ChunkedBytes body, WireCompression compression) {
        super((String) null, null, compression.compresses());
        this.body = body;
        this.compression = compression;
    }

    /** True once the whole body was handed to the connection: a failure after it struck while reading the reply. */
    boolean sent() {
        return sent;
    }

    /** True once the body started to go out. */
    boolean sending() {
        return sending;
    }

    /**
     * The bytes {@link #writeTo} sends. The client never reads a request entity this way; for a
     * compressed body it costs a compressed copy.
     */
    @Override
    public InputStream getContent() throws IOException {
        if (!compression.compresses()) {
            return body.newInputStream();
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        write(copy);
        return new ByteArrayInputStream(copy.toByteArray());
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        sending = true;
        write(out);
        sent = true;
    }

    private void write(OutputStream out) throws IOException {
        if (!compression.compresses()) {
            body.writeTo(out);
            return;
        }
        // Closing the codec ends its stream (and frees a native one's memory) but not the connection.
        try (OutputStream compressed = compression.compressing(out)) {
            body.writeTo(compressed);
        }
    }

    /** The rows' length; -1 (chunked) for a compressed body, whose length is known at its end only. */
    @Override
    public long getContentLength() {
        return compression.compresses() ? -1 : body.size();
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // Nothing to release: the chunks belong to the batch.
    }
}
