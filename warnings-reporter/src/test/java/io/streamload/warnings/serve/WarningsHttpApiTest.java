package io.streamload.warnings.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamload.warnings.Identifiers;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.LoadErrorsWriter;
import io.streamload.warnings.LoadJobEntry;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.testing.Await;
import io.streamload.warnings.testing.TestMysql;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP service's filters, timeline and page, against a real MariaDB. */
class WarningsHttpApiTest {
    private static final TestMysql MYSQL = TestMysql.shared();
    /** Every row of the test is written at a fixed time around this one. */
    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String cluster;
    private static WarningsHttpApi api;
    private static String base;

    @BeforeAll
    static void writeRowsAndServe() throws Exception {
        cluster = MYSQL.newDatabaseName("http_api");
        WarningsStoreConfig.Builder builder = WarningsStoreConfig.builder(MYSQL.url()).clusterId(cluster);
        MYSQL.url().password().ifPresent(builder::password);
        WarningsStoreConfig config = builder.build();
        try (LoadErrorsWriter writer = LoadErrorsWriter.start(config, Thread::new)) {
            // orders, job 200 (10:00): two rows too long, one NULL; job 201 (11:30) one out of range.
            writer.recordRejectedRow(row(200, "orders-200", "orders", 1, "String 'abc' is Too Long for VARCHAR(2)",
                    NOON.minusSeconds(7200)));
            writer.recordRejectedRow(row(200, "orders-200", "orders", 2, "String 'abcd' is too long for VARCHAR(2)",
                    NOON.minusSeconds(7199)));
            writer.recordRejectedRow(row(200, "orders-200", "orders", 3, "NULL value in non-nullable column 'id'",
                    NOON.minusSeconds(7198)));
            writer.recordRejectedRow(row(201, "orders-201", "orders", 4, "value 5_0 out of range", NOON.minusSeconds(1800)));
            writer.recordRejectedRow(row(201, "orders-201", "orders", 5, "value 500 out of range", NOON.minusSeconds(1799)));
            // customers, job 300 (11:00).
            writer.recordRejectedRow(row(300, "customers-300", "customers", 6, "100% wrong: too long",
                    NOON.minusSeconds(3600)));

            writer.recordLoad(load("orders-200", 200, "orders", "Fail", 90, 3, NOON.minusSeconds(7200)));
            writer.recordLoad(load("orders-200b", 210, "orders", "Success", 97, 0, NOON.minusSeconds(7100)));
            writer.recordLoad(load("orders-201", 201, "orders", "Publish Timeout", 40, 2, NOON.minusSeconds(1800)));
            writer.recordLoad(load("orders-202", 202, "orders", "Label Already Exists", 40, 0, NOON.minusSeconds(1700)));
            writer.recordLoad(load("customers-300", 300, "customers", "COMMITTED", 10, 1, NOON.minusSeconds(3600)));
            writer.recordLoad(load("customers-301", 301, "customers", "Success", 5, 0, NOON.plusSeconds(3600)));
            Await.until("all written", Duration.ofSeconds(30), () -> writer.stats().written() == 12);
        }
        api = WarningsHttpApi.start("127.0.0.1", 0, StoreConnections.of(config), config.location(),
                Clock.fixed(NOON, ZoneOffset.UTC));
        base = "http://127.0.0.1:" + api.address().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        MYSQL.dropDatabase(Identifiers.databaseForCluster(cluster));
    }

    private static LoadErrorEntry row(long job, String label, String table, long offset, String reason, Instant at) {
        return LoadErrorEntry.builder().jobId(job).label(label).database("shop").table(table)
                .source(table, 0, offset).errorMessage(reason).rowExcerpt("{\"id\":" + offset + "}").createdAt(at).build();
    }

    private static LoadJobEntry load(String label, long txn, String table, String status, long loaded, long filtered,
                                     Instant at) {
        return LoadJobEntry.builder().label(label).transactionId(txn).database("shop").table(table).status(status)
                .rows(loaded + filtered, loaded, filtered, 0).finishedAt(at).build();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
        return JsonViews.MAPPER.readTree(response.body());
    }

    private static List<Long> offsets(JsonNode rows) {
        List<Long> offsets = new ArrayList<>();
        rows.forEach(row -> offsets.add(row.get("offset").asLong()));
        return offsets;
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void assertError(String pathAndQuery, String message) throws Exception {
        HttpResponse<String> response = get(pathAndQuery);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(message, JsonViews.MAPPER.readTree(response.body()).get("error").asText());
    }

    @Test
    void rejectedRowsAreNarrowedByReasonTextInAnyCase() throws Exception {
        assertEquals(List.of(1L, 2L, 6L), offsets(json("/api/warnings?reason=" + encoded("TOO LONG"))));
        // The reason's % and _ are text, not LIKE's wildcards: 5_0 is not 500, 100% is not 100 and more.
        assertEquals(List.of(4L), offsets(json("/api/warnings?reason=5_0")));
        assertEquals(List.of(6L), offsets(json("/api/warnings?reason=" + encoded("100%"))));
        assertEquals(List.of(), offsets(json("/api/warnings?reason=" + encoded("10%wrong"))));
    }

    @Test
    void rejectedRowsAreNarrowedByTableAndTime() throws Exception {
        assertEquals(List.of(6L), offsets(json("/api/warnings?table=customers")));
        // since inclusive, until exclusive: 10:00:01 up to 11:00 leaves out the rows at 10:00:00 and at 11:00.
        assertEquals(List.of(2L, 3L), offsets(json("/api/warnings?since=2025-03-01T10:00:01Z&until=2025-03-01T11:00:00Z")));
        assertEquals(List.of(4L, 5L), offsets(json("/api/warnings?since=" + encoded("2025-03-01T12:29:00+01:00"))));
        // The newest rows come when there are more than the limit, in the order they were written.
        assertEquals(List.of(4L, 5L), offsets(json("/api/warnings?table=orders&limit=2")));
    }

    @Test
    void theFiltersNarrowAJobOrALabelsLatestJobAndAStatement() throws Exception {
        assertEquals(List.of(1L, 2L), offsets(json("/api/warnings?job_id=200&reason=too%20long")));
        assertEquals(List.of(3L), offsets(json("/api/warnings?label=orders-200&reason=null")));
        // The label's latest job is the label's, whatever the filter: none of its rows matches, none come.
        assertEquals(List.of(), offsets(json("/api/warnings?label=orders-201&reason=too%20long")));
        assertEquals(List.of(5L), offsets(json("/api/warnings?statement="
                + encoded("SHOW LOAD WARNINGS WHERE LOAD_JOB_ID = 201") + "&since=2025-03-01T11:30:00.500Z")));
    }

    @Test
    void loadsAreNarrowedByTime() throws Exception {
        JsonNode loads = json("/api/loads?since=2025-03-01T11:00:00Z&until=2025-03-01T12:00:00Z");
        List<String> labels = new ArrayList<>();
        loads.forEach(load -> labels.add(load.get("label").asText()));
        assertEquals(List.of("customers-300", "orders-202", "orders-201"), labels);
        assertEquals(1, json("/api/loads?table=customers&since=2025-03-01T12:00:00Z").size());
    }

    @Test
    void theTimelineSumsWhatLandedPerTableAndSpan() throws Exception {
        // The default: the day before now (the fixed clock's noon) in 48 spans of 30 minutes.
        JsonNode day = json("/api/timeline");
        assertEquals("2025-02-28T12:00:00Z", day.get("since").asText());
        assertEquals("2025-03-01T12:00:00Z", day.get("until").asText());
        assertEquals(1800, day.get("bucketSeconds").asLong());
        assertEquals(48, day.get("buckets").asInt());
        assertFalse(day.get("truncated").asBoolean());
        assertEquals("customers", day.get("tables").get(0).get("table").asText());
        JsonNode customers = day.get("tables").get(0);
        // customers-301 finished after until.
        assertEquals(1, customers.get("attempts").asLong());
        assertEquals(10, customers.get("loadedRows").asLong());
        assertEquals(1, customers.get("filteredRows").asLong());
        assertEquals(1, customers.get("rejectedRows").asLong());

        JsonNode hours = json("/api/timeline?table=orders&since=2025-03-01T09:00:00Z&until=2025-03-01T12:00:00Z"
                + "&buckets=3");
        assertEquals(3600, hours.get("bucketSeconds").asLong());
        assertEquals(1, hours.get("tables").size());
        JsonNode orders = hours.get("tables").get(0);
        assertEquals("shop", orders.get("db").asText());
        // The failed attempt's 90 rows and the label that already existed did not land.
        assertEquals(4, orders.get("attempts").asLong());
        assertEquals(2, orders.get("landedAttempts").asLong());
        assertEquals(97 + 40, orders.get("loadedRows").asLong());
        assertEquals(2, orders.get("filteredRows").asLong());
        assertEquals(5, orders.get("rejectedRows").asLong());
        JsonNode points = orders.get("points");
        assertEquals(2, points.size(), "the empty span of 09:00 is left out: " + points);
        assertEquals("2025-03-01T10:00:00Z", points.get(0).get("start").asText());
        assertEquals(2, points.get(0).get("attempts").asLong());
        assertEquals(97, points.get(0).get("loadedRows").asLong());
        assertEquals(3, points.get(0).get("rejectedRows").asLong());
        assertEquals("2025-03-01T11:00:00Z", points.get(1).get("start").asText());
        assertEquals(40, points.get(1).get("loadedRows").asLong());
        assertEquals(2, points.get(1).get("filteredRows").asLong());
        assertEquals(2, points.get(1).get("rejectedRows").asLong());
    }

    @Test
    void aTimelineCutByItsLimitSaysSo() throws Exception {
        JsonNode cut = json("/api/timeline?since=2025-03-01T09:00:00Z&until=2025-03-01T12:00:00Z&buckets=3&limit=1");
        assertTrue(cut.get("truncated").asBoolean(), cut.toString());
    }

    @Test
    void badTimesAndSpansAreRefusedNamingTheParameter() throws Exception {
        assertError("/api/warnings?since=yesterday", "since must be an ISO-8601 time such as 2025-01-31T12:00:00Z, got 'yesterday'");
        assertError("/api/loads?until=2025-03-01", "until must be an ISO-8601 time such as 2025-01-31T12:00:00Z, got '2025-03-01'");
        assertError("/api/warnings?since=2025-03-01T12:00:00Z&until=2025-03-01T11:00:00Z",
                "since must be before until, got 2025-03-01T12:00:00Z and 2025-03-01T11:00:00Z");
        assertError("/api/timeline?buckets=0", "buckets must be between 1 and 500, got 0");
        assertError("/api/timeline?buckets=501", "buckets must be between 1 and 500, got 501");
        assertError("/api/timeline?limit=1001", "limit must be between 1 and 1000, got 1001");
        assertError("/api/timeline?since=2025-03-02T00:00:00Z",
                "since must be before until, got 2025-03-02T00:00:00Z and 2025-03-01T12:00:00Z");
    }

    @Test
    void thePageIsServedWithAPolicyThatAllowsOnlyItsOwnScript() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(policy.contains("script-src 'self'") && policy.contains("default-src 'none'"), policy);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(page.body().contains("page.js"), page.body());
        assertEquals(page.body(), get("/index.html").body());

        assertEquals("text/javascript; charset=utf-8",
                get("/page.js").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/css; charset=utf-8", get("/page.css").headers().firstValue("Content-Type").orElseThrow());
        assertEquals(404, get("/../pom.xml").statusCode());
        assertEquals(404, get("/page.js.map").statusCode());
        assertEquals(404, get("/api/nothing").statusCode());
        assertEquals("no-store", get("/api/health").headers().firstValue("Cache-Control").orElseThrow());

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void boundToLoopbackItAnswersOnlyRequestsAddressedToLoopback() throws Exception {
        assertTrue(rawGet("/api/health", "localhost:" + api.address().getPort()).startsWith("HTTP/1.1 200"));
        assertTrue(rawGet("/", "127.0.0.1").startsWith("HTTP/1.1 200"));
        // A site whose name resolves to 127.0.0.1 (DNS rebinding) reads nothing, page or API.
        for (String path : List.of("/", "/api/warnings", "/api/health")) {
            String answer = rawGet(path, "attacker.example:" + api.address().getPort());
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            assertTrue(answer.contains("not to 'attacker.example:"), answer);
        }
    }

    @Test
    void loopbackNames() {
        for (String host : List.of("localhost", "LOCALHOST:8089", "127.0.0.1", "127.1.2.3:80", "[::1]", "[::1]:8089")) {
            assertTrue(WarningsHttpApi.isLoopbackName(host), host);
        }
        for (String host : List.of("example.com", "127.0.0.1.nip.io", "localhost.example", "[::2]", "10.0.0.1:80",
                "localhost:80:80", "127.0.0.1:x", "")) {
            assertFalse(WarningsHttpApi.isLoopbackName(host), host);
        }
    }

    /** A request with a Host header of our choosing, which java.net.http does not allow. */
    private static String rawGet(String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
