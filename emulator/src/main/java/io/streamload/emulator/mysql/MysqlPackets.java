package io.streamload.emulator.mysql;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MySQL client/server packets on one connection: a 3-byte little-endian length, a sequence id and
 * the payload (MySQL Client/Server Protocol, "MySQL Packets"). The sequence id restarts at 0 with
 * every command the client sends; each packet the server answers with takes the next one.
 */
final class MysqlPackets {
    private static final int MAX_PAYLOAD = 0xFFFFFF;

    private final InputStream in;
    private final OutputStream out;
    private int sequence;

    MysqlPackets(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** The next packet's payload (joined when the client split it at 16 MB), or null at end of stream. */
    byte[] read() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            byte[] head = in.readNBytes(3);
            if (head.length < 3) {
                throw new EOFException("packet header cut short");
            }
            int length = b0 | (head[0] & 0xFF) << 8 | (head[1] & 0xFF) << 16;
            sequence = (head[2] & 0xFF) + 1;
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("packet cut short");
            }
            payload.write(body);
            if (length < MAX_PAYLOAD) {
                return payload.toByteArray();
            }
        }
    }

    void write(byte[] payload) throws IOException {
        int length = payload.length;
        out.write(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) sequence++});
        out.write(payload);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Builds a payload from MySQL's basic types. */
    static final class Payload {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Payload int1(int v) {
            bytes.write(v);
            return this;
        }

        Payload int2(int v) {
            bytes.write(v);
            bytes.write(v >> 8);
            return this;
        }

        Payload int4(long v) {
            for (int i = 0; i < 4; i++) {
                bytes.write((int) (v >> (8 * i)));
            }
            return this;
        }

        Payload lenencInt(long v) {
            if (v < 251) {
                return int1((int) v);
            }
            if (v < 1 << 16) {
                return int1(0xFC).int2((int) v);
            }
            if (v < 1 << 24) {
                int1(0xFD);
                bytes.write((int) v);
                bytes.write((int) (v >> 8));
                bytes.write((int) (v >> 16));
                return this;
            }
            int1(0xFE);
            for (int i = 0; i < 8; i++) {
                bytes.write((int) (v >> (8 * i)));
            }
            return this;
        }

        Payload lenencString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            lenencInt(b.length);
            bytes.writeBytes(b);
            return this;
        }

        Payload nulString(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return this;
        }

        Payload raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        Payload text(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads a payload the client sent. */
    static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        int int1() {
            return b[pos++] & 0xFF;
        }

        int int2() {
            return int1() | int1() << 8;
        }

        long int4() {
            return int2() | (long) int2() << 16;
        }

        void skip(int n) {
            pos += n;
        }

        long lenencInt() {
            int first = int1();
            return switch (first) {
                case 0xFC -> int2();
                case 0xFD -> int2() | (long) int1() << 16;
                case 0xFE -> int4() | int4() << 32;
                default -> first;
            };
        }

        byte[] bytes(int n) {
            byte[] out = java.util.Arrays.copyOfRange(b, pos, Math.min(b.length, pos + n));
            pos += n;
            return out;
        }

        String nulString() {
            int start = pos;
            while (pos < b.length && b[pos] != 0) {
                pos++;
            }
            String s = new String(b, start, pos - start, StandardCharsets.UTF_8);
            pos = Math.min(b.length, pos + 1);
            return s;
        }

        String rest() {
            String s = new String(b, pos, b.length - pos, StandardCharsets.UTF_8);
            pos = b.length;
            return s;
        }
    }
}
