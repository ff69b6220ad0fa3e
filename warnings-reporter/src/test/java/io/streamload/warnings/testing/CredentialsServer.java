package io.streamload.warnings.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A MySQL server that tells which credentials a client presented: it offers
 * {@code mysql_native_password}, keeps the user and the scrambled password of the client's
 * handshake response, and refuses the login. A test then asks whether the scramble is that of a
 * given password, which is what a real server checks (the embedded MariaDB of the tests runs
 * without grant tables and would take any password).
 */
public final class CredentialsServer implements AutoCloseable {

    /** One login attempt: the user and the {@code mysql_native_password} scramble sent. */
    public record Login(String user, byte[] scramble) {
        /** Whether the client logged in with {@code password}. */
        public boolean usedPassword(String password) {
            return Arrays.equals(scramble, nativeScramble(password));
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Login> logins = new LinkedBlockingQueue<>();

    private CredentialsServer() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "credentials-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static CredentialsServer start() throws IOException {
        return new CredentialsServer();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next login attempt, waiting up to {@code timeout} for it. */
    public Login nextLogin(Duration timeout) throws InterruptedException {
        Login login = logins.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (login == null) {
            throw new AssertionError("no client logged in within " + timeout);
        }
        return login;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(30_000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                MysqlPackets.writePacket(out, 0, MysqlPackets.handshake());
                logins.add(parse(MysqlPackets.readPacket(in)));
                MysqlPackets.writePacket(out, 2, MysqlPackets.accessDenied());
            } catch (IOException e) {
                // closed, or a client that went away: nothing to record
            }
        }
    }

    /** The user and auth response of a HandshakeResponse41. */
    private static Login parse(byte[] response) {
        int flags = (response[0] & 0xFF) | (response[1] & 0xFF) << 8 | (response[2] & 0xFF) << 16
                | (response[3] & 0xFF) << 24;
        int position = 4 + 4 + 1 + 23;
        int userEnd = position;
        while (response[userEnd] != 0) {
            userEnd++;
        }
        String user = new String(response, position, userEnd - position, StandardCharsets.UTF_8);
        position = userEnd + 1;
        int length;
        if ((flags & MysqlPackets.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0 || (flags
                & MysqlPackets.CLIENT_SECURE_CONNECTION) != 0) {
            length = response[position++] & 0xFF; // a length below 251 is one byte in both forms
        } else {
            int end = position;
            while (response[end] != 0) {
                end++;
            }
            length = end - position;
        }
        return new Login(user, Arrays.copyOfRange(response, position, position + length));
    }

    /** SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))); empty for an empty password. */
    static byte[] nativeScramble(String password) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] stage2 = sha1.digest(stage1);
            sha1.update(MysqlPackets.SALT);
            sha1.update(stage2);
            byte[] mix = sha1.digest();
            for (int i = 0; i < mix.length; i++) {
                mix[i] ^= stage1[i];
            }
            return mix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
