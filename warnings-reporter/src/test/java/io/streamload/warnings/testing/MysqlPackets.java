package io.streamload.warnings.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few MySQL client/server protocol packets the fake servers of the tests speak: the server's
 * handshake (offering {@code mysql_native_password}, no TLS), OK and ERR.
 */
final class MysqlPackets {
    private static final int CLIENT_LONG_PASSWORD = 0x1;
    private static final int CLIENT_FOUND_ROWS = 0x2;
    private static final int CLIENT_LONG_FLAG = 0x4;
    private static final int CLIENT_CONNECT_WITH_DB = 0x8;
    private static final int CLIENT_LOCAL_FILES = 0x80;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_TRANSACTIONS = 0x2000;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_MULTI_RESULTS = 0x20000;
    private static final int CLIENT_PLUGIN_AUTH = 0x80000;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
    private static final int CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_LOCAL_FILES | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH;

    /** The 20-byte scramble the handshake sends, in two parts as the protocol has it. */
    static final byte[] SALT = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);

    private MysqlPackets() {
    }

    static byte[] handshake() {
        return handshake("mysql_native_password");
    }

    /** The server's greeting, announcing {@code plugin} as its authentication plugin. */
    static byte[] handshake(String plugin) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.writeBytes("8.0.36-fake".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        writeInt(p, 7, 4);
        p.write(SALT, 0, 8);
        p.write(0);
        writeInt(p, CAPABILITIES & 0xFFFF, 2);
        p.write(0xFF); // utf8mb4_0900_ai_ci
        writeInt(p, 0x0002, 2); // autocommit
        writeInt(p, CAPABILITIES >>> 16, 2);
        p.write(SALT.length + 1);
        p.writeBytes(new byte[10]);
        p.write(SALT, 8, 12);
        p.write(0);
        p.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        return p.toByteArray();
    }

    static byte[] ok() {
        return new byte[] {0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
    }

    static byte[] accessDenied() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xFF);
        writeInt(p, 1045, 2);
        p.writeBytes("#28000Access denied (fake server)".getBytes(StandardCharsets.US_ASCII));
        return p.toByteArray();
    }

    static void writeInt(ByteArrayOutputStream out, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((value >>> (8 * i)) & 0xFF);
        }
    }

    static void writePacket(OutputStream out, int sequence, byte[] payload) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16),
                (byte) sequence};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    static byte[] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException();
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException();
        }
        return payload;
    }
}
