package io.streamload.connect.buffer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * How a load body is compressed on the wire ({@code load.compression}). The codec wraps the
 * connection's output stream while the body's chunks are written to it, so a body is compressed
 * as it is sent: no compressed copy of it is ever held, and a retry compresses it again.
 *
 * <p>gzip is the JDK's. LZ4 frames and zstd come from lz4-java and zstd-jni, which the plugin does
 * not bundle: every Kafka Connect worker has them on its classpath, because kafka-clients needs
 * them for compressed record batches (Kafka 3.4 to 4.1 ship them in {@code libs/}), and a
 * plugin's class loader falls back to the worker's for classes the plugin does not hold.
 * {@link #unavailableReason()} tells when a worker lacks them.
 */
public enum BodyCodec {
    NONE("none", 0, 0, 0),
    /**
     * RFC 1952 gzip through {@link java.util.zip.Deflater}; levels 1 (fastest) to 9 (smallest), 1 by
     * default: level 6 cost about twice its CPU for bodies 14% smaller (docs/performance.md).
     */
    GZIP("gzip", 1, 9, 1),
    /** The LZ4 frame format (what the {@code lz4} tool writes), 64 KiB blocks; no levels. */
    LZ4_FRAME("lz4_frame", 0, 0, 0),
    /**
     * Zstandard frames; levels 1 to 19. Level 1 by default, not zstd's 3: on the benchmark's JSON
     * rows level 3 cost twice the CPU for no smaller bodies (docs/performance.md).
     */
    ZSTD("zstd", 1, 19, 1);

    private static final String LZ4_FRAME_CLASS = "net.jpountz.lz4.LZ4FrameOutputStream";
    private static final String ZSTD_CLASS = "com.github.luben.zstd.ZstdOutputStream";
    /** The deflater's input is the body's chunks, up to 256 KiB each: a small output buffer is enough. */
    private static final int GZIP_BUFFER = 16 * 1024;

    private final String settingName;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    BodyCodec(String settingName, int minLevel, int maxLevel, int defaultLevel) {
        this.settingName = settingName;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** The value of {@code load.compression} that names it. */
    public String settingName() {
        return settingName;
    }

    /** Every setting name, in order: {@code none, gzip, lz4_frame, zstd}. */
    public static String settingNames() {
        return String.join(", ", Arrays.stream(values()).map(BodyCodec::settingName).toList());
    }

    public static Optional<BodyCodec> bySettingName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BodyCodec codec : values()) {
            if (codec.settingName.equals(wanted)) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    /** True when the codec has levels to choose from. */
    public boolean hasLevels() {
        return maxLevel > 0;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    /** The level used when none is configured. */
    public int defaultLevel() {
        return defaultLevel;
    }

    /**
     * Why the codec cannot run in this JVM, or empty when it can: lz4-java or zstd-jni missing from
     * the worker's classpath, or zstd-jni without a native library for this platform.
     */
    public Optional<String> unavailableReason() {
        try {
            switch (this) {
                case LZ4_FRAME -> Class.forName(LZ4_FRAME_CLASS, false, BodyCodec.class.getClassLoader());
                case ZSTD -> {
                    Class.forName(ZSTD_CLASS, false, BodyCodec.class.getClassLoader());
                    ZstdFrames.checkNativeLibrary();
                }
                default -> {
                }
            }
            return Optional.empty();
        } catch (ClassNotFoundException | LinkageError e) {
            String library = this == LZ4_FRAME ? "lz4-java (net.jpountz.lz4)" : "zstd-jni (com.github.luben.zstd)";
            return Optional.of(settingName + " needs " + library + ", which Kafka ships with kafka-clients but this "
                    + "worker cannot load (" + e + "); put its jar in the worker's libs or in the plugin's folder, "
                    + "or use gzip");
        }
    }

    /**
     * Wraps {@code out} in this codec. Closing the returned stream ends the compressed data and
     * frees the codec's memory, but leaves {@code out} open: the connection is not the codec's.
     *
     * @param level the level, within {@link #minLevel()}..{@link #maxLevel()}; ignored without levels
     */
    public OutputStream compressing(OutputStream out, int level) throws IOException {
        OutputStream kept = new KeptOpen(out);
        return switch (this) {
            case NONE -> kept;
            case GZIP -> new LeveledGzip(kept, level);
            case LZ4_FRAME -> Lz4Frames.open(kept);
            case ZSTD -> ZstdFrames.open(kept, level);
        };
    }

    /** gzip at a chosen level; {@link GZIPOutputStream} ends its deflater on close. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, GZIP_BUFFER);
            def.setLevel(level);
        }
    }

    /** Passes writes through, in bulk, and ignores close. */
    private static final class KeptOpen extends FilterOutputStream {
        KeptOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
