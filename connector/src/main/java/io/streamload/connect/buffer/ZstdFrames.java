package io.streamload.connect.buffer;

import java.io.IOException;
import java.io.OutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import com.github.luben.zstd.util.Native;

/**
 * Zstandard frames through zstd-jni. A class of its own so that {@link BodyCodec} links zstd-jni
 * only when this codec is used.
 */
final class ZstdFrames {

    private ZstdFrames() {
    }

    /** Loads zstd-jni's native library; throws a LinkageError when this platform has none. */
    static void checkNativeLibrary() {
        Native.load();
    }

    static OutputStream open(OutputStream out, int level) throws IOException {
        return new ZstdOutputStream(out, level);
    }
}
