package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an FE does with a body sent after its answer. A current StarRocks FE (PR 52582, 3.3 line on)
 * closes the connection right after its 307; older FEs keep reading and discard the body. Either
 * way the emulator counts the body bytes that reached an FE after it answered.
 */
class FeHandshakeTest {
    private static final byte[] CHUNK = "1\ta\t1\n".repeat(1024).getBytes(StandardCharsets.US_ASCII);

    @Test
    void currentFeClosesTheConnectionUnderAClientPushingTheBodyAfterThe307() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            try (Socket fe = socketTo(e.feUrl())) {
                OutputStream out = fe.getOutputStream();
                InputStream in = new BufferedInputStream(fe.getInputStream());
                out.write(head(e.feUrl(), 1L << 30, "pushy"));
                out.flush();
                RawHttp.Response redirect = RawHttp.readResponse(in, false);
                assertEquals(307, redirect.status(), redirect::toString);
                assertEquals("close", redirect.header("Connection"));

                // The client ignores the answer and pushes its body: the FE is gone within a second.
                fe.setSoTimeout(20);
                Await.until("the FE closes the connection while the client pushes its body", Duration.ofSeconds(1),
                        () -> pushFails(out, in));
            }
            assertEquals("UNKNOWN", e.labelState(DB, "pushy"));
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    @Test
    void currentFeCountsTheBodyBytesThatArrivedBeforeItClosed() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            byte[] body = "1\ta\t1\n2\tb\t2\n".getBytes(StandardCharsets.US_ASCII);
            try (Socket fe = socketTo(e.feUrl())) {
                // A client that does not wait for 100 Continue: head and body in one write, so both are
                // in the FE's hands before it answers.
                byte[] head = head(e.feUrl(), body.length, "eager");
                byte[] request = Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, request, head.length, body.length);
                fe.getOutputStream().write(request);
                fe.getOutputStream().flush();
                Await.until("the FE counts the unread body", () -> e.feBodyBytesAfterAnswer() == body.length);
            }
            assertEquals(body.length, e.feBodyBytesAfterAnswer(0));
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    @Test
    void olderFeReadsAndDiscardsTheBodyAndCountsEveryByte() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).frontends(2)
                .feKeepsReadingAfterAnswer(true).start()) {
            e.createTable(Fixtures.duplicate("t"));
            int chunks = 64;
            long n = (long) chunks * CHUNK.length;
            try (Socket fe = socketTo(e.feUrl(1))) {
                OutputStream out = fe.getOutputStream();
                InputStream in = new BufferedInputStream(fe.getInputStream());
                out.write(head(e.feUrl(1), n, "older"));
                out.flush();
                RawHttp.Response redirect = RawHttp.readResponse(in, false);
                assertEquals(307, redirect.status(), redirect::toString);
                assertEquals("close", redirect.header("Connection"));

                for (int i = 0; i < chunks; i++) {
                    out.write(CHUNK); // no reset: the older FE is still reading
                }
                out.flush();
                Await.until("the admin stats show the " + n + " bytes pushed after the 307",
                        () -> stats(e).get("feBodyBytesAfterAnswer").asLong() == n);
                assertEquals(-1, in.read(), "the older FE has answered and sends nothing more");
            }
            JsonNode stats = stats(e);
            assertEquals(0, stats.get("fes").get(0).get("bodyBytesAfterAnswer").asLong());
            assertEquals(n, stats.get("fes").get(1).get("bodyBytesAfterAnswer").asLong());
            assertEquals(e.feUrl(1), stats.get("fes").get(1).get("url").asText());
            assertEquals(n, e.feBodyBytesAfterAnswer(1));
            assertEquals(0, e.feBodyBytesAfterAnswer(0));
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    /** A client that sends only the head, waits, and follows the redirect costs the FE no body byte. */
    @ParameterizedTest(name = "feKeepsReadingAfterAnswer={0}")
    @ValueSource(booleans = {false, true})
    void wellBehavedClientSendsTheFeNoBodyByte(boolean keepsReading) {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).feKeepsReadingAfterAnswer(keepsReading).start()) {
            e.createTable(Fixtures.duplicate("t"));
            for (int i = 0; i < 3; i++) {
                JsonNode reply = Fixtures.load(e, "t", "1\ta\t1\n2\tb\t2\n", "label", "polite" + i);
                assertEquals("Success", reply.get("Status").asText(), reply::toString);
            }
            assertEquals(6, e.rowCount(DB, "t"));
            assertEquals(0, e.feBodyBytesAfterAnswer());
            JsonNode stats = stats(e);
            assertEquals(0, stats.get("feBodyBytesAfterAnswer").asLong());
            assertEquals(keepsReading, stats.get("feKeepsReadingAfterAnswer").asBoolean());
            assertEquals(0, stats.get("fes").get(0).get("bodyBytesAfterAnswer").asLong());
            assertTrue(stats.get("requests").asLong() >= 6, stats::toString);
        }
    }

    /**
     * Writes one more chunk and looks for the server's answer to it. True once the connection is
     * closed under the client: a write fails, or a read reports a reset.
     */
    private static boolean pushFails(OutputStream out, InputStream in) {
        try {
            out.write(CHUNK);
            out.flush();
        } catch (IOException closed) {
            return true;
        }
        try {
            while (in.read() >= 0) {
                // nothing should come; a half-closed connection reads as -1 and proves nothing
            }
            return false;
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static JsonNode stats(StreamLoadEmulator e) {
        RawHttp.Response r = RawHttp.get(e.feUrl() + "/_emulator/stats").go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private static Socket socketTo(String url) throws IOException {
        URI u = URI.create(url);
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] head(String url, long length, String label) {
        URI u = URI.create(url);
        return ("PUT " + Fixtures.streamLoadPath("t") + " HTTP/1.1\r\n"
                + "Host: " + u.getHost() + ":" + u.getPort() + "\r\n"
                + "Authorization: " + RawHttp.basic(USER, PASSWORD) + "\r\n"
                + "Expect: 100-continue\r\n"
                + "label: " + label + "\r\n"
                + "Content-Length: " + length + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
