package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.dialect.StarRocksDialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * The transport rows of {@link OutcomeTable}, produced by real sockets: the client against the
 * emulator (and, for the connect timeout, a listener whose accept queue is full), so each row is
 * known to be what the failure really looks like, not what a test assumed it looks like.
 */
class StreamLoadClientTransportTest {

    private static final String DB = "db";
    private static final String TABLE = "t";
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

    private static void assertRow(LoadResponse response, TransportFailure failure, String row) {
        assertEquals(failure, response.failure(), response.describe());
        assertEquals(row, OutcomeTable.classify(response).rule(), response.describe());
    }

    private StreamLoadClient client(List<URI> fes, Duration socketTimeout, Duration loadTimeout) {
        return client(new FeSelector(fes), socketTimeout, loadTimeout);
    }

    private StreamLoadClient client(FeSelector fes, Duration socketTimeout, Duration loadTimeout) {
        StreamLoadClient client = new StreamLoadClient(new StarRocksDialect(), fes, DB, "root", "secret",
                new StreamLoadClient.Options(Duration.ofMillis(500), socketTimeout, loadTimeout, null, 4, "test"),
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
