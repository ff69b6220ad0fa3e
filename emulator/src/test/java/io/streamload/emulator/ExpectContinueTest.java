package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Expect: 100-continue}: required by the FE for data, honoured for real by the BE. */
class ExpectContinueTest {

    @Test
    void starRocksLoadWithoutExpectGetsHttp200Failed() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t")).auth(USER, PASSWORD)
                    .header("label", "noexpect").body("1\ta\t1\n").send();

            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            JsonNode body = r.json();
            assertEquals(List.of("Status", "Message"), RawHttp.keys(body));
            assertEquals("FAILED", body.get("Status").asText());
            assertEquals("class com.starrocks.common.DdlException: There is no 100-continue header",
                    body.get("Message").asText());
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals("UNKNOWN", e.labelState(DB, "noexpect"));
        }
    }

    @Test
    void dorisLoadWithoutExpectGetsHttp200Failed() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t")).auth(USER, PASSWORD)
                    .body("1\ta\t1\n").send();

            assertEquals(200, r.status());
            JsonNode body = r.json();
            assertEquals(List.of("status", "msg"), RawHttp.keys(body));
            assertEquals("FAILED", body.get("status").asText());
            assertEquals("There is no 100-continue header", body.get("msg").asText());
            assertEquals(0, e.rowCount(DB, "t"));
        }
    }

    @Test
    void http10LoadWithoutExpectIsRedirected() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t")).version("HTTP/1.0")
                    .auth(USER, PASSWORD).body("1\ta\t1\n").send();
            assertEquals(307, r.status(), "HTTP/1.0 cannot carry Expect: the FE skips the check");
        }
    }

    /**
     * The whole handshake on a raw socket: headers first, then the interim {@code 100 Continue} read
     * before a single body byte is written, then the body, then the final answer.
     */
    @Test
    void beSends100ContinueBeforeReadingTheBody() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            byte[] body = "1\tone\t10\n2\ttwo\t20\n".getBytes(StandardCharsets.UTF_8);
            String auth = RawHttp.basic(USER, PASSWORD);

            // 1. The FE: headers with Expect; it answers 307 at once, never 100, and never reads the body.
            String location;
            try (Socket fe = socketTo(e.feUrl())) {
                OutputStream out = fe.getOutputStream();
                InputStream in = new BufferedInputStream(fe.getInputStream());
                out.write(head(e.feUrl(), body.length, auth).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawHttp.Response redirect = RawHttp.readResponse(in, false);
                assertEquals(307, redirect.status(), redirect::toString);
                assertEquals("close", redirect.header("Connection"));
                location = redirect.header("Location");
                assertEquals(-1, in.read(), "the FE closes the connection after the redirect");
            }

            // 2. The BE: headers with Expect, then wait for the interim response before sending anything.
            try (Socket be = socketTo(location)) {
                OutputStream out = be.getOutputStream();
                InputStream in = new BufferedInputStream(be.getInputStream());
                out.write(head(location, body.length, auth).getBytes(StandardCharsets.US_ASCII));
                out.flush();

                assertEquals("HTTP/1.1 100 Continue", RawHttp.readLine(in));
                assertEquals("", RawHttp.readLine(in), "the interim response has no headers");
                assertEquals("PREPARE", e.labelState(DB, "raw100"), "the load has begun and waits for its body");
                assertEquals(0, e.rowCount(DB, "t"));

                out.write(body);
                out.flush();
                RawHttp.Response done = RawHttp.readResponse(in, true);
                assertEquals(200, done.status());
                assertEquals("Success", done.json().get("Status").asText(), done::toString);
                assertEquals(2, done.json().get("NumberLoadedRows").asLong());
            }
            assertEquals(2, e.rowCount(DB, "t"));
            assertEquals("VISIBLE", e.labelState(DB, "raw100"));
        }
    }

    @Test
    void beAnswersBeforeTheBodyWhenItWillNotReadIt() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).maxBodyBytes(10).start()) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = Fixtures.streamLoadOnBe(e, 0, "t").body("1\ta\t1\n2\tb\t2\n").send();

            assertEquals(200, r.status());
            assertFalse(r.sawContinue(), "no 100 Continue for a body the BE refuses");
            assertEquals("Fail", r.json().get("Status").asText());
            assertEquals("body size 12 exceed limit: 10", r.json().get("Message").asText());
        }
    }

    @Test
    void beKeepsTheConnectionOpenForTheNextLoad() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            String auth = RawHttp.basic(USER, PASSWORD);
            String be = e.beUrl(0) + Fixtures.streamLoadPath("t");
            try (Socket s = socketTo(be)) {
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream());
                for (int i = 1; i <= 2; i++) {
                    byte[] body = (i + "\tx\t" + i + "\n").getBytes(StandardCharsets.UTF_8);
                    out.write(head(be, body.length, auth).replace("label: raw100", "label: keep" + i)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertEquals(100, RawHttp.readResponse(in, false).status());
                    out.write(body);
                    out.flush();
                    RawHttp.Response r = RawHttp.readResponse(in, true);
                    assertEquals("Success", r.json().get("Status").asText(), r::toString);
                    assertEquals("keep-alive", r.header("Connection"));
                }
            }
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }

    private static Socket socketTo(String url) throws Exception {
        URI u = URI.create(url);
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String head(String url, int length, String auth) {
        URI u = URI.create(url);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? Fixtures.streamLoadPath("t") : u.getRawPath();
        return "PUT " + path + " HTTP/1.1\r\n"
                + "Host: " + u.getHost() + ":" + u.getPort() + "\r\n"
                + "Authorization: " + auth + "\r\n"
                + "Expect: 100-continue\r\n"
                + "label: raw100\r\n"
                + "Content-Length: " + length + "\r\n"
                + "\r\n";
    }
}
