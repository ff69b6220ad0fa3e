package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** FE and BE listeners go down (connection refused) and come back on the same port. */
class ListenerTest {

    private static boolean refuses(String url) {
        URI u = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void feGoesDownAndComesBackOnTheSamePort() {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            String fe = e.feUrl();
            e.stopFe();

            assertFalse(e.feRunning());
            assertTrue(refuses(fe), "a stopped FE refuses connections");
            assertThrows(ConnectException.class, () -> Fixtures.streamLoad(e, "t").body("1\ta\t1\n").send());
            assertEquals(200, Fixtures.streamLoadOnBe(e, 0, "t").body("1\ta\t1\n").go().status(),
                    "BEs keep loading while the FE is down");

            e.startFe();
            assertEquals(fe, e.feUrl());
            assertEquals("Success", Fixtures.load(e, "t", "2\tb\t2\n").get("Status").asText());
            assertEquals(2, e.rowCount(DB, "t"));
        }
    }

    @Test
    void severalFesShareOneClusterAndGoDownOneByOne() {
        try (StreamLoadEmulator e = StreamLoadEmulator.builder().credentials(Fixtures.USER, Fixtures.PASSWORD)
                .frontends(3).start()) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals(3, e.frontendCount());
            assertEquals(e.feUrl(), e.feUrl(0));
            RawHttp.Response first = RawHttp.put(e.feUrl(1) + Fixtures.streamLoadPath("t")).auth(Fixtures.USER,
                    Fixtures.PASSWORD).expectContinue().header("label", "shared").body("1\ta\t1\n").go();
            assertEquals("Success", first.json().get("Status").asText());

            e.stopFe(1);
            assertTrue(refuses(e.feUrl(1)), "a stopped FE refuses connections");
            assertFalse(refuses(e.feUrl(2)), "the other FEs keep listening");
            RawHttp.Response again = RawHttp.put(e.feUrl(2) + Fixtures.streamLoadPath("t")).auth(Fixtures.USER,
                    Fixtures.PASSWORD).expectContinue().header("label", "shared").body("1\ta\t1\n").go();
            assertEquals("Label Already Exists", again.json().get("Status").asText(),
                    "a label loaded through one FE is known to the others");

            e.startFe(1);
            assertFalse(refuses(e.feUrl(1)), "the FE is back on its port");
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void beGoesDownAndComesBackOnTheSamePort() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            String be = e.beUrl(0);
            e.stopBe(0);

            assertTrue(refuses(be));
            RawHttp.Response viaFe = Fixtures.streamLoad(e, "t").body("1\ta\t1\n").send();
            assertEquals("FAILED", viaFe.json().get("Status").asText());
            assertTrue(viaFe.json().get("Message").asText().contains("No backend alive."));

            e.startBe(0);
            assertEquals(be, e.beUrl(0));
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n").get("Status").asText());
        }
    }

    @Test
    void stoppingABeDropsTheLoadItIsRunning() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            e.inject(Fault.of(FaultKind.DELAY).delay(Duration.ofMillis(1000)));
            CompletableFuture<RawHttp.Response> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return Fixtures.streamLoadOnBe(e, 0, "t").header("label", "cut1").body("1\ta\t1\n").send();
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            Await.until("the load is running", () -> e.pendingFaults().isEmpty());
            e.stopBe(0);

            ExecutionException failed = assertThrows(ExecutionException.class, () -> running.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof java.io.UncheckedIOException, failed::toString);
            // The body had arrived: like a network failure, not a crash, the load still commits. Only
            // the label can tell the client, which saw a dropped connection.
            Await.until("the dropped load settles", () -> "VISIBLE".equals(e.labelState(DB, "cut1")));
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    @Test
    void adminApiRestartsTheFe() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            JsonNode ok = RawHttp.post(e.feUrl() + "/_emulator/fe/restart?down_ms=1000").go().json();
            assertEquals("OK", ok.get("status").asText());

            Await.until("the FE is down", () -> refuses(e.feUrl()));
            Await.until("the FE is back", () -> !refuses(e.feUrl()));
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n").get("Status").asText());
        }
    }

    @Test
    void adminApiStopsAndStartsABe() throws Exception {
        try (StreamLoadEmulator e = Fixtures.start(Dialect.STARROCKS)) {
            e.createTable(Fixtures.duplicate("t"));
            assertEquals(200, RawHttp.post(e.feUrl() + "/_emulator/be/0/stop").go().status());
            assertTrue(refuses(e.beUrl(0)));
            assertEquals(200, RawHttp.post(e.feUrl() + "/_emulator/be/0/start").go().status());
            assertEquals("Success", Fixtures.load(e, "t", "1\ta\t1\n").get("Status").asText());
        }
    }
}
