package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Utf8Test {

    /** The JDK's decoder is strict (no overlong forms, no surrogates, nothing above U+10FFFF): the reference. */
    private static boolean jdkAccepts(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        // Mostly ASCII with a few high bytes, so both the eight-byte skip and the decoding are hit.
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(128) : random.nextInt(128));
            }
            assertEquals(jdkAccepts(bytes), Utf8.firstMalformed(bytes, 0, bytes.length) < 0,
                    () -> Arrays.toString(bytes));
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnEveryTwoAndThreeByteSequenceAtEveryAlignment() {
        for (int first = 0x80; first < 0x100; first++) {
            for (int second = 0; second < 0x100; second += 3) {
                for (int third : new int[] {0x20, 0x80, 0xBF, 0xC0}) {
                    for (int at = 0; at < 10; at++) {
                        byte[] bytes = new byte[at + 3 + 7];
                        Arrays.fill(bytes, (byte) 'a');
                        bytes[at] = (byte) first;
                        bytes[at + 1] = (byte) second;
                        bytes[at + 2] = (byte) third;
                        int found = Utf8.firstMalformed(bytes, 0, bytes.length);
                        assertEquals(jdkAccepts(bytes), found < 0, () -> Arrays.toString(bytes));
                        if (found >= 0) {
                            assertEquals(true, found >= at && found <= at + 2, "found at " + found);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theReasonNamesTheBytesTheirPositionAndWhatToChange() {
        byte[] value = "{\"name\":\"ab\u00ed\u00a0\u0080\"}".getBytes(StandardCharsets.ISO_8859_1);
        RecordEncodingException e = assertThrows(RecordEncodingException.class, () -> Utf8.check(value, "the value"));
        assertEquals("the value is not valid UTF-8: the UTF-16 surrogate U+D800 encoded on its own (ED A0 80, "
                + "CESU-8 or modified UTF-8) at byte 11. Text is loaded as it was sent, never repaired; fix the "
                + "producer's encoding (or its converter) so it writes UTF-8", e.getMessage());
    }

    @Test
    void aStringIsEncodedUnlessItHasALoneSurrogate() throws Exception {
        assertEquals("a?b \ud83d\ude00", new String(Utf8.encode("a?b \ud83d\ude00", "v"), StandardCharsets.UTF_8));
        assertThrows(RecordEncodingException.class, () -> Utf8.encode("a?b \ud83d", "v"));
        assertThrows(RecordEncodingException.class, () -> Utf8.encode("12345678\udc00", "v"));
    }
}
