package io.streamload.emulator.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The FE's MySQL protocol port (9030 on StarRocks and Doris FEs): accepts clients, one thread each,
 * and hands them to a {@link MysqlSession}. With a TLS context the handshake offers CLIENT_SSL and a
 * client's SSLRequest turns the connection into TLS, as a StarRocks 3.4.1+ FE with
 * {@code ssl_keystore_location} does; without one it is plain TCP only.
 */
public final class MysqlListener implements AutoCloseable {
    private final InetAddress bindAddress;
    private final SqlEngine engine;
    private final String user;
    private final String password;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    /** Null: no TLS offered. */
    private final SSLContext tls;
    private final boolean requireTls;
    private final AtomicLong tlsSessions = new AtomicLong();
    private volatile int port;
    private volatile ServerSocket serverSocket;

    public MysqlListener(InetAddress bindAddress, int port, SqlEngine engine, String user, String password) {
        this(bindAddress, port, engine, user, password, null, false);
    }

    /**
     * @param tls        the server certificate's context, or null for a plain port
     * @param requireTls refuse clients that do not ask for TLS (StarRocks' {@code ssl_force_secure_transport})
     */
    public MysqlListener(InetAddress bindAddress, int port, SqlEngine engine, String user, String password,
                         SSLContext tls, boolean requireTls) {
        if (requireTls && tls == null) {
            throw new IllegalArgumentException("requiring TLS on the MySQL port needs a TLS context: set Builder.tls");
        }
        this.tls = tls;
        this.requireTls = requireTls;
        this.bindAddress = bindAddress;
        this.port = port;
        this.engine = engine;
        this.user = user;
        this.password = password;
    }

    public void start() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(bindAddress, port));
        port = ss.getLocalPort();
        serverSocket = ss;
        Thread acceptor = new Thread(this::acceptLoop, "emulator-mysql-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!ss.isClosed()) {
            try {
                Socket socket = ss.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread t = new Thread(() -> {
                    try {
                        new MysqlSession(socket, connectionIds.incrementAndGet(), engine, user, password,
                                new MysqlSession.Tls(tls, requireTls, tlsSessions::incrementAndGet)).run();
                    } finally {
                        connections.remove(socket);
                    }
                }, "emulator-mysql-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    public int port() {
        return port;
    }

    /** Connections that switched to TLS after an SSLRequest, since the start. */
    public long tlsSessions() {
        return tlsSessions.get();
    }

    /** Whether the handshake offers TLS. */
    public boolean offersTls() {
        return tls != null;
    }

    /** Whether clients that stay in plain text are refused. */
    public boolean requiresTls() {
        return requireTls;
    }

    /** Client connections open now. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        try {
            if (serverSocket != null) {
                serverSocket.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
