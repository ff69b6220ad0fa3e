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

    /**
     * Eight bytes at a time, the way SIMD JSON parsers find structure: a word's quotes, braces and
     * brackets become bit masks, and only braces and brackets outside strings are visited one by
     * one (two per flat row). Which bytes are inside a string follows from the number of quotes
     * before each byte: a multiplication sums the word's quote bits into every byte at once, and
     * the low bit of each sum is the parity. A word without braces, brackets or backslashes (most
     * of them, found by one range test) only needs the parity of its quotes, one bit count. A word
     * with a backslash, or after one, goes
     * byte by byte, since an escape hides the byte after it. The emulator shares the benchmark's
     * cores with the sink it measures, so its share must be small.
     */
    static long countJson(InputStream in, boolean strip) throws IOException {
        int rowDepth = strip ? 1 : 0;
        byte[] buf = new byte[256 * 1024];
        long rows = 0;
        int depth = 0;
        long inStringCarry = 0; // all ones while the bytes read so far end inside a string, else 0
        boolean escaped = false; // they end on a backslash inside a string
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            int words = n & ~7;
            int at = 0;
            while (at < n) {
                if (!escaped) {
                    for (; at < words; at += 8) {
                        long word = (long) LONGS.get(buf, at);
                        if (!mayHoldStructure(word)) {
                            inStringCarry ^= -(Long.bitCount(zeroBytes(word ^ QUOTES)) & 1);
                            continue;
                        }
                        if (zeroBytes(word ^ BACKSLASHES) != 0) {
                            break;
                        }
                        long quotes = zeroBytes(word ^ QUOTES);
                        long folded = word | BRACKETS_AS_BRACES;
                        long brackets = zeroBytes(folded ^ OPENS) | zeroBytes(folded ^ CLOSES);
                        if (brackets == 0) {
                            inStringCarry ^= -(Long.bitCount(quotes) & 1);
                            continue;
                        }
                        // Byte k of the product holds the quotes in bytes 0..k (at most 8, no carry).
                        long inString = ((((quotes >>> 7) * ONES) << 7) & HIGH) ^ (inStringCarry & HIGH);
                        inStringCarry = inString >> 63;
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
                    }
                    if (at >= n) {
                        break;
                    }
                }
                int to = Math.min(at + 8, n);
                boolean inString = inStringCarry != 0;
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
                inStringCarry = inString ? -1L : 0;
                at = to;
            }
        }
        return rows;
    }

    /**
     * False when no byte of the word is a brace, a bracket or a backslash, in one range test: OR-ed
     * with 0x20 those five bytes (and '|') are the ASCII bytes 0x7B to 0x7D. The classic SWAR "has a
     * byte between m and n" test, exact for ASCII bytes; bytes of UTF-8 sequences are 0x80 or above
     * and never match. Most words of a row hold none, and need only their quotes counted.
     */
    private static boolean mayHoldStructure(long word) {
        long low = (word | BRACKETS_AS_BRACES) & LOW7;
        return (((0x7E + 127) * ONES - low) & ~word & (low + (127 - 0x7A) * ONES) & HIGH) != 0;
    }

    /** 0x80 in each byte of {@code x} that is zero, 0 in the others (exact, no borrow between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    private static long everyByte(char c) {
        return (c & 0xffL) * 0x0101010101010101L;
    }
}
