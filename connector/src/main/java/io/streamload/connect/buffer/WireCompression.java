package io.streamload.connect.buffer;

import java.io.IOException;
import java.io.OutputStream;

/** A codec at a level: how every load body of a task is compressed on the wire. */
public record WireCompression(BodyCodec codec, int level) {

    public static final WireCompression NONE = new WireCompression(BodyCodec.NONE, 0);

    public boolean compresses() {
        return codec != BodyCodec.NONE;
    }

    /** See {@link BodyCodec#compressing}. */
    public OutputStream compressing(OutputStream out) throws IOException {
        return codec.compressing(out, level);
    }

    @Override
    public String toString() {
        return codec.hasLevels() ? codec.settingName() + " level " + level : codec.settingName();
    }
}
