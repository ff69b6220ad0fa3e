package io.streamload.emulator.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A small HTTP/1.1 server on a plain socket. It is written by hand rather than borrowed because the
 * emulator must control what a library hides: when {@code 100 Continue} is sent, answering before
 * the body arrives, resetting a connection mid-body, and going down and coming back on one port.
 */
public final class HttpListener implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How long a listener that keeps reading after its answer waits for more body bytes. */
    static final int SILENCE_MS = 2_000;

    private final String name;
    private final InetAddress bindAddress;
    private final HttpHandler handler;
    private final SSLContext sslContext;
    private final AtomicLong requests;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private volatile int port;
    private volatile ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean needClientAuth;
    private volatile boolean keepsReadingAfterAnswer;
    private final AtomicLong bodyBytesAfterAnswer = new AtomicLong();

    /**
     * @param requests shared counter incremented for every request head received
     */
    public HttpListener(String name, InetAddress bindAddress, int port, HttpHandler handler,
                        SSLContext sslContext, AtomicLong requests) {
        this.name = name;
        this.bindAddress = bindAddress;
        this.port = port;
        this.handler = handler;
        this.sslContext = sslContext;
        this.requests = requests;
        int id = IDS.incrementAndGet();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "emulator-" + name + "-" + id + "-conn");
            t.setDaemon(true);
            return t;
        });
    }

    /** With TLS: refuse clients without a certificate the context trusts (mutual TLS). */
    public void requireClientCertificates(boolean value) {
        this.needClientAuth = value;
    }

    /**
     * What happens to a request body the handler answered without reading (a 307, a 401, a size
     * error). False, the default: the connection is closed right after the answer, as a StarRocks FE
     * does since PR 52582 (3.3 line on); a client still pushing the body gets a reset or a broken pipe.
     * True: the listener keeps reading and discarding what the client sends until it closes or falls
     * silent for {@link #SILENCE_MS} ms, as older FEs do.
     */
    public void keepReadingAfterAnswer(boolean value) {
        this.keepsReadingAfterAnswer = value;
    }

    public boolean keepsReadingAfterAnswer() {
        return keepsReadingAfterAnswer;
    }

    /**
     * Request-body bytes this listener received after it had answered the request. When it closes at
     * once: what had already arrived and was still unread at the close. When it keeps reading: every
     * byte it read and discarded.
     */
    public long bodyBytesAfterAnswer() {
        return bodyBytesAfterAnswer.get();
    }

    /** Client connections open now: accepted and not yet ended by either side. */
    public int openConnections() {
        return connections.size();
    }

    public synchronized void start() throws IOException {
        if (serverSocket != null) {
            return;
        }
        ServerSocketFactory factory = sslContext == null
                ? ServerSocketFactory.getDefault() : sslContext.getServerSocketFactory();
        ServerSocket ss = factory.createServerSocket();
        if (ss instanceof SSLServerSocket tls) {
            tls.setNeedClientAuth(needClientAuth);
        }
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(bindAddress, port), 256);
        port = ss.getLocalPort();
        serverSocket = ss;
        acceptor = new Thread(() -> acceptLoop(ss), "emulator-" + name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Stop listening and drop every open connection, as a crashed process would. */
    public synchronized void stop() {
        ServerSocket ss = serverSocket;
        serverSocket = null;
        if (ss == null) {
            return;
        }
        try {
            ss.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.clear();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return serverSocket != null;
    }

    public int port() {
        return port;
    }

    public String scheme() {
        return sslContext == null ? "http" : "https";
    }

    public String url() {
        return scheme() + "://" + hostLiteral() + ":" + port;
    }

    public String hostLiteral() {
        String host = bindAddress.isAnyLocalAddress() ? "127.0.0.1" : bindAddress.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        stop();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            try {
                Socket s = ss.accept();
                connections.add(s);
                workers.execute(() -> serve(s));
            } catch (IOException e) {
                if (ss.isClosed()) {
                    return;
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            while (true) {
                HttpRequest request;
                try {
                    request = HttpParser.readRequest(in, out);
                } catch (IOException e) {
                    return;
                }
                if (request == null) {
                    return;
                }
                requests.incrementAndGet();
                Exchange exchange = new Exchange(socket);
                HttpResponse response;
                try {
                    response = handler.handle(request, exchange);
                } catch (SocketException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    if (exchange.wasReset() || socket.isClosed()) {
                        return;
                    }
                    response = HttpResponse.text(500, "internal error: " + e);
                }
                if (exchange.wasReset() || response == null) {
                    return;
                }
                boolean clientCloses = "close".equalsIgnoreCase(request.header("connection"))
                        || !request.isHttp11() && !"keep-alive".equalsIgnoreCase(request.header("connection"));
                boolean bodyDone = request.bodyFullyRead();
                boolean close = response.closesConnection() || clientCloses || !bodyDone;
                out.write(response.head(close));
                out.write(response.body());
                out.flush();
                if (close) {
                    if (!bodyDone) {
                        afterEarlyAnswer(socket, in);
                    }
                    return;
                }
            }
        } catch (IOException ignored) {
            // The client went away; nothing to answer.
        } finally {
            connections.remove(socket);
        }
    }

    /**
     * The answer went out before the body was read. By default the connection closes now: what the
     * client already sent and the server never read is counted, and the kernel answers it (and what
     * still comes) with a reset. The older-FE behaviour reads and discards until the client closes
     * or stops sending.
     */
    private void afterEarlyAnswer(Socket socket, InputStream in) {
        if (!keepsReadingAfterAnswer) {
            try {
                bodyBytesAfterAnswer.addAndGet(in.available());
            } catch (IOException ignored) {
                // the peer is gone already: nothing unread to count
            }
            return;
        }
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(SILENCE_MS);
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                bodyBytesAfterAnswer.addAndGet(n);
            }
        } catch (IOException ignored) {
            // silence, reset or the listener stopping: done either way
        }
    }

    @Override
    public String toString() {
        return name + " " + url();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
