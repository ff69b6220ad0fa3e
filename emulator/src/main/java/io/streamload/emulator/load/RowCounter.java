package io.streamload.emulator.load;

import java.io.IOException;
import java.io.InputStream;

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

    /** Bytes that end a run of string content: the closing quote and the escape. */
    private static final boolean[] STRING_STOP = new boolean[256];
    /** Bytes that matter between strings: a string's start and the brackets. */
    private static final boolean[] STRUCTURE = new boolean[256];

    static {
        STRING_STOP['"'] = true;
        STRING_STOP['\\'] = true;
        for (char c : new char[] {'"', '{', '}', '[', ']'}) {
            STRUCTURE[c] = true;
        }
    }

    /**
     * A state machine over the bytes that matter; runs of other bytes (string content, numbers,
     * commas) are skipped with one table lookup each, which keeps the emulator's share of a
     * benchmark's CPU small, since it shares the cores with the sink it measures.
     */
    static long countJson(InputStream in, boolean strip) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long rows = 0;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false; // the last read ended on a backslash inside a string
        int rowDepth = strip ? 1 : 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            int i = 0;
            if (escaped) {
                escaped = false;
                i = 1;
            }
            while (i < n) {
                if (inString) {
                    while (i < n && !STRING_STOP[buf[i] & 0xff]) {
                        i++;
                    }
                    if (i == n) {
                        break;
                    }
                    if (buf[i] == '\\') {
                        if (i + 1 == n) {
                            escaped = true;
                        }
                        i += 2;
                    } else {
                        inString = false;
                        i++;
                    }
                    continue;
                }
                while (i < n && !STRUCTURE[buf[i] & 0xff]) {
                    i++;
                }
                if (i == n) {
                    break;
                }
                switch (buf[i++]) {
                    case '"' -> inString = true;
                    case '{' -> {
                        if (depth == rowDepth) {
                            rows++;
                        }
                        depth++;
                    }
                    case '[' -> depth++;
                    default -> depth--; // '}' or ']'
                }
            }
        }
        return rows;
    }
}
