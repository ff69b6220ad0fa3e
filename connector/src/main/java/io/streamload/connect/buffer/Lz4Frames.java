package io.streamload.connect.buffer;

import java.io.IOException;
import java.io.OutputStream;

import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * LZ4 frames through lz4-java. A class of its own so that {@link BodyCodec} links lz4-java only
 * when this codec is used: a worker without it fails validation, not class loading.
 */
final class Lz4Frames {

    private Lz4Frames() {
    }

    /**
     * 64 KiB blocks, not the library's 4 MiB default: a stream holds two blocks, and the servers
     * (LZ4F decompression in both BEs) read any block size.
     */
    static OutputStream open(OutputStream out) throws IOException {
        return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB);
    }
}
