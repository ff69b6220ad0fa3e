package io.streamload.warnings.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;

/**
 * A MySQL server, as whoever may set a store URL could run one, that obtains the client's
 * password in clear without TLS through {@code caching_sha2_password}'s RSA exchange: it announces
 * that plugin, answers the client's scramble with "perform full authentication", and when the
 * client asks for the server's public key (what {@code allowPublicKeyRetrieval=true} lets it do)
 * sends its own, then decrypts the password the client encrypts with it.
 */
public final class PublicKeyServer implements AutoCloseable {

    /** One login attempt: whether the client asked for the key, and the password it sent, if any. */
    public record Attempt(boolean keyRequested, String password) {
    }

    private final ServerSocket server;
    private final KeyPair keys;
    private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();

    private PublicKeyServer() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::acceptLoop, "public-key-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static PublicKeyServer start() throws IOException, GeneralSecurityException {
        return new PublicKeyServer();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next login attempt once the client is done, waiting up to {@code timeout}. */
    public Attempt nextAttempt(Duration timeout) throws InterruptedException {
        Attempt attempt = attempts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (attempt == null) {
            throw new AssertionError("no client logged in within " + timeout);
        }
        return attempt;
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
            serve(socket);
        }
    }

    private void serve(Socket socket) {
        boolean keyRequested = false;
        String password = null;
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            MysqlPackets.writePacket(out, 0, MysqlPackets.handshake("caching_sha2_password"));
            MysqlPackets.readPacket(in); // the scramble, of no use to us
            MysqlPackets.writePacket(out, 2, new byte[] {0x01, 0x04}); // perform full authentication
            byte[] answer = MysqlPackets.readPacket(in);
            if (answer.length == 1 && answer[0] == 0x02) {
                keyRequested = true;
                ByteArrayOutputStream key = new ByteArrayOutputStream();
                key.write(0x01);
                key.writeBytes(("-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII));
                MysqlPackets.writePacket(out, 4, key.toByteArray());
                password = decrypt(MysqlPackets.readPacket(in));
            } else if (answer.length > 0) {
                // A client on TLS would send the password as it is (this server offers no TLS).
                password = new String(answer, StandardCharsets.UTF_8).replaceFirst("\0$", "");
            }
            MysqlPackets.writePacket(out, keyRequested ? 6 : 4, MysqlPackets.accessDenied());
        } catch (IOException e) {
            // The client gave up: what it sent so far is recorded.
        } finally {
            attempts.add(new Attempt(keyRequested, password));
        }
    }

    /** RSA-OAEP, then the XOR with the handshake's salt that the client applies first. */
    private String decrypt(byte[] encrypted) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
            byte[] mixed = cipher.doFinal(encrypted);
            for (int i = 0; i < mixed.length; i++) {
                mixed[i] ^= MysqlPackets.SALT[i % MysqlPackets.SALT.length];
            }
            return new String(mixed, StandardCharsets.UTF_8).replaceFirst("\0$", "");
        } catch (GeneralSecurityException e) {
            return "undecryptable: " + e;
        }
    }
}
