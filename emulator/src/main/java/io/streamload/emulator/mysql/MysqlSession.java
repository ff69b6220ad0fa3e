package io.streamload.emulator.mysql;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One client connection to the FE's MySQL port: the v10 handshake with mysql_native_password (over TLS
 * when the client answers the handshake with an SSLRequest), then commands until COM_QUIT or the end
 * of the stream. Statements are run by the {@link SqlEngine}.
 */
final class MysqlSession implements Runnable {
    static final int CLIENT_LONG_PASSWORD = 1;
    static final int CLIENT_FOUND_ROWS = 2;
    static final int CLIENT_LONG_FLAG = 4;
    static final int CLIENT_CONNECT_WITH_DB = 8;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_SSL = 0x800;
    static final int CLIENT_TRANSACTIONS = 0x2000;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    static final int CLIENT_MULTI_RESULTS = 0x20000;
    static final int CLIENT_PLUGIN_AUTH = 0x80000;
    static final int CLIENT_CONNECT_ATTRS = 0x100000;
    static final int CLIENT_PLUGIN_AUTH_LENENC_DATA = 0x200000;
    /** Without CLIENT_SSL: a port without TLS context is plain text, so clients that prefer TLS fall back. */
    static final int SERVER_CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC_DATA;
    private static final String NATIVE = "mysql_native_password";
    private static final int COM_QUIT = 0x01;
    private static final int COM_INIT_DB = 0x02;
    private static final int COM_QUERY = 0x03;
    private static final int COM_PING = 0x0e;
    private static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;
    private static final int CHARSET_UTF8_GENERAL_CI = 33;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** An SSLRequest is the first 32 bytes of a HandshakeResponse41: capabilities, max packet, charset, filler. */
    private static final int SSL_REQUEST_LENGTH = 32;

    /**
     * The port's TLS: the server context (null: not offered), whether plain clients are refused, and
     * what to call when a connection switched to TLS.
     */
    record Tls(SSLContext context, boolean required, Runnable onUpgrade) {
    }

    private final Socket socket;
    /** The buffered reader of the plain connection, before any TLS. */
    private BufferedInputStream plainIn;
    private final int connectionId;
    private final SqlEngine engine;
    private final String user;
    private final String password;
    private final Tls tls;
    private MysqlPackets packets;
    private String database;

    MysqlSession(Socket socket, int connectionId, SqlEngine engine, String user, String password, Tls tls) {
        this.tls = tls;
        this.socket = socket;
        this.connectionId = connectionId;
        this.engine = engine;
        this.user = user;
        this.password = password;
    }

    @Override
    public void run() {
        try (socket) {
            plainIn = new BufferedInputStream(socket.getInputStream());
            packets = new MysqlPackets(plainIn, new BufferedOutputStream(socket.getOutputStream()));
            if (!handshake()) {
                packets.flush(); // the refusal, before the connection closes
                return;
            }
            while (true) {
                byte[] command = packets.read();
                if (command == null || command.length == 0 || (command[0] & 0xFF) == COM_QUIT) {
                    return;
                }
                answer(command);
                packets.flush();
            }
        } catch (IOException e) {
            // The client went away, or its TLS handshake failed (it refused the certificate); nothing to answer.
        }
    }

    private boolean handshake() throws IOException {
        int capabilities = tls.context() == null ? SERVER_CAPABILITIES : SERVER_CAPABILITIES | CLIENT_SSL;
        byte[] scramble = new byte[20];
        for (int i = 0; i < scramble.length; i++) {
            scramble[i] = (byte) (33 + RANDOM.nextInt(94)); // printable, never 0: some clients stop at a NUL
        }
        packets.write(new MysqlPackets.Payload()
                .int1(10)
                .nulString(engine.serverVersion())
                .int4(connectionId)
                .raw(Arrays.copyOfRange(scramble, 0, 8)).int1(0)
                .int2(capabilities & 0xFFFF)
                .int1(CHARSET_UTF8_GENERAL_CI)
                .int2(SERVER_STATUS_AUTOCOMMIT)
                .int2(capabilities >>> 16)
                .int1(21)
                .raw(new byte[10])
                .raw(Arrays.copyOfRange(scramble, 8, 20)).int1(0)
                .nulString(NATIVE)
                .bytes());
        packets.flush();
        byte[] response = packets.read();
        if (response == null) {
            return false;
        }
        if (isSslRequest(response)) {
            if (tls.context() == null) {
                return false; // CLIENT_SSL was not offered: a client asking anyway breaks the protocol
            }
            upgradeToTls();
            response = packets.read();
            if (response == null) {
                return false;
            }
        } else if (tls.required()) {
            // StarRocks MysqlProto.negotiate with ssl_force_secure_transport (ErrorCode.ERR_SECURE_TRANSPORT_REQUIRED).
            error(new SqlError(5205, "HY000", "Connections using insecure transport are prohibited"));
            return false;
        }
        MysqlPackets.Reader r = new MysqlPackets.Reader(response);
        long clientCaps = r.int4();
        if ((clientCaps & CLIENT_PROTOCOL_41) == 0) {
            error(new SqlError(1251, "08004",
                    "Client does not support authentication protocol requested by server; consider upgrading MySQL client"));
            return false;
        }
        r.skip(4 + 1 + 23);
        String clientUser = r.nulString();
        byte[] auth;
        if ((clientCaps & CLIENT_PLUGIN_AUTH_LENENC_DATA) != 0) {
            auth = r.bytes((int) r.lenencInt());
        } else {
            auth = r.bytes(r.int1());
        }
        String db = null;
        if ((clientCaps & CLIENT_CONNECT_WITH_DB) != 0 && r.more()) {
            db = r.nulString();
        }
        String plugin = (clientCaps & CLIENT_PLUGIN_AUTH) != 0 && r.more() ? r.nulString() : NATIVE;
        if (!plugin.isEmpty() && !plugin.equals(NATIVE)) {
            // The client started with another method: ask it to switch (AuthSwitchRequest).
            packets.write(new MysqlPackets.Payload().int1(0xFE).nulString(NATIVE).raw(scramble).int1(0).bytes());
            packets.flush();
            auth = packets.read();
            if (auth == null) {
                return false;
            }
        }
        if (!user.equals(clientUser) || !NativePassword.matches(password, scramble, auth)) {
            error(new SqlError(1045, "28000", "Access denied for user '" + clientUser + "' (using password: "
                    + (auth.length == 0 ? "NO" : "YES") + ")"));
            return false;
        }
        if (db != null && !db.isEmpty()) {
            try {
                engine.useDatabase(db);
                database = db;
            } catch (SqlError e) {
                error(e);
                return false;
            }
        }
        ok();
        packets.flush();
        return true;
    }

    private static boolean isSslRequest(byte[] response) {
        if (response.length != SSL_REQUEST_LENGTH) {
            return false;
        }
        long caps = new MysqlPackets.Reader(response).int4();
        return (caps & CLIENT_SSL) != 0;
    }

    /**
     * Layers a server-mode TLS socket over the accepted one and reads on through it; the packet
     * sequence goes on where the SSLRequest left it (the handshake response over TLS is packet 2).
     */
    private void upgradeToTls() throws IOException {
        // A client may send its ClientHello right behind the SSLRequest, in the same segment: the
        // plain reader's buffer then holds its first bytes, which the TLS layer must read first,
        // or both sides wait for each other's handshake forever.
        byte[] consumed = plainIn.readNBytes(plainIn.available());
        SSLSocket secure = (SSLSocket) tls.context().getSocketFactory()
                .createSocket(socket, new ByteArrayInputStream(consumed), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        packets = new MysqlPackets(new BufferedInputStream(secure.getInputStream()),
                new BufferedOutputStream(secure.getOutputStream()));
        tls.onUpgrade().run();
    }

    private void answer(byte[] command) throws IOException {
        MysqlPackets.Reader r = new MysqlPackets.Reader(command);
        int kind = r.int1();
        try {
            switch (kind) {
                case COM_PING -> ok();
                case COM_INIT_DB -> {
                    String db = r.rest().trim();
                    engine.useDatabase(db);
                    database = db;
                    ok();
                }
                case COM_QUERY -> {
                    SqlEngine.Outcome outcome = engine.execute(r.rest(), database);
                    if (outcome.database() != null) {
                        database = outcome.database();
                    }
                    ResultTable result = outcome.result();
                    if (result.isOk()) {
                        ok();
                    } else {
                        resultSet(result);
                    }
                }
                default -> throw new SqlError(1047, "08S01", "Unknown command");
            }
        } catch (SqlError e) {
            error(e);
        }
    }

    /** A text result set: column count, column definitions, EOF, rows, EOF (no CLIENT_DEPRECATE_EOF). */
    private void resultSet(ResultTable table) throws IOException {
        packets.write(new MysqlPackets.Payload().lenencInt(table.columns().size()).bytes());
        for (String column : table.columns()) {
            packets.write(new MysqlPackets.Payload()
                    .lenencString("def").lenencString(database == null ? "" : database).lenencString("")
                    .lenencString("").lenencString(column).lenencString(column)
                    .lenencInt(0x0c).int2(CHARSET_UTF8_GENERAL_CI).int4(65533)
                    .int1(0xFD) // MYSQL_TYPE_VAR_STRING: every value travels as text
                    .int2(0).int1(0).int2(0).bytes());
        }
        eof();
        for (java.util.List<String> row : table.rows()) {
            MysqlPackets.Payload p = new MysqlPackets.Payload();
            for (String value : row) {
                if (value == null) {
                    p.int1(0xFB);
                } else {
                    p.lenencString(value);
                }
            }
            packets.write(p.bytes());
        }
        eof();
    }

    private void eof() throws IOException {
        packets.write(new MysqlPackets.Payload().int1(0xFE).int2(0).int2(SERVER_STATUS_AUTOCOMMIT).bytes());
    }

    private void ok() throws IOException {
        packets.write(new MysqlPackets.Payload().int1(0).lenencInt(0).lenencInt(0)
                .int2(SERVER_STATUS_AUTOCOMMIT).int2(0).bytes());
    }

    private void error(SqlError e) throws IOException {
        packets.write(new MysqlPackets.Payload().int1(0xFF).int2(e.code()).text("#").text(e.sqlState())
                .text(e.getMessage()).bytes());
    }
}
