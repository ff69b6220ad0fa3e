package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LineBreaksTest {

    @Test
    void findsTheFirstLineBreakAtEveryPositionAndAlignment() {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                for (byte lineBreak : new byte[] {'\n', '\r'}) {
                    byte[] bytes = "x".repeat(length).getBytes(StandardCharsets.UTF_8);
                    bytes[at] = lineBreak;
                    for (int from = 0; from <= at; from++) {
                        assertEquals(at, LineBreaks.indexIn(bytes, from, length), "length " + length + " from " + from);
                    }
                    assertEquals(-1, LineBreaks.indexIn(bytes, at + 1, length));
                    assertEquals(-1, LineBreaks.indexIn(bytes, 0, at));
                }
            }
        }
    }

    @Test
    void agreesWithAPlainScanOnRandomBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 10_000; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            // Mostly text, sometimes a line break, and bytes close to 10 and 13 to tempt the bit trick.
            for (int i = 0; i < bytes.length; i++) {
                int pick = random.nextInt(100);
                bytes[i] = pick < 2 ? (byte) '\n' : pick < 4 ? (byte) '\r' : pick < 20 ? (byte) (9 + random.nextInt(6))
                        : bytes[i];
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            assertEquals(plainScan(bytes, from, bytes.length), LineBreaks.indexIn(bytes, from, bytes.length));
        }
    }

    @Test
    void multiByteCharactersAreNoLineBreaks() {
        byte[] bytes = "ünïcødé ☃ 𝄞 text without breaks".getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, LineBreaks.indexIn(bytes, 0, bytes.length));
    }

    private static int plainScan(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }
}
