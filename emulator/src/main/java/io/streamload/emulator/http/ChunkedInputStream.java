package io.streamload.emulator.http;

import java.io.IOException;
import java.io.InputStream;

/** Decodes a {@code Transfer-Encoding: chunked} body, as clients send bodies of unknown length. */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long chunkRemaining;
    private boolean finished;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    boolean finished() {
        return finished;
    }

    private boolean nextChunk() throws IOException {
        if (finished) {
            return false;
        }
        while (chunkRemaining == 0) {
            String line = HttpParser.readLine(in);
            if (line == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            if (line.isEmpty()) {
                continue; // CRLF that ends the previous chunk
            }
            int semi = line.indexOf(';');
            String size = (semi < 0 ? line : line.substring(0, semi)).trim();
            chunkRemaining = Long.parseLong(size, 16);
            if (chunkRemaining == 0) {
                // Trailers end with an empty line.
                String trailer;
                do {
                    trailer = HttpParser.readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                finished = true;
                return false;
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (!nextChunk()) {
            return -1;
        }
        int n = in.read(buf, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw new IOException("connection closed inside a chunk");
        }
        chunkRemaining -= n;
        return n;
    }
}
