package io.streamload.connect.encode;

import static io.streamload.connect.encode.Utf8.HIGHS;
import static io.streamload.connect.encode.Utf8.LONGS;
import static io.streamload.connect.encode.Utf8.ONES;
import static io.streamload.connect.encode.Utf8.QUESTION_MARKS;

/**
 * The one look the text paths take at every byte of a value, eight bytes at a time: passthrough
 * looks for line breaks, CSV for its row delimiter, and both check on the way that the text is
 * UTF-8 ({@link Utf8}). A byte-by-byte loop was most of the passthrough path's cost, and a
 * separate UTF-8 pass would read every byte again; here a word is looked at byte by byte only
 * when it holds a byte the caller looks for or a byte that is not ASCII (whose sequence is then
 * checked). Multi-byte UTF-8 sequences never hold bytes below 0x80, so a match among the ASCII
 * bytes is always real.
 *
 * <p>Values that were Strings can hold no malformed bytes, only the {@code ?} that
 * {@link String#getBytes} writes for a lone surrogate: with {@code questionMarks} a {@code ?}
 * stops the scan too, so the caller can look at the String's chars, which is needed almost never.
 */
final class TextScan {

    /** A byte below this one may be a line break (both are below it): one test per word for both. */
    private static final long BELOW_CARRIAGE_RETURN = ('\r' + 1) * ONES;

    private TextScan() {
    }

    /**
     * The index of the first {@code \n} or {@code \r} (or {@code ?} when {@code questionMarks}) in
     * {@code [from, end)}, or -1; the bytes before it are well-formed UTF-8.
     *
     * @throws RecordEncodingException at the first malformed sequence before it
     */
    static int nextLineBreak(byte[] bytes, int from, int end, boolean questionMarks, String what)
            throws RecordEncodingException {
        int i = from;
        while (i < end) {
            for (; i + Long.BYTES <= end; i += Long.BYTES) {
                long word = (long) LONGS.get(bytes, i);
                // The classic SWAR test for a byte less than n (exact for "is there one"), and the
                // high bits of bytes that are not ASCII.
                long look = (word - BELOW_CARRIAGE_RETURN) | word;
                if (questionMarks) {
                    look |= Utf8.hasByte(word, QUESTION_MARKS);
                }
                if ((look & HIGHS) != 0) {
                    break;
                }
            }
            int wordEnd = Math.min(i + Long.BYTES, end);
            while (i < wordEnd) {
                byte b = bytes[i];
                if (b >= 0) {
                    if (b == '\n' || b == '\r' || questionMarks && b == '?') {
                        return i;
                    }
                    i++;
                } else {
                    i = afterSequence(bytes, i, end, what);
                }
            }
        }
        return -1;
    }

    /**
     * The index of the first {@code delimiter} (not empty) in {@code [from, end)}, or of the first
     * {@code ?} before it when {@code questionMarks}, or -1; the bytes before it are well-formed UTF-8.
     *
     * @throws RecordEncodingException at the first malformed sequence before it
     */
    static int indexOf(byte[] bytes, int from, int end, byte[] delimiter, boolean questionMarks, String what)
            throws RecordEncodingException {
        byte first = delimiter[0];
        long firsts = (first & 0xFFL) * ONES;
        int i = from;
        while (i < end) {
            for (; i + Long.BYTES <= end; i += Long.BYTES) {
                long word = (long) LONGS.get(bytes, i);
                long look = word | Utf8.hasByte(word, firsts);
                if (questionMarks) {
                    look |= Utf8.hasByte(word, QUESTION_MARKS);
                }
                if ((look & HIGHS) != 0) {
                    break;
                }
            }
            int wordEnd = Math.min(i + Long.BYTES, end);
            while (i < wordEnd) {
                byte b = bytes[i];
                if (b == first && startsWith(bytes, i, end, delimiter) || questionMarks && b == '?') {
                    return i;
                }
                i = b >= 0 ? i + 1 : afterSequence(bytes, i, end, what);
            }
        }
        return -1;
    }

    private static int afterSequence(byte[] bytes, int i, int end, String what) throws RecordEncodingException {
        int length = Utf8.sequenceLength(bytes, i, end);
        if (length == 0) {
            throw Utf8.malformed(bytes, i, end, what);
        }
        return i + length;
    }

    private static boolean startsWith(byte[] bytes, int at, int end, byte[] prefix) {
        if (end - at < prefix.length) {
            return false;
        }
        for (int k = 1; k < prefix.length; k++) {
            if (bytes[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
