package io.streamload.connect.encode;

import static io.streamload.connect.encode.Utf8.HIGHS;
import static io.streamload.connect.encode.Utf8.LONGS;
import static io.streamload.connect.encode.Utf8.ONES;
import static io.streamload.connect.encode.Utf8.QUESTION_MARKS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * String values and Map keys of JSON rows, written with the same bytes Jackson's generator
 * writes but without its char-by-char loop, which was half of {@code put()}'s samples for Map
 * input.
 *
 * <p>A value is encoded with {@link String#getBytes} (a plain copy for the Latin-1 strings most
 * values are) and its bytes are looked at eight at a time for what JSON must escape ({@code "},
 * {@code \} and control characters), for characters beyond the BMP (which Jackson writes as an
 * escaped surrogate pair, {@code JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8} being off)
 * and for {@code ?}, which {@code getBytes} writes for a lone
 * surrogate. Without them the bytes go out as they are, between quotes; with an escape Jackson
 * writes the string, and a {@code ?} has the String's chars checked for a lone surrogate, which is
 * refused ({@link Utf8}). Jackson escapes nothing else by default (no non-ASCII, no {@code /}), so
 * both ways give the same bytes.
 *
 * <p>Map keys ({@code JsonConverter} gives every record the same interned key instances) are
 * checked and quoted once and kept, up to {@link #MAX_KEYS} of them.
 *
 * <p>Not thread-safe: one per {@link JsonValueWriter}.
 */
final class JsonStrings {

    /** Keys kept quoted; beyond that (keys that are data, not names) each is quoted as it comes. */
    static final int MAX_KEYS = 1024;

    /** What {@link #find} reports: a byte to escape, a {@code ?}. */
    static final long ESCAPE = 1;
    static final long QUESTION = 2;

    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long SPACES = ' ' * ONES;

    private final Map<String, SerializableString> keys = new HashMap<>();

    /**
     * Writes {@code value} as a JSON string.
     *
     * @param where the field's name, for the message
     * @throws RecordEncodingException when it holds a lone surrogate
     */
    void writeValue(JsonGenerator g, String value, String where) throws IOException, RecordEncodingException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        long found = find(utf8);
        if ((found & QUESTION) != 0) {
            int surrogate = Utf8.loneSurrogate(value);
            if (surrogate >= 0) {
                throw Utf8.loneSurrogate(value, surrogate, "field '" + where + "'");
            }
        }
        if ((found & ESCAPE) != 0) {
            g.writeString(value);
        } else {
            g.writeRawUTF8String(utf8, 0, utf8.length);
        }
    }

    /**
     * Writes {@code key} as a member's name.
     *
     * @throws RecordEncodingException when it holds a lone surrogate
     */
    void writeKey(JsonGenerator g, String key) throws IOException, RecordEncodingException {
        SerializableString quoted = keys.get(key);
        if (quoted == null) {
            int surrogate = Utf8.loneSurrogate(key);
            if (surrogate >= 0) {
                throw Utf8.loneSurrogate(key, surrogate, "the key '" + key + "'");
            }
            if (hasSurrogate(key)) {
                // A pair: the generator escapes it, a SerializedString would not.
                g.writeFieldName(key);
                return;
            }
            quoted = new SerializedString(key);
            if (keys.size() < MAX_KEYS) {
                keys.put(key, quoted);
            }
        }
        g.writeFieldName(quoted);
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@link #ESCAPE} when a byte must be escaped, {@link #QUESTION} when there is a {@code ?}, or both. */
    static long find(byte[] bytes) {
        long escape = 0;
        long question = 0;
        int i = 0;
        int end = bytes.length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            // Exact for "there is one": a byte below 0x20 (the classic SWAR test, high bytes
            // excluded), a quote, a backslash, the lead byte of a character beyond the BMP
            // (its four high bits set), a question mark.
            escape |= ((word - SPACES) & ~word) | Utf8.hasByte(word, QUOTES) | Utf8.hasByte(word, BACKSLASHES)
                    | (word & (word << 1) & (word << 2) & (word << 3));
            question |= Utf8.hasByte(word, QUESTION_MARKS);
        }
        long result = ((escape & HIGHS) != 0 ? ESCAPE : 0) | ((question & HIGHS) != 0 ? QUESTION : 0);
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b >= 0 && b < ' ' || b == '"' || b == '\\' || (b & 0xF0) == 0xF0) {
                result |= ESCAPE;
            } else if (b == '?') {
                result |= QUESTION;
            }
        }
        return result;
    }
}
