package io.streamload.connect.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void checksumsSummedWhileWritingAreThoseOfTheWholeBody() {
        Random random = new Random(7);
        for (int body = 0; body < 20; body++) {
            ChunkedBytes bytes = new ChunkedBytes(new ChunkPool(4L * ChunkedBytes.MAX_CHUNK_SIZE));
            int target = random.nextInt(3 * ChunkedBytes.MAX_CHUNK_SIZE);
            while (bytes.size() < target) {
                long mark = bytes.size();
                byte[] row = new byte[1 + random.nextInt(3 * ChunkedBytes.CHECKSUM_STEP)];
                random.nextBytes(row);
                bytes.write(row, 0, row.length);
                switch (random.nextInt(6)) {
                    case 0 -> bytes.truncate(mark);                              // a row taken back
                    case 1 -> bytes.truncate(random.nextLong(bytes.size() + 1)); // below what was summed
                    default -> bytes.settle();
                }
            }
            if (random.nextBoolean()) {
                bytes.checksums(); // asked once, then written to further
                bytes.write(new byte[] {'x', '\n'}, 0, 2);
            }
            byte[] all = bytes.toByteArray();
            CRC32C crc32c = new CRC32C();
            crc32c.update(all);
            CRC32 crc32 = new CRC32();
            crc32.update(all);
            assertEquals(new ChunkedBytes.Checksums(crc32c.getValue(), crc32.getValue()), bytes.checksums(),
                    "body " + body + " of " + all.length + " bytes");
        }
    }

    @Test
    void truncateToZero() {
        ChunkedBytes bytes = new ChunkedBytes();
        bytes.write('x');
        bytes.truncate(0);
        assertEquals(0, bytes.size());
        assertArrayEquals(new byte[0], bytes.toByteArray());
    }

    @Test
    void aReleasedBodysChunksCarryTheNextBodyExactly() throws IOException {
        ChunkPool pool = new ChunkPool(16L * ChunkedBytes.MAX_CHUNK_SIZE);
        ChunkedBytes first = new ChunkedBytes(pool);
        byte[] old = new byte[8 * ChunkedBytes.MAX_CHUNK_SIZE];
        Arrays.fill(old, (byte) 'x');
        first.write(old, 0, old.length);
        first.release();
        int kept = pool.freeChunks();
        assertEquals(true, kept >= 2, "the full-size chunks went back to the pool: " + kept);

        // The next body takes them, holding stale bytes past what it wrote: only its own come out.
        byte[] data = new byte[6 * ChunkedBytes.MAX_CHUNK_SIZE + 777];
        new Random(2).nextBytes(data);
        ChunkedBytes second = new ChunkedBytes(pool);
        second.write(data, 0, data.length);
        assertEquals(true, pool.freeChunks() < kept, "chunks were reused");
        assertArrayEquals(data, second.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        second.writeRangeTo(5, data.length, out);
        assertArrayEquals(Arrays.copyOfRange(data, 5, data.length), out.toByteArray());
    }

    @Test
    void aReleasedBodyCanNeitherBeReadNorWritten() {
        ChunkedBytes bytes = new ChunkedBytes(new ChunkPool(1 << 20));
        bytes.write(new byte[100], 0, 100);
        bytes.release();
        assertEquals(100, bytes.size(), "its size still counts where the batch's end is booked");
        assertThrows(IllegalStateException.class, () -> bytes.writeTo(new ByteArrayOutputStream()));
        assertThrows(IllegalStateException.class, bytes::toByteArray);
        assertThrows(IllegalStateException.class, bytes::newInputStream);
        assertThrows(IllegalStateException.class, () -> bytes.copyRange(0, 10));
        assertThrows(IllegalStateException.class, () -> bytes.write(1));
    }

    @Test
    void thePoolKeepsNoMoreThanItsBound() {
        ChunkPool pool = new ChunkPool(2L * ChunkedBytes.MAX_CHUNK_SIZE);
        ChunkedBytes bytes = new ChunkedBytes(pool);
        byte[] data = new byte[8 * ChunkedBytes.MAX_CHUNK_SIZE];
        bytes.write(data, 0, data.length);
        bytes.release();
        assertEquals(2, pool.freeChunks());
    }
}
