package io.streamload.emulator.http;

import java.io.IOException;
import java.io.InputStream;

/** Reads exactly Content-Length bytes of a body from the connection, never past it. */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    long remaining() {
        return remaining;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed with " + remaining + " body bytes unread");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(buf, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new IOException("connection closed with " + remaining + " body bytes unread");
        }
        remaining -= n;
        return n;
    }
}
