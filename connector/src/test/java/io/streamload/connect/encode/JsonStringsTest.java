package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;

class JsonStringsTest {

    /** What Jackson's generator writes for the string as a value and as a key. */
    private static byte[] jackson(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonRowEncoder.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(text);
            g.writeString(text);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] ours(JsonStrings strings, String text) throws IOException, RecordEncodingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonRowEncoder.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            strings.writeKey(g, text);
            strings.writeValue(g, text, "f");
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    @Test
    void writesEveryCharAtEveryPositionAsJacksonDoes() throws Exception {
        JsonStrings strings = new JsonStrings();
        List<Character> chars = new ArrayList<>();
        for (char c = 0; c < 0x100; c++) {
            chars.add(c);
        }
        for (char c : new char[] {'\u2028', '\u2029', '\uFEFF', '\uFFFD', '\u00e9', '\u4e2d'}) {
            chars.add(c);
        }
        for (int length = 1; length < 20; length++) {
            for (int at = 0; at < length; at++) {
                for (char c : chars) {
                    StringBuilder text = new StringBuilder("a".repeat(length));
                    text.setCharAt(at, c);
                    String s = text.toString();
                    assertArrayEquals(jackson(s), ours(strings, s), () -> "for " + s.chars().boxed().toList());
                }
            }
        }
    }

    @Test
    void agreesWithJacksonOnRandomText() throws Exception {
        JsonStrings strings = new JsonStrings();
        Random random = new Random(7);
        String alphabet = "ab \"\\?/\t\n\u0000\u001f\u007f\u0080\u00ff\u0100\u20ac\ud83d\ude00";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                // Whole pairs only: a lone surrogate is refused, tested below.
                int at = random.nextInt(alphabet.length() - 1);
                text.append(alphabet.charAt(at));
                if (Character.isHighSurrogate(alphabet.charAt(at))) {
                    text.append(alphabet.charAt(at + 1));
                }
            }
            String s = text.toString();
            assertArrayEquals(jackson(s), ours(strings, s), () -> "for " + s);
        }
    }

    @Test
    void refusesALoneSurrogateInAValueOrAKeyWherever() {
        JsonStrings strings = new JsonStrings();
        for (String text : new String[] {"\ud800", "abcdefgh\udc00", "x?y\ud83d", "\ud83d\ude00\ude00"}) {
            RecordEncodingException inValue = assertThrows(RecordEncodingException.class, () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (JsonGenerator g = JsonRowEncoder.FACTORY.createGenerator(out)) {
                    g.writeStartObject();
                    g.writeFieldName("k");
                    strings.writeValue(g, text, "note");
                }
            });
            assertTrue(inValue.getMessage().contains("field 'note'"), inValue.getMessage());
            RecordEncodingException inKey = assertThrows(RecordEncodingException.class, () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (JsonGenerator g = JsonRowEncoder.FACTORY.createGenerator(out)) {
                    g.writeStartObject();
                    strings.writeKey(g, text);
                }
            });
            assertTrue(inKey.getMessage().contains("the key"), inKey.getMessage());
        }
    }

    @Test
    void keepsNoMoreKeysThanItsBoundAndStillWritesTheRest() throws Exception {
        JsonStrings strings = new JsonStrings();
        for (int i = 0; i < JsonStrings.MAX_KEYS + 100; i++) {
            String key = "key" + i;
            assertEquals(new String(jackson(key), StandardCharsets.UTF_8),
                    new String(ours(strings, key), StandardCharsets.UTF_8));
        }
    }
}
