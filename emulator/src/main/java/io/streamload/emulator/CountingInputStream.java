package io.streamload.emulator;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts body bytes as they arrive and stops a body that grows past the size limit. */
final class CountingInputStream extends FilterInputStream {
    /** The body passed the limit (a chunked body has no Content-Length to check up front). */
    static final class TooLarge extends IOException {
        final long size;

        TooLarge(long size) {
            super("body too large", null);
            this.size = size;
        }
    }

    private final long limit;
    private long count;

    CountingInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    private void add(long n) throws TooLarge {
        count += n;
        if (count > limit) {
            throw new TooLarge(count);
        }
    }

    /** Reads the rest of the body so the connection can carry the next request. */
    void skipAll() throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            while (read(buf, 0, buf.length) >= 0) {
                // discard
            }
        } catch (TooLarge e) {
            // already failing
        }
    }
}
