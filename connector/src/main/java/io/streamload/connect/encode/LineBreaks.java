package io.streamload.connect.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds {@code \n} and {@code \r} in UTF-8 bytes eight at a time. The passthrough path looks at
 * every byte of every value for them (almost always finding none), so a byte-by-byte loop was
 * most of its cost. Multi-byte UTF-8 sequences never hold bytes below 0x80, so a match is always
 * a real line break.
 */
final class LineBreaks {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** A byte below this one may be a line break (both are below it): one test per word for both. */
    private static final long BELOW_CARRIAGE_RETURN = ('\r' + 1) * ONES;

    private LineBreaks() {
    }

    /** The index of the first line break in {@code [from, end)}, or -1. */
    static int indexIn(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            // The classic SWAR test for a byte less than n, exact for "is there one": only words
            // with a control character (a tab, a line break) are looked at byte by byte.
            if (((word - BELOW_CARRIAGE_RETURN) & ~word & HIGHS) != 0) {
                for (int j = i; j < i + Long.BYTES; j++) {
                    if (bytes[j] == '\n' || bytes[j] == '\r') {
                        return j;
                    }
                }
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }
}
