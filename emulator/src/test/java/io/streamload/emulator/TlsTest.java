package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static io.streamload.emulator.Fixtures.PASSWORD;
import static io.streamload.emulator.Fixtures.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a TLS context every listener speaks https, redirects included. */
class TlsTest {

    private static SSLContext selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("emulator.p12");
        char[] pass = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "emulator", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool finishes");
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.exitValue(), output);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void httpsFeRedirectsToHttpsBe(@TempDir Path dir) throws Exception {
        SSLContext tls = selfSigned(dir);
        try (StreamLoadEmulator e = Fixtures.builder(Dialect.STARROCKS).tls(tls).start()) {
            e.createTable(Fixtures.duplicate("t"));
            assertTrue(e.feUrl().startsWith("https://127.0.0.1:"), e.feUrl());
            HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> redirect = client.send(put(e.feUrl() + Fixtures.streamLoadPath("t")),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(307, redirect.statusCode(), redirect::body);
            String location = redirect.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith(e.beUrl(0)) && location.startsWith("https://"), location);

            HttpResponse<String> loaded = client.send(put(location), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, loaded.statusCode());
            assertEquals("Success", RawHttp.JSON.readTree(loaded.body()).get("Status").asText(), loaded::body);
            assertEquals(1, e.rowCount(DB, "t"));
        }
    }

    private static HttpRequest put(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", RawHttp.basic(USER, PASSWORD))
                .header("label", "tls1")
                .expectContinue(true)
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString("1\ta\t1\n"))
                .build();
    }
}
