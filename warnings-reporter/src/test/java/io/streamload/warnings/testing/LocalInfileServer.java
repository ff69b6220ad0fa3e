package io.streamload.warnings.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A malicious MySQL server, as an attacker who can set a connector's store URL would run: it
 * speaks just enough of the client/server protocol to take a client in (handshake offering
 * {@code mysql_native_password}, any credentials accepted) and then answers the client's first
 * command with a LOCAL INFILE request ({@code 0xFB} and a file name), which a driver that allows
 * LOAD DATA LOCAL obeys by sending that file's content. Everything the client sends after the
 * request is kept, so a test can check that no byte of the file left the worker.
 *
 * <p>No TLS is offered, so a client on the default {@code sslMode=PREFERRED} goes on in plain text.
 */
public final class LocalInfileServer implements AutoCloseable {

    private static final int CLIENT_LONG_PASSWORD = 0x1;
    private static final int CLIENT_FOUND_ROWS = 0x2;
    private static final int CLIENT_LONG_FLAG = 0x4;
    private static final int CLIENT_CONNECT_WITH_DB = 0x8;
    private static final int CLIENT_LOCAL_FILES = 0x80;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_TRANSACTIONS = 0x2000;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_MULTI_RESULTS = 0x20000;
    private static final int CLIENT_PLUGIN_AUTH = 0x80000;
    private static final int CAPABILITIES = CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_LOCAL_FILES | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH;
    /** How long one session waits for the client before giving up; only reached when a client hangs. */
    private static final Duration CLIENT_SILENCE = Duration.ofSeconds(30);

    /** What happened in one client connection. */
    public record Session(boolean fileRequested, byte[] receivedAfterRequest) {
        public String receivedText() {
            return new String(receivedAfterRequest, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final String requestedFile;
    private final BlockingQueue<CompletableFuture<Session>> sessions = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    private LocalInfileServer(String requestedFile) throws IOException {
        this.requestedFile = requestedFile;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::acceptLoop, "local-infile-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on loopback and asks every client for {@code requestedFile}. */
    public static LocalInfileServer start(String requestedFile) throws IOException {
        return new LocalInfileServer(requestedFile);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next client connection's session once it has ended (the client closed, or went silent). */
    public Session nextSession(Duration timeout) throws Exception {
        CompletableFuture<Session> session = sessions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (session == null) {
            throw new AssertionError("no client connected within " + timeout);
        }
        return session.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            CompletableFuture<Session> session = new CompletableFuture<>();
            sessions.add(session);
            Thread handler = new Thread(() -> serve(socket, session), "local-infile-session");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(Socket socket, CompletableFuture<Session> session) {
        boolean requested = false;
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (socket) {
            socket.setSoTimeout((int) CLIENT_SILENCE.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            writePacket(out, 0, handshake());
            readPacket(in); // the handshake response: any user and password will do
            writePacket(out, 2, ok());
            readPacket(in); // the first command, usually the driver's query of server variables
            byte[] fileName = requestedFile.getBytes(StandardCharsets.UTF_8);
            byte[] request = new byte[1 + fileName.length];
            request[0] = (byte) 0xFB;
            System.arraycopy(fileName, 0, request, 1, fileName.length);
            writePacket(out, 1, request);
            requested = true;
            // A client that obeys sends the file in packets and ends with an empty one.
            while (true) {
                byte[] payload = readPacket(in);
                received.writeBytes(payload);
                if (payload.length == 0) {
                    break;
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            // The client closed (a driver that refuses ends the connection) or went silent.
        } catch (IOException e) {
            // A reset: the client is gone as well.
        } finally {
            session.complete(new Session(requested, received.toByteArray()));
        }
    }

    private static byte[] handshake() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.writeBytes("8.0.36-local-infile-test".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        writeInt(p, 7, 4);
        p.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        writeInt(p, CAPABILITIES & 0xFFFF, 2);
        p.write(0xFF); // utf8mb4_0900_ai_ci
        writeInt(p, 0x0002, 2); // autocommit
        writeInt(p, CAPABILITIES >>> 16, 2);
        p.write(21);
        p.writeBytes(new byte[10]);
        p.writeBytes("ijklmnopqrst".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        p.writeBytes("mysql_native_password".getBytes(StandardCharsets.US_ASCII));
        p.write(0);
        return p.toByteArray();
    }

    private static byte[] ok() {
        return new byte[] {0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
    }

    private static void writeInt(ByteArrayOutputStream out, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((value >>> (8 * i)) & 0xFF);
        }
    }

    private static void writePacket(OutputStream out, int sequence, byte[] payload) throws IOException {
        byte[] header = {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16),
                (byte) sequence};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    private static byte[] readPacket(InputStream in) throws IOException {
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
