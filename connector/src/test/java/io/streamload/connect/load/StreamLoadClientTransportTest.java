package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.connect.dialect.TableModel;
import io.streamload.connect.dialect.TableModelLookup;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;

/**
 * The transport rows of {@link OutcomeTable}, produced by real sockets: the client against the
 * emulator (and, for the connect timeout, a listener whose accept queue is full), so each row is
 * known to be what the failure really looks like, not what a test assumed it looks like.
 */
class StreamLoadClientTransportTest {

    private static final String DB = "db";
    private static final String TABLE = "t";
    /** Short, so the tests of a silent server do not wait the default 3 s. */
    private static final Duration CONTINUE_TIMEOUT = Duration.ofMillis(300);
    private static StreamLoadEmulator emulator;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void startEmulator() {
        emulator = StreamLoadEmulator.builder().credentials("root", "secret").frontends(2).start();
        emulator.createTable(TableDefinition.builder(DB, TABLE).column("id", "BIGINT", false).duplicateKey("id")
                .build());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        emulator.clearFaults();
        for (AutoCloseable closeable : closeAfter) {
            closeable.close();
        }
    }

    /**
     * What stop() relies on: abort() cuts the load being sent and the one waiting for a connection
     * (both come back as I/O failures, nothing thrown), sends no body afterwards, and still sends
     * requests without one, such as the rollbacks of what the cut loads began.
     */
    @Test
    void abortCutsEveryLoadAndKeepsTheClientForRequestsWithoutABody() throws Exception {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(5)).table(TABLE).times(1));
        StreamLoadClient client = client(new FeSelector(List.of(URI.create(emulator.feUrl(0)))),
                Duration.ofSeconds(30), Duration.ofSeconds(30), StreamLoadClient.DEFAULT_CONTINUE_TIMEOUT, 1);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        closeAfter.add(threads::shutdownNow);
        String sentLabel = "abort-sent-" + System.nanoTime();
        java.util.concurrent.Future<LoadResponse> sent = threads.submit(() -> client.load(TABLE,
                Map.of("label", sentLabel, "format", "json", "strip_outer_array", "true"), body(10)));
        io.streamload.connect.testing.Conditions.waitFor(() -> emulator.loads().stream()
                .anyMatch(load -> load.label().equals(sentLabel)), Duration.ofSeconds(10), "the first load at the target");
        java.util.concurrent.Future<LoadResponse> waiting = threads.submit(() -> client.load(TABLE,
                headers("abort-waiting"), body(10)));
        io.streamload.connect.testing.Conditions.waitFor(() -> client.waitingForConnection() == 1,
                Duration.ofSeconds(10), "the second load waiting for the one connection");

        client.abort();
        LoadResponse cut = sent.get(3, TimeUnit.SECONDS);
        LoadResponse cutWhileWaiting = waiting.get(3, TimeUnit.SECONDS);
        assertTrue(cut.transportError() != null, cut.describe());
        assertTrue(cutWhileWaiting.transportError() != null, cutWhileWaiting.describe());

        String afterLabel = "abort-after-" + System.nanoTime();
        LoadResponse after = client.load(TABLE, Map.of("label", afterLabel, "format", "json",
                "strip_outer_array", "true"), body(10));
        assertTrue(after.transportError() != null, after.describe());
        assertTrue(emulator.loads().stream().noneMatch(load -> load.label().equals(afterLabel)),
                "no body is sent after abort()");
        assertEquals(Optional.of(TableModel.DUPLICATE), new TableModelLookup(new StarRocksDialect(), client)
                .modelOf(TABLE), "a request without a body still is");
    }

    @Test
    void connectRefused() {
        emulator.stopFe(1);
        try {
            StreamLoadClient client = client(List.of(URI.create(emulator.feUrl(1))), Duration.ofSeconds(10),
                    Duration.ofSeconds(10));
            LoadResponse response = client.load(TABLE, headers("refused"), body(10));
            assertRow(response, TransportFailure.CONNECT_REFUSED, "connect refused (nothing sent)");
            assertTrue(response.atFe());
        } finally {
            emulator.startFe(1);
        }
    }

    @Test
    void aRefusingFeIsSkippedWithinTheSameAttempt() {
        emulator.stopFe(1);
        try {
            FeSelector fes = new FeSelector(List.of(URI.create(emulator.feUrl(1)), URI.create(emulator.feUrl(0))));
            StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
            LoadResponse response = client.load(TABLE, headers("skip-refusing-fe"), body(10));
            assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(response).kind(), response.describe());
            assertEquals(emulator.feUrl(0), response.fe(), "sent on to the FE that is up");
            assertEquals(1, fes.health().get(0).consecutiveFailures(), "the refusal counted against the FE");
        } finally {
            emulator.startFe(1);
        }
    }

    // Requests without a body: an FE that cannot be connected to got nothing of them either, so
    // they go on to the next FE, and each FE's health is reported as for loads.

    @Test
    void aTableModelQueryGoesOnFromARefusingFe() {
        emulator.stopFe(1);
        try {
            FeSelector fes = refusingFeFirst();
            StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
            assertEquals(Optional.of(TableModel.DUPLICATE),
                    new TableModelLookup(new StarRocksDialect(), client).modelOf(TABLE));
            assertRefusingFeFailedAndAnsweringFeSucceeded(fes);
        } finally {
            emulator.startFe(1);
        }
    }

    @Test
    void aLabelStateQueryGoesOnFromARefusingFe() {
        Map<String, String> headers = headers("state-after-refusal");
        LoadResponse loaded = client(List.of(URI.create(emulator.feUrl(0))), Duration.ofSeconds(10),
                Duration.ofSeconds(10)).load(TABLE, headers, body(3));
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(loaded).kind(), loaded.describe());
        emulator.stopFe(1);
        try {
            FeSelector fes = refusingFeFirst();
            StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
            assertEquals(Optional.of(LabelState.VISIBLE), client.labelState(TABLE, headers.get("label")));
            assertRefusingFeFailedAndAnsweringFeSucceeded(fes);
        } finally {
            emulator.startFe(1);
        }
    }

    @Test
    void aTransactionStepGoesOnFromARefusingFe() {
        String label = "txn-after-refusal-" + System.nanoTime();
        Map<String, String> keys = Map.of("label", label, "db", DB, "table", TABLE);
        emulator.stopFe(1);
        try {
            FeSelector fes = refusingFeFirst();
            StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
            StreamLoadClient.SmallReply begun = client.request("POST", "/api/transaction/begin", keys);
            assertTrue(begun.ok() && begun.body().matches("(?s).*\"Status\"\\s*:\\s*\"OK\".*"), begun.describe());
            assertEquals("PREPARE", emulator.labelState(DB, label), "begun once, at the FE that is up");
            assertRefusingFeFailedAndAnsweringFeSucceeded(fes);

            StreamLoadClient.SmallReply rolledBack = client.request("POST", "/api/transaction/rollback", keys);
            assertTrue(rolledBack.ok(), rolledBack.describe());
            assertEquals("ABORTED", emulator.labelState(DB, label));
        } finally {
            emulator.startFe(1);
        }
    }

    @Test
    void aRequestAnFeMayHaveActedOnIsNotSentToAnother() throws Exception {
        // The FE reads the request head and closes without answering: the step may have been
        // taken, so sending it to another FE could take it twice.
        RawServer closing = rawServer((head, socket, in, server) -> socket.close());
        FeSelector fes = new FeSelector(List.of(closing.uri(), URI.create(emulator.feUrl(0))));
        StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
        String label = "txn-not-handed-on-" + System.nanoTime();
        StreamLoadClient.SmallReply reply = client.request("POST", "/api/transaction/begin",
                Map.of("label", label, "db", DB, "table", TABLE));
        assertTrue(reply.failure() != null, reply.describe());
        assertEquals(1, closing.heads().size());
        assertEquals("UNKNOWN", emulator.labelState(DB, label), "not sent on to the next FE");
        assertEquals(1, fes.health().get(0).consecutiveFailures(), "the broken connection counted against the FE");
    }

    @Test
    void whenNoFeCanBeConnectedToEachIsTriedOnceAndCounted() {
        emulator.stopFe(0);
        emulator.stopFe(1);
        try {
            FeSelector fes = new FeSelector(List.of(URI.create(emulator.feUrl(1)), URI.create(emulator.feUrl(0))));
            StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(10));
            StreamLoadClient.SmallReply reply = client.request("POST", "/api/transaction/begin",
                    Map.of("label", "nowhere-" + System.nanoTime(), "db", DB, "table", TABLE));
            assertTrue(reply.failure() instanceof java.net.ConnectException, reply.describe());
            assertEquals(Optional.empty(), client.get("/api/_get_ddl?db=" + DB + "&tbl=" + TABLE));
            for (FeSelector.FeHealth fe : fes.health()) {
                assertEquals(2, fe.consecutiveFailures(), fe.toString());
            }
        } finally {
            emulator.startFe(0);
            emulator.startFe(1);
        }
    }

    /** FE 1 (stopped by the test) first, then FE 0, which has one failure on record to be cleared. */
    private static FeSelector refusingFeFirst() {
        FeSelector fes = new FeSelector(List.of(URI.create(emulator.feUrl(1)), URI.create(emulator.feUrl(0))));
        fes.failed(URI.create(emulator.feUrl(0)), "an earlier failure");
        return fes;
    }

    private static void assertRefusingFeFailedAndAnsweringFeSucceeded(FeSelector fes) {
        FeSelector.FeHealth refusing = fes.health().get(0);
        assertEquals(1, refusing.consecutiveFailures(), "tried once: " + refusing);
        assertTrue(refusing.lastError().startsWith("connect refused"), refusing.lastError());
        assertEquals(0, fes.health().get(1).consecutiveFailures(), "its answer counted for it");
    }

    @Test
    void connectTimeout() throws IOException {
        // A listener that never accepts, with its accept queue filled: the kernel drops further
        // SYNs, so a connect hangs until the client's connect timeout.
        ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeAfter.add(silent);
        for (int i = 0; i < 4; i++) {
            Socket filler = new Socket();
            closeAfter.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 200);
            } catch (IOException queueFull) {
                break;
            }
        }
        StreamLoadClient client = client(List.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        long started = System.nanoTime();
        LoadResponse response = client.load(TABLE, headers("connect-timeout"), body(10));
        assertRow(response, TransportFailure.CONNECT_TIMEOUT, "connect timeout (nothing sent)");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5_000, "cut by the connect timeout");
    }

    @Test
    void resetWhileSending() {
        emulator.inject(Fault.of(FaultKind.RESET_WHILE_READING_BODY).table(TABLE).times(1));
        StreamLoadClient client = client(List.of(URI.create(emulator.feUrl())), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        // The BE reads at most 1 MB, then resets: ~20 MB more cannot all sit in loopback socket
        // buffers, so the client is still writing when the reset comes.
        LoadResponse response = client.load(TABLE, headers("reset-sending"), body(2_000_000));
        assertRow(response, TransportFailure.RESET_WHILE_SENDING, "connection reset while sending the body");
        assertFalse(response.atFe(), "the BE reset, after the FE's redirect");
    }

    @Test
    void resetWhileReading() {
        emulator.inject(Fault.of(FaultKind.RESET_AFTER_COMMIT).table(TABLE).times(1));
        StreamLoadClient client = client(List.of(URI.create(emulator.feUrl())), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        Map<String, String> headers = headers("reset-reading");
        LoadResponse response = client.load(TABLE, headers, body(10));
        assertRow(response, TransportFailure.RESET_WHILE_READING, "connection reset while reading the reply");
        assertEquals("VISIBLE", emulator.labelState(DB, headers.get("label")), "it had committed: only the label knows");
    }

    @Test
    void readTimeout() {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(2)).table(TABLE).times(1));
        StreamLoadClient client = client(List.of(URI.create(emulator.feUrl())), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        LoadResponse response = client.load(TABLE, headers("read-timeout"), body(10));
        assertRow(response, TransportFailure.READ_TIMEOUT, "read timeout (no reply within load.socket.timeout.ms)");
    }

    @Test
    void aStuckBeIsCutAtTheLoadTimeout() {
        emulator.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofSeconds(4)).table(TABLE).times(1));
        StreamLoadClient client = client(List.of(URI.create(emulator.feUrl())), Duration.ofSeconds(30),
                Duration.ofMillis(800));
        long started = System.nanoTime();
        LoadResponse response = client.load(TABLE, headers("load-timeout"), body(10));
        long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertRow(response, TransportFailure.LOAD_TIMEOUT, "load timeout (the request outlived load.timeout.ms)");
        assertTrue(tookMs >= 700 && tookMs < 2_500, "cut at the load timeout, took " + tookMs + " ms");
    }

    // What an FE answers before the body: the body must never follow. An FE never reads a body;
    // since StarRocks 3.3 it closes the socket right after its 307, older ones keep reading and
    // throw the body away.

    @Test
    void anOlderFeThatKeepsReadingAfterIts307GetsNoBodyAndTheLoadLandsAtTheBe() throws Exception {
        RawServer fe = rawServer(RawServer.answerAndKeepReading(redirectToEmulatorBe(false)));
        StreamLoadClient client = client(List.of(fe.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        Map<String, String> headers = headers("older-fe");
        LoadResponse response = client.load(TABLE, headers, body(500));
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(response).kind(), response.describe());
        assertEquals(500, visibleRows(headers.get("label")), "loaded at the BE the FE redirected to");
        assertNoBodyReached(fe);
    }

    @Test
    void aCurrentFeThatClosesRightAfterIts307DoesNotBreakTheLoad() throws Exception {
        RawServer fe = rawServer(RawServer.answerAndClose(redirectToEmulatorBe(true)));
        StreamLoadClient client = client(List.of(fe.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        Map<String, String> headers = headers("current-fe");
        // Megabytes: pushed after the 307 they would meet the closed socket, not sit in its buffers.
        LoadResponse response = client.load(TABLE, headers, body(300_000));
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(response).kind(), response.describe());
        assertEquals(300_000, visibleRows(headers.get("label")), "loaded at the BE the FE redirected to");
    }

    @Test
    void aFeSilentPastTheWaitGetsNoBodyAndTheNextFeLoadsUnderTheSameLabel() throws Exception {
        RawServer silent = rawServer(RawServer.silence());
        FeSelector fes = new FeSelector(List.of(silent.uri(), URI.create(emulator.feUrl(0))));
        StreamLoadClient client = client(fes, Duration.ofSeconds(10), Duration.ofSeconds(30), CONTINUE_TIMEOUT);
        Map<String, String> headers = headers("silent-fe");
        LoadResponse response = client.load(TABLE, headers, body(500));
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(response).kind(), response.describe());
        assertEquals(emulator.feUrl(0), response.fe(), "sent on to the FE that answers");
        assertEquals(500, visibleRows(headers.get("label")), "loaded under the same label");
        assertTrue(silent.heads().get(0).contains("label: " + headers.get("label")), silent.heads().get(0));
        assertEquals(1, fes.health().get(0).consecutiveFailures(), "the silence counted against the FE");
        assertNoBodyReached(silent);
    }

    @Test
    void aFeThatRefusesTheCredentialsBeforeTheBodyGetsNoBody() throws Exception {
        RawServer fe = rawServer(RawServer.answerAndKeepReading("HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Basic realm=\"\"\r\nContent-Length: 0\r\n\r\n"));
        StreamLoadClient client = client(List.of(fe.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        LoadResponse response = client.load(TABLE, headers("fe-401"), body(500));
        assertEquals("HTTP 401 Unauthorized", OutcomeTable.classify(response).rule(), response.describe());
        assertNoBodyReached(fe);
    }

    @Test
    void aFeThatRefusesTheLoadWithA200FailBeforeTheBodyGetsNoBody() throws Exception {
        String fail = "{\"Status\":\"FAILED\",\"Message\":\"class com.starrocks.common.DdlException: "
                + "There is no 100-continue header\"}";
        RawServer fe = rawServer(RawServer.answerAndKeepReading("HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + fail.length() + "\r\n\r\n" + fail));
        StreamLoadClient client = client(List.of(fe.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        LoadResponse response = client.load(TABLE, headers("fe-200-fail"), body(500));
        assertEquals("Fail: There is no 100-continue header", OutcomeTable.classify(response).rule(),
                response.describe());
        assertNoBodyReached(fe);
    }

    @Test
    void aSmallBodyIsNotSentAfterAnEarlyAnswerEither() throws Exception {
        // httpcore writes bodies of at most 1024 bytes even when it gives a request up.
        ChunkedBytes small = body(5);
        assertTrue(small.size() <= 1024);
        RawServer refusing = rawServer(RawServer.answerAndKeepReading("HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Basic realm=\"\"\r\nContent-Length: 0\r\n\r\n"));
        StreamLoadClient client = client(List.of(refusing.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        LoadResponse refused = client.load(TABLE, headers("small-401"), small);
        assertEquals(401, refused.httpStatus(), refused.describe());
        assertNoBodyReached(refusing);

        RawServer redirecting = rawServer(RawServer.answerAndKeepReading(redirectToEmulatorBe(false)));
        StreamLoadClient second = client(List.of(redirecting.uri()), Duration.ofSeconds(10), Duration.ofSeconds(30));
        Map<String, String> headers = headers("small-307");
        LoadResponse loaded = second.load(TABLE, headers, small);
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(loaded).kind(), loaded.describe());
        assertEquals(5, visibleRows(headers.get("label")));
        assertNoBodyReached(redirecting);
    }

    @Test
    void aBeSilentPastTheWaitStillGetsTheBody() throws Exception {
        // Only FEs never want the body: a BE that does not send 100 Continue reads it all the same.
        RawServer be = rawServer(RawServer.readBodyThenAnswer(
                "{\"TxnId\":7,\"Label\":\"x\",\"Status\":\"Success\",\"Message\":\"OK\","
                        + "\"NumberTotalRows\":500,\"NumberLoadedRows\":500}"));
        RawServer fe = rawServer(RawServer.answerAndClose("HTTP/1.1 307 Temporary Redirect\r\nLocation: "
                + be.uri().resolve("/api/" + DB + "/" + TABLE + "/_stream_load")
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        StreamLoadClient client = client(new FeSelector(List.of(fe.uri())), Duration.ofSeconds(10),
                Duration.ofSeconds(30), CONTINUE_TIMEOUT);
        ChunkedBytes body = body(500);
        LoadResponse response = client.load(TABLE, headers("silent-be"), body);
        assertEquals(OutcomeKind.LOADED, OutcomeTable.classify(response).kind(), response.describe());
        assertEquals(body.size(), be.bodyBytes(), "the BE got the whole body");
        assertEquals(0, fe.bodyBytes());
    }

    /**
     * Checks that the client closed every connection to the server itself (one that never carried
     * the body its head announced cannot carry another request) and that no body byte came.
     */
    private static void assertNoBodyReached(RawServer server) throws InterruptedException {
        assertTrue(server.awaitConnectionsEnded(server.heads().size()), "the client closed its connections");
        assertEquals(0, server.bodyBytes(), "body bytes the FE received after the request head");
    }

    /** Rows the emulator made visible under the label (other tests' loads may land meanwhile). */
    private static long visibleRows(String label) {
        return emulator.loads().stream()
                .filter(load -> load.label().equals(label) && load.state() == LoadState.VISIBLE)
                .mapToLong(load -> load.loadedRows())
                .sum();
    }

    private static String redirectToEmulatorBe(boolean close) {
        return "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + emulator.beUrl(0) + "/api/" + DB + "/" + TABLE
                + "/_stream_load\r\nContent-Length: 0\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n";
    }

    private RawServer rawServer(RawServer.Behaviour behaviour) throws IOException {
        RawServer server = new RawServer(behaviour);
        closeAfter.add(server);
        return server;
    }

    /**
     * An HTTP server on a raw socket, one thread per connection: it reads a request head, behaves
     * as told, and counts every byte that arrives after the head (body bytes) until the client
     * closes the connection.
     */
    private static final class RawServer implements AutoCloseable {

        /** What the server does once it has read a request head. */
        @FunctionalInterface
        interface Behaviour {
            void serve(String head, Socket socket, InputStream in, RawServer server) throws IOException;
        }

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Behaviour behaviour;
        private final List<String> heads = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong bodyBytes = new AtomicLong();
        private final Semaphore ended = new Semaphore(0);

        RawServer(Behaviour behaviour) throws IOException {
            this.behaviour = behaviour;
            Thread acceptor = new Thread(this::accept, "raw-server-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** Answers, then reads and counts until the client closes. */
        static Behaviour answerAndKeepReading(String response) {
            return (head, socket, in, server) -> {
                socket.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                server.countUntilEnd(in);
            };
        }

        /** Answers and closes the socket at once, as a current StarRocks FE does after its 307. */
        static Behaviour answerAndClose(String response) {
            return (head, socket, in, server) -> {
                socket.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                socket.close();
            };
        }

        /** Never answers; reads and counts until the client closes. */
        static Behaviour silence() {
            return (head, socket, in, server) -> server.countUntilEnd(in);
        }

        /** Sends no 100 Continue, reads the body the head announced, then answers 200 with the JSON. */
        static Behaviour readBodyThenAnswer(String json) {
            return (head, socket, in, server) -> {
                long length = Long.parseLong(head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                        .findFirst().orElseThrow().substring("content-length:".length()).trim());
                for (long i = 0; i < length && in.read() >= 0; i++) {
                    server.bodyBytes.incrementAndGet();
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
                        + "\r\nConnection: close\r\n\r\n" + json).getBytes(StandardCharsets.UTF_8));
                out.flush();
                socket.close();
            };
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + listener.getLocalPort());
        }

        List<String> heads() {
            return heads;
        }

        long bodyBytes() {
            return bodyBytes.get();
        }

        /** True once {@code connections} connections have ended (the client closed them, or the server did). */
        boolean awaitConnectionsEnded(int connections) throws InterruptedException {
            return ended.tryAcquire(connections, 10, TimeUnit.SECONDS);
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    Thread conversation = new Thread(() -> converse(socket), "raw-server-connection");
                    conversation.setDaemon(true);
                    conversation.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void converse(Socket socket) {
            try (socket) {
                socket.setSoTimeout(30_000);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                String head = readHead(in);
                if (head != null) {
                    heads.add(head);
                    behaviour.serve(head, socket, in, this);
                }
            } catch (IOException e) {
                // The client reset or the test ended: the counts so far stand.
            } finally {
                ended.release();
            }
        }

        private void countUntilEnd(InputStream in) throws IOException {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                bodyBytes.addAndGet(n);
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            int b;
            while (matched < 4 && (b = in.read()) >= 0) {
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return matched == 4 ? head.toString(StandardCharsets.ISO_8859_1) : null;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    private static void assertRow(LoadResponse response, TransportFailure failure, String row) {
        assertEquals(failure, response.failure(), response.describe());
        assertEquals(row, OutcomeTable.classify(response).rule(), response.describe());
    }

    private StreamLoadClient client(List<URI> fes, Duration socketTimeout, Duration loadTimeout) {
        return client(new FeSelector(fes), socketTimeout, loadTimeout);
    }

    private StreamLoadClient client(FeSelector fes, Duration socketTimeout, Duration loadTimeout) {
        return client(fes, socketTimeout, loadTimeout, StreamLoadClient.DEFAULT_CONTINUE_TIMEOUT);
    }

    private StreamLoadClient client(FeSelector fes, Duration socketTimeout, Duration loadTimeout,
                                    Duration continueTimeout) {
        return client(fes, socketTimeout, loadTimeout, continueTimeout, 4);
    }

    private StreamLoadClient client(FeSelector fes, Duration socketTimeout, Duration loadTimeout,
                                    Duration continueTimeout, int maxConnections) {
        StreamLoadClient client = new StreamLoadClient(new StarRocksDialect(), fes, DB, "root", "secret",
                new StreamLoadClient.Options(Duration.ofMillis(500), socketTimeout, loadTimeout, null, maxConnections,
                        "test", continueTimeout),
                runnable -> {
                    Thread thread = new Thread(runnable, "test-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
        closeAfter.add(0, client);
        return client;
    }

    private static Map<String, String> headers(String label) {
        return Map.of("label", label + "-" + System.nanoTime(), "format", "json", "strip_outer_array", "true");
    }

    private static ChunkedBytes body(int rows) {
        ChunkedBytes body = new ChunkedBytes();
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < rows; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
        }
        byte[] bytes = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        body.write(bytes, 0, bytes.length);
        return body;
    }
}
