package io.streamload.connect.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8 checks for record values, so that text the target would store differently from
 * what was sent is refused instead: a decoder that is lenient turns an overlong {@code C0 AF}
 * into {@code /}, and an encoder turns a lone UTF-16 surrogate into {@code ?}. Well-formed means
 * exactly Unicode's table 3-7: no overlong forms, no surrogates (U+D800..U+DFFF, so no CESU-8),
 * nothing above U+10FFFF, no byte above F4, no sequence cut short.
 *
 * <p>The check runs over every byte of every text value, so runs of ASCII are skipped eight bytes
 * at a time; only the bytes of multi-byte characters are decoded.
 * The encoders that look at every byte anyway (passthrough for line breaks, CSV for the row
 * delimiter) fold this check into their own scan ({@link TextScan}) instead of making
 * a second pass.
 *
 * <p>A byte order mark at the start of a value is valid UTF-8, but it is not part of the text:
 * the targets would take it as the first character (a broken first CSV column, JSON that does not
 * parse), so it is refused too, with its own advice.
 */
final class Utf8 {

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    /** '?' in every byte: what {@link String#getBytes} writes for a lone surrogate. */
    static final long QUESTION_MARKS = '?' * ONES;

    private Utf8() {
    }

    /**
     * Checks that {@code bytes} are well-formed UTF-8 and do not start with a byte order mark.
     *
     * @param what the value's name for the message, e.g. "the value"
     * @throws RecordEncodingException saying which bytes are wrong, where, and why
     */
    static void check(byte[] bytes, String what) throws RecordEncodingException {
        if (startsWithByteOrderMark(bytes)) {
            throw byteOrderMark(what);
        }
        int at = firstMalformed(bytes, 0, bytes.length);
        if (at >= 0) {
            throw malformed(bytes, at, bytes.length, what);
        }
    }

    /** The refusal of the malformed sequence at {@code at}. */
    static RecordEncodingException malformed(byte[] bytes, int at, int end, String what) {
        return new RecordEncodingException(what + " is not valid UTF-8: " + describe(bytes, at, end)
                + " at byte " + at + ". Text is loaded as it was sent, never repaired; "
                + "fix the producer's encoding (or its converter) so it writes UTF-8");
    }

    /**
     * A String value as UTF-8 bytes, refusing what has no UTF-8 form: a lone surrogate, which
     * {@link String#getBytes} would silently turn into {@code ?}, or a leading byte order mark.
     */
    static byte[] encode(String text, String what) throws RecordEncodingException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw byteOrderMark(what);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // The encoder writes '?' for a lone surrogate: without a '?' in the bytes there is none,
        // and looking for one byte is cheaper than decoding every char.
        if (contains(bytes, QUESTION_MARKS)) {
            checkSurrogates(text, what);
        }
        return bytes;
    }

    /** Refuses a String holding a lone surrogate or starting with a byte order mark. */
    static void check(String text, String what) throws RecordEncodingException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw byteOrderMark(what);
        }
        checkSurrogates(text, what);
    }

    /** Refuses a String holding a lone surrogate (a byte order mark inside text is a character like others). */
    static void checkSurrogates(String text, String what) throws RecordEncodingException {
        int at = loneSurrogate(text);
        if (at >= 0) {
            throw loneSurrogate(text, at, what);
        }
    }

    /** The refusal of the lone surrogate at {@code at}. */
    static RecordEncodingException loneSurrogate(String text, int at, String what) {
        return new RecordEncodingException(what + " holds a lone UTF-16 surrogate (U+"
                + Integer.toHexString(text.charAt(at)).toUpperCase(Locale.ROOT) + " at char " + at
                + "), which has no UTF-8 form: it was decoded from malformed text (CESU-8 or a cut pair). "
                + "Text is loaded as it was sent, never repaired; fix the producer's encoding");
    }

    static boolean startsWithByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    static RecordEncodingException byteOrderMark(String what) {
        return new RecordEncodingException(what + " starts with a UTF-8 byte order mark (EF BB BF), which the "
                + "target would load as part of the first value; strip the BOM at the producer");
    }

    /** The index of the first char of {@code text} that is a surrogate without its pair, or -1. */
    static int loneSurrogate(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index where the first malformed sequence in {@code [from, end)} starts, or -1 when all is UTF-8. */
    static int firstMalformed(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end) {
            // ASCII runs eight bytes at a time: no byte with its high bit set.
            while (i + Long.BYTES <= end && ((long) LONGS.get(bytes, i) & HIGHS) == 0) {
                i += Long.BYTES;
            }
            if (i >= end) {
                break;
            }
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, end);
            if (length == 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /**
     * The length of the well-formed multi-byte sequence starting at {@code i} (whose byte is not
     * ASCII), or 0 when it is malformed.
     */
    static int sequenceLength(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0xC2) {
            return 0; // a continuation byte, or C0/C1 (always overlong)
        }
        if (lead < 0xE0) {
            return i + 1 < end && isContinuation(bytes[i + 1]) ? 2 : 0;
        }
        if (lead < 0xF0) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = bytes[i + 1] & 0xFF;
            int min = lead == 0xE0 ? 0xA0 : 0x80;   // E0 80..9F: overlong
            int max = lead == 0xED ? 0x9F : 0xBF;   // ED A0..BF: surrogates
            return second >= min && second <= max && isContinuation(bytes[i + 2]) ? 3 : 0;
        }
        if (lead < 0xF5) {
            if (i + 3 >= end) {
                return 0;
            }
            int second = bytes[i + 1] & 0xFF;
            int min = lead == 0xF0 ? 0x90 : 0x80;   // F0 80..8F: overlong
            int max = lead == 0xF4 ? 0x8F : 0xBF;   // F4 90..BF: above U+10FFFF
            return second >= min && second <= max && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])
                    ? 4 : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Why the sequence at {@code at} is malformed, with its bytes. */
    static String describe(byte[] bytes, int at, int end) {
        int lead = bytes[at] & 0xFF;
        int expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        int present = 1;
        while (present < expected && at + present < end && isContinuation(bytes[at + present])) {
            present++;
        }
        String shown = hex(bytes, at, present);
        if (lead < 0xC0) {
            return "a continuation byte without a lead byte (" + shown + ")";
        }
        if (lead > 0xF7) {
            return "byte " + shown + ", which never occurs in UTF-8";
        }
        if (present < expected) {
            return "a sequence cut short (" + shown + (at + present < end ? " followed by "
                    + hex(bytes, at + present, 1) : " at the end") + ", " + expected + " bytes expected)";
        }
        int codePoint = lead & (0x7F >> expected);
        for (int k = 1; k < expected; k++) {
            codePoint = codePoint << 6 | bytes[at + k] & 0x3F;
        }
        String point = String.format("U+%04X", codePoint);
        if (codePoint < (expected == 2 ? 0x80 : expected == 3 ? 0x800 : 0x10000)) {
            return "an overlong form of " + point + " (" + shown + ")";
        }
        if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
            return "the UTF-16 surrogate " + point + " encoded on its own (" + shown + ", CESU-8 or modified UTF-8)";
        }
        return "a code point above U+10FFFF (" + shown + ")";
    }

    /**
     * Not zero when some byte of {@code word} equals the byte repeated in {@code pattern}: the
     * classic test for a zero byte, exact for "there is one" (only which one may be off).
     */
    static long hasByte(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    private static String hex(byte[] bytes, int from, int count) {
        StringBuilder out = new StringBuilder(count * 3);
        for (int k = 0; k < count; k++) {
            if (k > 0) {
                out.append(' ');
            }
            out.append(String.format("%02X", bytes[from + k] & 0xFF));
        }
        return out.toString();
    }

    /** Whether some byte of {@code bytes} equals the byte repeated in {@code pattern}. */
    static boolean contains(byte[] bytes, long pattern) {
        int i = 0;
        int end = bytes.length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (hasByte((long) LONGS.get(bytes, i), pattern) != 0) {
                return true;
            }
        }
        byte b = (byte) pattern;
        for (; i < end; i++) {
            if (bytes[i] == b) {
                return true;
            }
        }
        return false;
    }
}
