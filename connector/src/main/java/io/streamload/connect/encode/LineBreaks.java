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
    private static final long NEWLINES = '\n' * ONES;
    private static final long RETURNS = '\r' * ONES;

    private LineBreaks() {
    }

    /** The index of the first line break in {@code [from, end)}, or -1. */
    static int indexIn(byte[] bytes, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            if (hasZeroByte(word ^ NEWLINES) || hasZeroByte(word ^ RETURNS)) {
                break;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** True when some byte of {@code word} is zero (the classic SWAR test: exact, no false positives). */
    private static boolean hasZeroByte(long word) {
        return ((word - ONES) & ~word & HIGHS) != 0;
    }
}
