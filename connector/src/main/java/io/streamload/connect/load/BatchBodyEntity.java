package io.streamload.connect.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import io.streamload.connect.buffer.ChunkedBytes;

/**
 * A load body streamed straight from the sealed buffer's chunks: no copy into one big array, and
 * repeatable, so a retry sends the very same bytes.
 */
final class BatchBodyEntity extends AbstractHttpEntity {

    private final ChunkedBytes body;
    private volatile boolean sending;
    private volatile boolean sent;

    BatchBodyEntity(ChunkedBytes body) {
        super((String) null, null, false);
        this.body = body;
    }

    /** True once the whole body was handed to the connection: a failure after it struck while reading the reply. */
    boolean sent() {
        return sent;
    }

    /** True once the body started to go out. */
    boolean sending() {
        return sending;
    }

    @Override
    public InputStream getContent() {
        return body.newInputStream();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        sending = true;
        body.writeTo(out);
        sent = true;
    }

    @Override
    public long getContentLength() {
        return body.size();
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
