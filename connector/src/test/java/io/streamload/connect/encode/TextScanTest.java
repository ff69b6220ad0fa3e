package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TextScanTest {

    @Test
    void findsTheFirstLineBreakAtEveryPositionAndAlignment() throws Exception {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                for (byte lineBreak : new byte[] {'\n', '\r'}) {
                    byte[] bytes = "x".repeat(length).getBytes(StandardCharsets.UTF_8);
                    bytes[at] = lineBreak;
                    for (int from = 0; from <= at; from++) {
                        assertEquals(at, TextScan.nextLineBreak(bytes, from, length, false, "v"),
                                "length " + length + " from " + from);
                    }
                    assertEquals(-1, TextScan.nextLineBreak(bytes, at + 1, length, false, "v"));
                    assertEquals(-1, TextScan.nextLineBreak(bytes, 0, at, false, "v"));
                }
            }
        }
    }

    @Test
    void agreesWithAPlainScanOnRandomText() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = randomText(random);
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            while (from > 0 && (bytes[from] & 0xC0) == 0x80) {
                from--; // start on a character
            }
            boolean questionMarks = random.nextBoolean();
            assertEquals(plainScan(bytes, from, bytes.length, questionMarks),
                    TextScan.nextLineBreak(bytes, from, bytes.length, questionMarks, "v"), () -> Arrays.toString(bytes));
        }
    }

    @Test
    void refusesMalformedTextBeforeTheLineBreakAtEveryAlignment() throws Exception {
        for (String malformed : new String[] {"c0af", "eda080", "e282", "ff", "f4908080", "80"}) {
            byte[] bad = hex(malformed);
            for (int at = 0; at < 20; at++) {
                byte[] bytes = new byte[at + bad.length + 12];
                Arrays.fill(bytes, (byte) 'a');
                System.arraycopy(bad, 0, bytes, at, bad.length);
                bytes[bytes.length - 3] = '\n';
                int found = at;
                RecordEncodingException e = assertThrows(RecordEncodingException.class,
                        () -> TextScan.nextLineBreak(bytes, 0, bytes.length, false, "v"));
                assertTrue(e.getMessage().contains("at byte " + found), e.getMessage());
                if (at > 0) {
                    // Behind a line break the malformed bytes are not looked at yet.
                    bytes[at - 1] = '\r';
                    assertEquals(at - 1, TextScan.nextLineBreak(bytes, 0, bytes.length, false, "v"));
                }
            }
        }
    }

    @Test
    void findsDelimitersOfAnyLengthAndByteAndChecksTheTextBeforeThem() throws Exception {
        Random random = new Random(7);
        for (String delimiter : new String[] {"\n", "\r\n", "||", "\u00a7", "\u0001"}) {
            byte[] needle = delimiter.getBytes(StandardCharsets.UTF_8);
            for (int round = 0; round < 5_000; round++) {
                byte[] text = randomText(random);
                if (random.nextInt(3) == 0 && text.length > 0) {
                    int at = random.nextInt(text.length);
                    while (at > 0 && (text[at] & 0xC0) == 0x80) {
                        at--;
                    }
                    byte[] with = new byte[text.length + needle.length];
                    System.arraycopy(text, 0, with, 0, at);
                    System.arraycopy(needle, 0, with, at, needle.length);
                    System.arraycopy(text, at, with, at + needle.length, text.length - at);
                    text = with;
                }
                byte[] bytes = text;
                assertEquals(plainIndexOf(bytes, needle),
                        TextScan.indexOf(bytes, 0, bytes.length, needle, false, "v"),
                        () -> delimiter + " in " + Arrays.toString(bytes));
            }
        }
        byte[] bytes = concat("ab|".getBytes(StandardCharsets.UTF_8), hex("c0af"), "||".getBytes(StandardCharsets.UTF_8));
        assertThrows(RecordEncodingException.class,
                () -> TextScan.indexOf(bytes, 0, bytes.length, "||".getBytes(StandardCharsets.UTF_8), false, "v"));
        assertEquals(2, TextScan.indexOf("ab?c|d".getBytes(StandardCharsets.UTF_8), 0, 6, new byte[] {'|'}, true, "v"));
        assertEquals(4, TextScan.indexOf("ab?c|d".getBytes(StandardCharsets.UTF_8), 3, 6, new byte[] {'|'}, true, "v"));
    }

    /** Valid UTF-8 of one to four bytes per character, line breaks, question marks and bytes near 10 and 13. */
    private static byte[] randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(48);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(100);
            if (pick < 3) {
                text.append(pick == 0 ? '\n' : pick == 1 ? '\r' : '?');
            } else if (pick < 15) {
                text.append((char) (9 + random.nextInt(6)));
            } else if (pick < 20) {
                text.append(new String[] {"\u00e9", "\u20ac", "\u07ff", "\uffff", "\u00a7"}[random.nextInt(5)]);
            } else if (pick < 22) {
                text.append("\ud83d\ude00");
            } else {
                text.append((char) (32 + random.nextInt(95)));
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int plainScan(byte[] bytes, int from, int end, boolean questionMarks) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' || questionMarks && bytes[i] == '?') {
                return i;
            }
        }
        return -1;
    }

    private static int plainIndexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] hex(String digits) {
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
