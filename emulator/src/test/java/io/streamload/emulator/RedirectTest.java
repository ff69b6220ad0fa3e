package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The FE answers loads with a 307 to a BE; BEs take loads directly too. */
class RedirectTest {

    @Test
    void starRocksFeRedirectsToBeWithoutCredentialsAndClosesTheConnection() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t") + "?x=1")
                    .auth(USER, PASSWORD).expectContinue().header("label", "r1").body("1\ta\t10\n").send();

            assertEquals(307, r.status(), r::toString);
            assertEquals(e.beUrl(0) + Fixtures.streamLoadPath("t") + "?x=1", r.header("Location"));
            assertNull(URI.create(r.header("Location")).getUserInfo(), "StarRocks never puts credentials in the Location");
            assertEquals("close", r.header("Connection"));
            assertFalse(r.sawContinue(), "the FE answers without asking for the body");
            assertEquals(0, e.rowCount(DB, "t"));
            assertEquals("UNKNOWN", e.labelState(DB, "r1"), "the FE does not start the load");
        }
    }

    @Test
    void dorisFeRedirectEmbedsUserAndPassword() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.DORIS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = Fixtures.streamLoad(e, "t").body("1\ta\t10\n").send();

            assertEquals(307, r.status(), r::toString);
            assertEquals("close", r.header("Connection"));
            URI location = URI.create(r.header("Location"));
            assertEquals(USER + ":" + PASSWORD, URLDecoder.decode(location.getRawUserInfo(), StandardCharsets.UTF_8));
            URI be = URI.create(e.beUrl(0));
            assertEquals(be.getHost(), location.getHost());
            assertEquals(be.getPort(), location.getPort());
            assertEquals(Fixtures.streamLoadPath("t"), location.getPath());
        }
    }

    @Test
    void dorisRedirectPercentEncodesCredentials() throws Exception {
        try (StreamLoadEmulator e = StreamLoadEmulator.builder().dialect(Dialect.DORIS)
                .credentials("etl user", "p@ss word:1+2").start()) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = RawHttp.put(e.feUrl() + Fixtures.streamLoadPath("t"))
                    .auth("etl user", "p@ss word:1+2").expectContinue().body("1\ta\t1\n").send();

            assertEquals(307, r.status(), r::toString);
            URI location = URI.create(r.header("Location"));
            assertEquals("etl user:p@ss word:1+2", location.getUserInfo(), "a URI client decodes the credentials back");
            assertEquals(URI.create(e.beUrl(0)).getPort(), location.getPort());
        }
    }

    @Test
    void followingTheRedirectLoadsOnTheBe() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            long before = e.requestCount();
            JsonNode reply = Fixtures.load(e, "t", "1\ta\t10\n2\tb\t20\n", "label", "follow1");
            assertEquals(before + 2, e.requestCount(), "one request to the FE, one to the BE");

            assertEquals("Success", reply.get("Status").asText(), reply::toString);
            assertEquals(2, reply.get("NumberLoadedRows").asLong());
            assertEquals(2, e.rowCount(DB, "t"));
            assertEquals("VISIBLE", e.labelState(DB, "follow1"));
        }
    }

    @Test
    void loadSentStraightToABeWorks() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            RawHttp.Response r = Fixtures.streamLoadOnBe(e, 0, "t").body("7\tseven\t70\n").go();

            assertEquals(200, r.status());
            assertEquals("Success", r.json().get("Status").asText(), r::toString);
            assertEquals(java.util.List.of(java.util.Map.of("id", 7L, "name", "seven", "score", 70L)),
                    e.rows(DB, "t").stream().map(java.util.HashMap::new).toList());
        }
    }

    @Test
    void oneFeFrontsSeveralBesAndSkipsOneThatIsDown() throws Exception {
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).backends(3).start()) {
            e.createTable(Fixtures.duplicate("t"));
            Set<String> targets = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                RawHttp.Response r = Fixtures.streamLoad(e, "t").body("1\ta\t1\n").send();
                assertEquals(307, r.status());
                URI u = URI.create(r.header("Location"));
                targets.add(u.getHost() + ":" + u.getPort());
            }
            assertEquals(3, targets.size(), "loads are spread over every BE: " + targets);

            e.stopBe(1);
            URI down = URI.create(e.beUrl(1));
            for (int i = 0; i < 6; i++) {
                RawHttp.Response r = Fixtures.streamLoad(e, "t").body("1\ta\t1\n").send();
                assertEquals(307, r.status());
                assertTrue(URI.create(r.header("Location")).getPort() != down.getPort(), "redirected to a stopped BE");
            }
        }
    }

    @Test
    void noBackendAliveIsAFailedBodyFromTheFe() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            e.stopBe(0);
            RawHttp.Response r = Fixtures.streamLoad(e, "t").body("1\ta\t1\n").send();

            assertEquals(200, r.status());
            assertEquals("FAILED", r.json().get("Status").asText());
            assertTrue(r.json().get("Message").asText().contains("No backend alive."), r::toString);
        }
    }
}
