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

    private static long countJson(InputStream in, boolean strip) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long rows = 0;
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        int rowDepth = strip ? 1 : 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                    }
                    continue;
                }
                switch (b) {
                    case '"' -> inString = true;
                    case '{', '[' -> {
                        if (b == '{' && depth == rowDepth) {
                            rows++;
                        }
                        depth++;
                    }
                    case '}', ']' -> depth--;
                    default -> {
                    }
                }
            }
        }
        return rows;
    }
}
