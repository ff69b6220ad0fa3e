package io.streamload.connect.buffer;

import java.nio.charset.StandardCharsets;

/**
 * The bytes around and between rows that make a load body the target can read: for StarRocks
 * JSON a {@code [..]} array (sent with {@code strip_outer_array}), for line-delimited JSON or CSV
 * just a delimiter between rows.
 */
public record BodyFraming(byte[] prefix, byte[] separator, byte[] suffix) {

    public static BodyFraming of(String prefix, String separator, String suffix) {
        return new BodyFraming(prefix.getBytes(StandardCharsets.UTF_8), separator.getBytes(StandardCharsets.UTF_8),
                suffix.getBytes(StandardCharsets.UTF_8));
    }

    /** Rows separated by a delimiter, nothing around them. */
    public static BodyFraming delimited(String separator) {
        return of("", separator, "");
    }
}
