package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.junit.jupiter.api.Test;

/**
 * A real client library through FE and BE: httpclient5 follows the 307 for a PUT (not its default),
 * re-sends Authorization to the BE (its default refuses across hosts) and uses Expect: 100-continue.
 * Its classic executor also sends the body after a final status below 400, a 307 included: an older
 * FE reads and discards that body, a current one (StarRocks PR 52582) has closed the connection and
 * the client's write fails.
 */
class HttpClient5Test {
    private static final byte[] ROWS = "1,a,1\n2,b,2\n".getBytes(StandardCharsets.UTF_8);

    /** Follows 307 for every method and keeps Authorization across authorities, like curl --location-trusted. */
    static final class TrustedRedirects extends DefaultRedirectStrategy {
        @Override
        public boolean isRedirectAllowed(HttpHost currentTarget, HttpHost newTarget, HttpRequest redirect,
                                         HttpContext context) {
            return true;
        }
    }

    private static CloseableHttpClient client(List<String> seen) {
        HttpRequestInterceptor record = (request, entity, context) -> seen.add(request.getAuthority().getPort()
                + " " + request.getFirstHeader("Authorization").getValue() + " " + request.getFirstHeader("Expect"));
        RequestConfig config = RequestConfig.custom().setExpectContinueEnabled(true).setRedirectsEnabled(true).build();
        return HttpClients.custom()
                .setDefaultRequestConfig(config)
                .setRedirectStrategy(new TrustedRedirects())
                .addRequestInterceptorLast(record)
                .disableAutomaticRetries()
                .build();
    }

    private static HttpPut put(StreamLoadEmulator e, String label, HttpEntity body) {
        HttpPut put = new HttpPut(e.feUrl() + Fixtures.streamLoadPath("t"));
        put.setHeader("Authorization", RawHttp.basic(USER, PASSWORD));
        put.setHeader("label", label);
        put.setHeader("column_separator", ",");
        put.setEntity(body);
        return put;
    }

    @Test
    void putFollowsTheRedirectWithAuthorizationAndExpectContinueThroughAnOlderFe() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).feKeepsReadingAfterAnswer(true).start()) {
            e.createTable(Fixtures.duplicate("t"));
            List<String> seen = new CopyOnWriteArrayList<>();
            try (CloseableHttpClient client = client(seen)) {
                JsonNode reply = client.execute(put(e, "hc5", new ByteArrayEntity(ROWS, ContentType.TEXT_PLAIN)),
                        response -> {
                            assertEquals(200, response.getCode());
                            return RawHttp.JSON.readTree(EntityUtils.toString(response.getEntity()));
                        });

                assertEquals("Success", reply.get("Status").asText(), reply::toString);
                assertEquals(2, reply.get("NumberLoadedRows").asLong());
            }
            assertEquals(2, e.rowCount(DB, "t"));
            assertEquals("VISIBLE", e.labelState(DB, "hc5"));
            int fePort = e.fePort();
            int bePort = java.net.URI.create(e.beUrl(0)).getPort();
            assertEquals(2, seen.size(), seen::toString);
            String auth = RawHttp.basic(USER, PASSWORD);
            assertEquals(fePort + " " + auth + " Expect: 100-continue", seen.get(0));
            assertEquals(bePort + " " + auth + " Expect: 100-continue", seen.get(1));
            // The body crossed the network twice: once to the FE, which threw it away, once to the BE.
            Await.until("the older FE has read the body sent after its 307",
                    () -> e.feBodyBytesAfterAnswer() == ROWS.length);
        }
    }

    /**
     * Against a current FE the same client fails: the FE closed the connection after its 307, and
     * the body the client pushes anyway meets a reset. The body is far larger than the socket
     * buffers, so the failure shows in a write instead of vanishing into them (a body of a few
     * bytes is written into the send buffer before the reset comes back, and the client goes on).
     */
    @Test
    void currentFeRefusesTheBodyPushedAfterThe307() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            List<String> seen = new CopyOnWriteArrayList<>();
            long length = 256L << 20;
            try (CloseableHttpClient client = client(seen)) {
                HttpPut put = put(e, "hc5big", new InputStreamEntity(new RepeatedRows(length), length,
                        ContentType.TEXT_PLAIN));
                assertThrows(IOException.class, () -> client.execute(put, response -> response.getCode()));
            }
            assertEquals(1, seen.size(), () -> "the client never reached a BE: " + seen);
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals("UNKNOWN", e.labelState(DB, "hc5big"));
            assertTrue(e.loads().isEmpty(), () -> e.loads().toString());
        }
    }

    /** {@code length} bytes of CSV rows made as they are read, so a large body costs no memory. */
    private static final class RepeatedRows extends InputStream {
        private long remaining;
        private int at;

        RepeatedRows(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            byte b = ROWS[at];
            at = (at + 1) % ROWS.length;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                buf[off + i] = ROWS[at];
                at = (at + 1) % ROWS.length;
            }
            remaining -= n;
            return n;
        }
    }
}
