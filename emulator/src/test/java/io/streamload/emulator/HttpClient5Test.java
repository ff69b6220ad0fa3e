package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.junit.jupiter.api.Test;

/**
 * A real client library through FE and BE: httpclient5 follows the 307 for a PUT (not its default),
 * re-sends Authorization to the BE (its default refuses across hosts) and uses Expect: 100-continue.
 */
class HttpClient5Test {

    /** Follows 307 for every method and keeps Authorization across authorities, like curl --location-trusted. */
    static final class TrustedRedirects extends DefaultRedirectStrategy {
        @Override
        public boolean isRedirectAllowed(HttpHost currentTarget, HttpHost newTarget, HttpRequest redirect,
                                         HttpContext context) {
            return true;
        }
    }

    @Test
    void putFollowsTheRedirectWithAuthorizationAndExpectContinue() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            List<String> seen = new CopyOnWriteArrayList<>();
            HttpRequestInterceptor record = (request, entity, context) -> seen.add(request.getAuthority().getPort()
                    + " " + request.getFirstHeader("Authorization").getValue() + " " + request.getFirstHeader("Expect"));
            RequestConfig config = RequestConfig.custom().setExpectContinueEnabled(true).setRedirectsEnabled(true).build();
            try (CloseableHttpClient client = HttpClients.custom()
                    .setDefaultRequestConfig(config)
                    .setRedirectStrategy(new TrustedRedirects())
                    .addRequestInterceptorLast(record)
                    .build()) {
                HttpPut put = new HttpPut(e.feUrl() + Fixtures.streamLoadPath("t"));
                put.setHeader("Authorization", RawHttp.basic(USER, PASSWORD));
                put.setHeader("label", "hc5");
                put.setHeader("column_separator", ",");
                put.setEntity(new ByteArrayEntity("1,a,1\n2,b,2\n".getBytes(StandardCharsets.UTF_8),
                        ContentType.TEXT_PLAIN));

                JsonNode reply = client.execute(put, response -> {
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
        }
    }
}
