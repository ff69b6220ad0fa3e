package io.streamload.emulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The counting path's JSON row count, against Jackson's, however the body arrives in reads. */
class RowCounterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsTheRowsJacksonWroteWhereverTheReadsSplitTheBody() throws IOException {
        Random random = new Random(7);
        for (int body = 0; body < 200; body++) {
            ArrayNode rows = JSON.createArrayNode();
            int count = random.nextInt(20);
            for (int r = 0; r < count; r++) {
                rows.add(randomObject(random, 0));
            }
            String array = JSON.writeValueAsString(rows);
            StringBuilder lines = new StringBuilder();
            rows.forEach(row -> lines.append(row).append('\n'));
            for (int readSize : new int[] {1, 2, 3, 7, 64, 1 << 20}) {
                assertEquals(count, count(array, true, readSize), array);
                assertEquals(count, count(lines.toString(), false, readSize), lines.toString());
            }
        }
    }

    @Test
    void anEscapeAtTheEndOfARead() throws IOException {
        String body = "{\"a\":\"x\\\"}{\"}\n{\"b\":\"\\\\\"}\n";
        for (int readSize = 1; readSize <= body.length(); readSize++) {
            assertEquals(2, count(body, false, readSize), "reads of " + readSize);
        }
    }

    private static long count(String body, boolean strip, int readSize) throws IOException {
        return RowCounter.countJson(new ChoppedStream(body.getBytes(StandardCharsets.UTF_8), readSize), strip);
    }

    /** Objects with strings full of the bytes the counter must not take for structure. */
    private static JsonNode randomObject(Random random, int level) {
        ObjectNode object = JSON.createObjectNode();
        int fields = random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            String name = "f" + f + tricky(random);
            switch (random.nextInt(level < 2 ? 5 : 3)) {
                case 0 -> object.put(name, tricky(random));
                case 1 -> object.put(name, random.nextLong());
                case 2 -> object.putNull(name);
                case 3 -> object.set(name, randomObject(random, level + 1));
                default -> object.putArray(name).add(randomObject(random, level + 1)).add(tricky(random)).add(1.5);
            }
        }
        return object;
    }

    private static String tricky(Random random) {
        String pieces = "{}[]\"\\,:é\n\t ab|_y^~\u007f";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            s.append(pieces.charAt(random.nextInt(pieces.length())));
        }
        return s.toString();
    }

    /** Hands the body out at most {@code readSize} bytes per read, as a socket may. */
    private static final class ChoppedStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int readSize;

        ChoppedStream(byte[] body, int readSize) {
            this.bytes = new ByteArrayInputStream(body);
            this.readSize = readSize;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return bytes.read(b, off, Math.min(len, readSize));
        }
    }
}
