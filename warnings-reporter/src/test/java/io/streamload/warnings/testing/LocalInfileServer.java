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
            MysqlPackets.writePacket(out, 0, MysqlPackets.handshake());
            MysqlPackets.readPacket(in); // the handshake response: any user and password will do
            MysqlPackets.writePacket(out, 2, MysqlPackets.ok());
            MysqlPackets.readPacket(in); // the first command, usually the driver's query of server variables
            byte[] fileName = requestedFile.getBytes(StandardCharsets.UTF_8);
            byte[] request = new byte[1 + fileName.length];
            request[0] = (byte) 0xFB;
            System.arraycopy(fileName, 0, request, 1, fileName.length);
            MysqlPackets.writePacket(out, 1, request);
            requested = true;
            // A client that obeys sends the file in packets and ends with an empty one.
            while (true) {
                byte[] payload = MysqlPackets.readPacket(in);
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
}
