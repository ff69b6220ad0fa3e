package io.streamload.connect.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ChunkedBytesTest {

    @Test
    void holdsEverythingWrittenAcrossChunks() throws IOException {
        byte[] data = new byte[3 * ChunkedBytes.MAX_CHUNK_SIZE + 12345];
        new Random(1).nextBytes(data);
        ChunkedBytes bytes = new ChunkedBytes();
        for (int at = 0; at < data.length; at += 1000) {
            bytes.write(data, at, Math.min(1000, data.length - at));
        }
        assertEquals(data.length, bytes.size());
        assertArrayEquals(data, bytes.toByteArray());
        assertArrayEquals(data, bytes.newInputStream().readAllBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytes.writeTo(out);
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void truncateTakesBackAPartialRowEvenAcrossChunks() {
        ChunkedBytes bytes = new ChunkedBytes();
        byte[] head = new byte[ChunkedBytes.FIRST_CHUNK_SIZE - 10];
        Arrays.fill(head, (byte) 'a');
        bytes.write(head, 0, head.length);
        long mark = bytes.size();
        byte[] row = new byte[100];
        Arrays.fill(row, (byte) 'b');
        bytes.write(row, 0, row.length);

        bytes.truncate(mark);
        bytes.write('c');

        byte[] expected = Arrays.copyOf(head, head.length + 1);
        expected[head.length] = 'c';
        assertArrayEquals(expected, bytes.toByteArray());
    }

    @Test
    void truncateToZero() {
        ChunkedBytes bytes = new ChunkedBytes();
        bytes.write('x');
        bytes.truncate(0);
        assertEquals(0, bytes.size());
        assertArrayEquals(new byte[0], bytes.toByteArray());
    }
}
