package io.streamload.emulator.load;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts rows of a body without parsing or keeping it: the counting fast path, so benchmarks
 * measure the client and not the server. CSV counts row delimiters; JSON counts objects at the row
 * level (inside the outer array with strip_outer_array), skipping strings.
 */
public final class RowCounter {
    private RowCounter() {
    }

    public static long count(InputStream in, LoadOptions options) throws IOException {
        return options.format == LoadOptions.Format.CSV ? countCsv(in, options.rowDelimiter) : countJson(in, options.stripOuterArray);
    }

    private static long countCsv(InputStream in, String delimiter) throws IOException {
        byte[] delim = delimiter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buf = new byte[64 * 1024];
        long rows = 0;
        int matched = 0;
        boolean pending = false; // bytes seen since the last delimiter
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == delim[matched]) {
                    matched++;
                    if (matched == delim.length) {
                        if (pending) {
                            rows++;
                        }
                        pending = false;
                        matched = 0;
                    }
                } else {
                    matched = b == delim[0] ? 1 : 0;
                    pending = true;
                }
            }
        }
        return pending ? rows + 1 : rows;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long QUOTES = everyByte('"');
    private static final long BACKSLASHES = everyByte('\\');
    private static final long OPENS = everyByte('{');
    private static final long CLOSES = everyByte('}');
    /** OR-ed into a word, turns '[' and ']' into '{' and '}' and leaves no other byte equal to them. */
    private static final long BRACKETS_AS_BRACES = everyByte(' ');

    /** Added to a word's low seven bits (brackets already folded), sets the high bit of bytes 0x7B and above. */
    private static final long TO_HIGH_FROM_OPEN_BRACE = everyByte((char) (0x80 - '{'));

    /**
     * Eight bytes at a time, the way SIMD JSON parsers find structure: a word's quotes, braces and
     * brackets become bit masks, and only braces and brackets outside strings are visited one by
     * one (two per flat row). Which bytes are inside a string follows from the number of quotes
     * before each byte: a multiplication sums the word's quote bits into every byte at once, and
     * the low bit of each sum is the parity. Words that cannot hold a brace, a bracket or a
     * backslash (most of them) go sixteen bytes at a time and only add their quotes to a running
     * count, whose parity says whether the bytes so far end inside a string: the fewer operations
     * per byte the better, since the emulator shares the benchmark's cores with the sink it
     * measures. A word with a backslash, or after one, goes byte by byte, since an escape hides
     * the byte after it.
     */
    static long countJson(InputStream in, boolean strip) throws IOException {
        int rowDepth = strip ? 1 : 0;
        byte[] buf = new byte[256 * 1024];
        long rows = 0;
        int depth = 0;
        long quotes = 0; // quotes outside escapes so far: odd while the bytes read end inside a string
        boolean escaped = false; // they end on a backslash inside a string
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            int words = n & ~7;
            int at = 0;
            while (at < n) {
                if (!escaped) {
                    for (; at + 16 <= words; at += 16) {
                        long first = (long) LONGS.get(buf, at);
                        long second = (long) LONGS.get(buf, at + 8);
                        if (((mayBeStructure(first) | mayBeStructure(second)) & HIGH) != 0) {
                            break;
                        }
                        // The first word's quote bits moved to bit 0 of each byte, the second's
                        // stay at bit 7: one bit count for both.
                        quotes += Long.bitCount((zeroBytes(first ^ QUOTES) >>> 7) | zeroBytes(second ^ QUOTES));
                    }
                    if (at < words) {
                        long word = (long) LONGS.get(buf, at);
                        long quoteBits = zeroBytes(word ^ QUOTES);
                        if ((mayBeStructure(word) & HIGH) == 0) {
                            quotes += Long.bitCount(quoteBits);
                            at += 8;
                            continue;
                        }
                        if (zeroBytes(word ^ BACKSLASHES) == 0) {
                            long folded = word | BRACKETS_AS_BRACES;
                            long brackets = zeroBytes(folded ^ OPENS) | zeroBytes(folded ^ CLOSES);
                            // Byte k of the product holds the quotes in bytes 0..k (at most 8, no carry).
                            long inString = ((((quoteBits >>> 7) * ONES) << 7) & HIGH) ^ (-(quotes & 1) & HIGH);
                            quotes += Long.bitCount(quoteBits);
                            for (long structure = brackets & ~inString; structure != 0; structure &= structure - 1) {
                                byte b = buf[at + (Long.numberOfTrailingZeros(structure) >>> 3)];
                                if (b == '{') {
                                    if (depth == rowDepth) {
                                        rows++;
                                    }
                                    depth++;
                                } else if (b == '[') {
                                    depth++;
                                } else {
                                    depth--;
                                }
                            }
                            at += 8;
                            continue;
                        }
                    } else if (at >= n) {
                        break;
                    }
                }
                int to = Math.min(at + 8, n);
                boolean inString = (quotes & 1) != 0;
                for (int i = at; i < to; i++) {
                    byte b = buf[i];
                    if (inString) {
                        if (escaped) {
                            escaped = false;
                        } else if (b == '\\') {
                            escaped = true;
                        } else if (b == '"') {
                            inString = false;
                        }
                    } else if (b == '"') {
                        inString = true;
                    } else if (b == '{') {
                        if (depth == rowDepth) {
                            rows++;
                        }
                        depth++;
                    } else if (b == '[') {
                        depth++;
                    } else if (b == '}' || b == ']') {
                        depth--;
                    }
                }
                quotes = inString ? 1 : 0;
                at = to;
            }
        }
        return rows;
    }

    /**
     * A word whose high bits (the caller masks them) mark the bytes that may be a brace, a bracket
     * or a backslash, in three operations: OR-ed with 0x20 those five bytes are 0x7B to 0x7D, and
     * the low seven bits of a byte at 0x7B or above carry into its high bit. Some other bytes are
     * taken too ('^', '_', '|', '~', DEL and some bytes of UTF-8 sequences), which only sends their
     * word the longer way.
     */
    private static long mayBeStructure(long word) {
        return ((word | BRACKETS_AS_BRACES) & LOW7) + TO_HIGH_FROM_OPEN_BRACE;
    }

    /** 0x80 in each byte of {@code x} that is zero, 0 in the others (exact, no borrow between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    private static long everyByte(char c) {
        return (c & 0xffL) * 0x0101010101010101L;
    }
}
