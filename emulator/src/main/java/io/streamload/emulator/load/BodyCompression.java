package io.streamload.emulator.load;

import com.github.luben.zstd.ZstdInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * The stream codecs both targets decompress load bodies with (StarRocks
 * {@code be/src/util/compression/stream_compression.cpp}, Doris {@code be/src/exec/decompressor.cpp},
 * which share their origin). Which header names which codec is the dialect's business.
 */
public enum BodyCompression {
    /**
     * gzip, or zlib: the servers call zlib's {@code inflateInit2} with window bits 15|32, which takes
     * either header, and start over after each member.
     */
    GZIP,
    /** zlib-wrapped deflate (window bits 15: the RFC 1950 header and Adler-32 trailer), not raw deflate. */
    DEFLATE,
    /** bzip2, members one after another. */
    BZIP2,
    /** The LZ4 frame format (what the {@code lz4} tool writes), not LZ4 blocks. */
    LZ4_FRAME,
    /** Zstandard frames. */
    ZSTD;

    private static final int BUFFER = 64 * 1024;

    /**
     * The decompressed body. Closing it does not close {@code in}. A decoder's unchecked failure on
     * data it cannot read comes out as an IOException, like the checked ones.
     */
    public InputStream decode(InputStream in) throws IOException {
        InputStream source = new FilterInputStream(in) {
            @Override
            public void close() {
                // the request body belongs to the connection
            }
        };
        try {
            return new Unchecked(open(source));
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private InputStream open(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> gzipOrZlib(in);
            case DEFLATE -> new InflaterInputStream(in, new Inflater(), BUFFER);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case LZ4_FRAME -> new LZ4FrameInputStream(lz4FrameHead(in));
            case ZSTD -> new ZstdInputStream(zstdHead(in));
        };
    }

    /**
     * What the servers' decoder says when the body is not in this codec's format, from the
     * failure {@link #decode} or a read of its stream threw. The texts are those of StarRocks'
     * {@code be/src/util/compression/stream_compression.cpp} and Doris' {@code be/src/exec/decompressor.cpp},
     * which share them except for zstd ({@code rules} words that one); the return and status codes
     * are zlib's {@code Z_DATA_ERROR} (-3) and bzip2's {@code BZ_DATA_ERROR} (-4) or
     * {@code BZ_DATA_ERROR_MAGIC} (-5), the error names LZ4's and zstd's.
     */
    public String failureMessage(IOException e, HeaderRules rules) {
        if (e instanceof ServerWords words) {
            return this == ZSTD ? rules.zstdFailure(words.getMessage()) : words.getMessage();
        }
        return switch (this) {
            case GZIP, DEFLATE -> "Failed to inflate. return code: -3";
            case BZIP2 -> "Failed to bz2 decompress. status code: "
                    + (String.valueOf(e.getMessage()).contains("not in the BZip2 format") ? -5 : -4);
            case LZ4_FRAME -> "Decompression error: ERROR_decompressionFailed";
            case ZSTD -> rules.zstdFailure("Data corruption detected");
        };
    }

    /**
     * The servers read the LZ4 frame header from the body's first bytes and refuse a body shorter
     * than the longest header, or one without the frame magic number (LZ4F_getFrameInfo).
     */
    private static InputStream lz4FrameHead(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 15);
        byte[] head = peek.readNBytes(15);
        peek.unread(head);
        if (head.length < 15) {
            throw new ServerWords("Lz4 header size is between 7 and 15 bytes. but input size is only: " + head.length);
        }
        if (!startsWith(head, 0x04, 0x22, 0x4d, 0x18)) {
            throw new ServerWords("LZ4F_getFrameInfo error: ERROR_frameType_unknown");
        }
        return peek;
    }

    /** A zstd frame starts with its magic number; anything else is an unknown frame descriptor. */
    private static InputStream zstdHead(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 4);
        byte[] head = peek.readNBytes(4);
        peek.unread(head);
        if (head.length == 4 && !startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            throw new ServerWords("Unknown frame descriptor");
        }
        return peek;
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** A failure the servers word exactly so (zstd's: the error name, the dialect words the rest). */
    private static final class ServerWords extends IOException {
        ServerWords(String message) {
            super(message);
        }
    }

    private static InputStream gzipOrZlib(InputStream in) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(in, 2);
        byte[] magic = peek.readNBytes(2);
        peek.unread(magic);
        boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        return gzip ? new GZIPInputStream(peek, BUFFER) : new InflaterInputStream(peek, new Inflater(), BUFFER);
    }

    /** Turns a decoder's runtime exceptions (lz4-java, zstd-jni) into IOExceptions. */
    private static final class Unchecked extends FilterInputStream {
        Unchecked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
