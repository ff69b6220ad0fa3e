package io.streamload.emulator.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The FE's MySQL protocol port (9030 on StarRocks and Doris FEs): accepts clients, one thread each,
 * and hands them to a {@link MysqlSession}. Plain TCP only: TLS is not offered in the handshake.
 */
public final class MysqlListener implements AutoCloseable {
    private final InetAddress bindAddress;
    private final SqlEngine engine;
    private final String user;
    private final String password;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private volatile int port;
    private volatile ServerSocket serverSocket;

    public MysqlListener(InetAddress bindAddress, int port, SqlEngine engine, String user, String password) {
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
                        new MysqlSession(socket, connectionIds.incrementAndGet(), engine, user, password).run();
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
