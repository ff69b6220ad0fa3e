package io.streamload.warnings.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.LoadErrorsWriter;
import io.streamload.warnings.LoadJobEntry;
import io.streamload.warnings.OffsetRange;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.testing.Await;
import io.streamload.warnings.testing.CredentialsServer;
import io.streamload.warnings.testing.TestMysql;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process against a real MariaDB and checks what it prints and returns. */
class WarningsReporterMainTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestMysql MYSQL = TestMysql.shared();
    private static String cluster;
    private static Map<String, String> environment;

    /** What one run printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void writeSomeRejections() throws Exception {
        cluster = MYSQL.newDatabaseName("cli");
        environment = new HashMap<>();
        environment.put("LOAD_ERRORS_URL", MYSQL.url().toString());
        MYSQL.url().password().ifPresent(p -> environment.put("LOAD_ERRORS_PASSWORD", p));
        environment.put("LOAD_ERRORS_CLUSTER_ID", cluster);

        WarningsStoreConfig.Builder config = WarningsStoreConfig.builder(MYSQL.url()).clusterId(cluster);
        MYSQL.url().password().ifPresent(config::password);
        try (LoadErrorsWriter writer = LoadErrorsWriter.start(config.build(), Thread::new)) {
            // Label orders-9 was tried twice: job 100 (three bad rows), then job 101 (two).
            for (int i = 0; i < 3; i++) {
                writer.recordRejectedRow(entry("orders-9", 100, i, "column 'name' is NULL"));
            }
            writer.recordLoad(job("orders-9", 100, "Fail", Instant.now().minusSeconds(60)));
            writer.recordRejectedRow(entry("orders-9", 101, 1, "VARCHAR too long"));
            writer.recordRejectedRow(entry("orders-9", 101, 2, "unparsable date '2025-13-01'"));
            writer.recordLoad(job("orders-9", 101, "Success", Instant.now()));
            writer.recordRejectedRow(entry("orders-10", 102, 7, "line one\nline two"));
            // Expired: older than any retention the test uses.
            writer.recordRejectedRow(LoadErrorEntry.builder().jobId(5).label("ancient").errorMessage("old")
                    .createdAt(Instant.now().minus(Duration.ofDays(30))).build());
            Await.until("all written", WAIT, () -> writer.stats().written() == 9);
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        MYSQL.dropDatabase(io.streamload.warnings.Identifiers.databaseForCluster(cluster));
    }

    private static LoadErrorEntry entry(String label, long job, long offset, String reason) {
        return LoadErrorEntry.builder().jobId(job).label(label).database("shop").table("orders")
                .source("orders", 0, offset).errorMessage(reason).rowExcerpt("{\"id\":" + offset + "}").build();
    }

    private static LoadJobEntry job(String label, long txn, String status, Instant finishedAt) {
        return LoadJobEntry.builder().label(label).transactionId(txn).database("shop").table("orders").status(status)
                .rows(100, 98, 2, 0).loadBytes(4096).loadTimeMs(31)
                .offsetRanges(List.of(new OffsetRange("orders", 0, 0, 99))).finishedAt(finishedAt).build();
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WarningsReporterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, new CountDownLatch(0));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(environment, args);
    }

    @Test
    void showByLabelPrintsTheLatestJobsRowsAsATable() {
        Run result = run("show", "show load warnings where label = \"orders-9\"");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("| JobId | Label    | ErrorMsgDetail"), result.out());
        assertTrue(result.out().contains("| 101   | orders-9 | VARCHAR too long [orders-0@1] row: {\"id\":1}"), result.out());
        assertFalse(result.out().contains("| 100 "), result.out());
        assertTrue(result.out().endsWith("2 rows in set" + System.lineSeparator()), result.out());
    }

    @Test
    void showAsJsonByJobId() throws Exception {
        Run result = run("show", "--json", "SHOW LOAD WARNINGS FROM shop WHERE LOAD_JOB_ID = 100 LIMIT 2");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode rows = JsonViews.MAPPER.readTree(result.out());
        assertEquals(2, rows.size());
        assertEquals(100, rows.get(0).get("JobId").asLong());
        assertEquals("orders-9", rows.get(0).get("Label").asText());
        assertEquals("column 'name' is NULL", rows.get(0).get("errorMsg").asText());
        assertEquals(0, rows.get(0).get("offset").asLong());
    }

    @Test
    void showWithoutFilterKeepsOneLinePerRow() {
        Run result = run("show", "SHOW LOAD WARNINGS LIMIT 1");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("line one\\nline two"), result.out());
        assertTrue(result.out().contains("1 row in set"), result.out());
    }

    @Test
    void aMalformedStatementIsAParseErrorWithPositionAndExitCode2() {
        Run result = run("show", "SHOW LOAD WARNINGS WHERE LABEL 'x'");
        assertEquals(2, result.exitCode());
        assertEquals("", result.out());
        String[] lines = result.err().split(System.lineSeparator());
        assertEquals("parse error at position 32: expected '=' after LABEL, found 'x'", lines[0]);
        assertEquals(33, lines[2].indexOf('^'));
    }

    @Test
    void loadsListsJobsNewestFirst() throws Exception {
        Run table = run("loads", "--label", "orders-9");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().indexOf("| 101 ") < table.out().indexOf("| 100 "), table.out());
        assertTrue(table.out().contains("2 rows in set"), table.out());

        Run json = run("loads", "--table", "orders", "--limit", "1", "--json");
        JsonNode rows = JsonViews.MAPPER.readTree(json.out());
        assertEquals(1, rows.size());
        assertEquals(101, rows.get(0).get("txnId").asLong());
        assertEquals(99, rows.get(0).get("offsetRanges").get(0).get("lastOffset").asLong());
    }

    @Test
    void cleanupDeletesOnlyExpiredRows() throws Exception {
        Run result = run("cleanup", "--retention", "7d", "--batch-size", "50");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("Deleted 1 rows older than PT168H"), result.out());
        assertTrue(result.out().contains("(1 from load_errors, 0 from load_jobs) in 2 DELETE statements"), result.out());
        Run ancient = run("show", "--json", "SHOW LOAD WARNINGS WHERE LABEL = 'ancient'");
        assertEquals(0, JsonViews.MAPPER.readTree(ancient.out()).size(), ancient.out());
    }

    @Test
    void settingsComeFromAPropertiesFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("reporter.properties");
        Files.writeString(config, "load.errors.url=" + MYSQL.url(cluster.toLowerCase()).toString() + "\n"
                + MYSQL.url().password().map(p -> "load.errors.password=" + p + "\n").orElse(""));
        Run result = run(Map.of(), "show", "--config", config.toString(), "SHOW LOAD WARNINGS WHERE LOAD_JOB_ID = 102");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("1 row in set"), result.out());
    }

    @Test
    void wrongUsageExplainsAndExitsWith2() {
        Run noStore = run(Map.of(), "show", "SHOW LOAD WARNINGS");
        assertEquals(2, noStore.exitCode());
        assertTrue(noStore.err().contains("no warnings store given"), noStore.err());

        Run noCluster = run(Map.of("LOAD_ERRORS_URL", "mysql://u:topsecret@127.0.0.1:1"), "show", "SHOW LOAD WARNINGS");
        assertEquals(2, noCluster.exitCode());
        assertTrue(noCluster.err().contains("--cluster-id"), noCluster.err());

        Run unknown = run("loads", "--lable", "x");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown option --lable"), unknown.err());
        assertEquals(2, run("frobnicate").exitCode());
        assertEquals(2, run().exitCode());
    }

    @Test
    void thePasswordComesFromTheNearestPlaceAsTheHelpSays(@TempDir Path dir) throws Exception {
        try (CredentialsServer server = CredentialsServer.start()) {
            String host = "127.0.0.1:" + server.port() + "/c1";
            String withRight = "mysql://loader:right-pw@" + host;
            String withWrong = "mysql://loader:wrong-pw@" + host;
            String without = "mysql://loader@" + host;
            Path right = Files.writeString(dir.resolve("password"), "right-pw\n");
            Path config = Files.writeString(dir.resolve("reporter.properties"), "load.errors.url=" + withRight + "\n");

            Map<String, List<String>> cases = new LinkedHashMap<>();
            // A flag beats the environment: --url's own password beats LOAD_ERRORS_PASSWORD...
            cases.put("LOAD_ERRORS_PASSWORD=wrong-pw", List.of("--url", withRight));
            // ...and --password-file beats a password in LOAD_ERRORS_URL.
            cases.put("LOAD_ERRORS_URL=" + withWrong, List.of("--password-file", right.toString()));
            // A URL without a password takes the environment's.
            cases.put("LOAD_ERRORS_PASSWORD=right-pw", List.of("--url", without));
            // Within one place, the connector's order: the password file before the URL's own.
            cases.put("", List.of("--url", withWrong, "--password-file", right.toString()));
            // The properties file is nearer than the environment.
            cases.put("LOAD_ERRORS_PASSWORD=wrong-pw ", List.of("--config", config.toString()));

            for (Map.Entry<String, List<String>> c : cases.entrySet()) {
                Map<String, String> env = new HashMap<>();
                String variable = c.getKey().trim();
                if (!variable.isEmpty()) {
                    env.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
                }
                List<String> args = new java.util.ArrayList<>(List.of("show"));
                args.addAll(c.getValue());
                args.add("SHOW LOAD WARNINGS");
                Run result = run(env, args.toArray(String[]::new));
                String what = c.getKey() + " " + c.getValue();
                assertEquals(1, result.exitCode(), what + ": " + result.err());
                assertTrue(result.err().contains("Access denied"), result.err());
                assertFalse(result.err().contains("right-pw") || result.err().contains("wrong-pw"), result.err());
                CredentialsServer.Login login = server.nextLogin(WAIT);
                assertEquals("loader", login.user(), what);
                assertTrue(login.usedPassword("right-pw"), what + ": the client did not log in with right-pw"
                        + (login.usedPassword("wrong-pw") ? " but with wrong-pw" : ""));
            }
        }
    }

    @Test
    void anUnreachableStoreFailsWithExit1AndNoPassword() {
        Run result = run(Map.of("LOAD_ERRORS_URL", "mysql://u:topsecret@127.0.0.1:1/c1?connectTimeout=2000"),
                "show", "SHOW LOAD WARNINGS");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("error: "), result.err());
        assertFalse(result.err().contains("topsecret") || result.out().contains("topsecret"), result.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("show", "loads", "cleanup", "serve", "dlq backfill")) {
            Run help = run(Map.of(), (command + " --help").split(" "));
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().startsWith("Usage: warnings-reporter " + command), help.out());
            assertTrue(help.out().contains("--url URL"), command);
            assertTrue(help.out().contains("LOAD_ERRORS_PASSWORD"), command);
            assertTrue(help.out().contains("--verbose"), command);
        }
        for (String command : List.of("dlq show", "dlq replay")) {
            Run help = run(Map.of(), (command + " -h").split(" "));
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().startsWith("Usage: warnings-reporter " + command), help.out());
            assertTrue(help.out().contains("--bootstrap-servers H:P"), help.out());
            assertFalse(help.out().contains("--url"), "dlq " + command + " reads no store: " + help.out());
        }
        Run dlq = run(Map.of(), "dlq", "--help");
        assertEquals(0, dlq.exitCode());
        for (String subcommand : List.of("show", "backfill", "replay")) {
            assertTrue(dlq.out().contains("\n  " + subcommand + " "), dlq.out());
        }
        Run overview = run(Map.of(), "--help");
        assertEquals(0, overview.exitCode());
        assertTrue(overview.out().contains("cleanup"));
        assertTrue(overview.out().contains("--verbose"), overview.out());
        assertEquals(overview.out(), run(Map.of(), "help").out());
        assertEquals(run(Map.of(), "dlq", "replay", "--help").out(), run(Map.of(), "help", "dlq", "replay").out());
        // Without a command: the overview, on stderr, as wrong usage.
        Run nothing = run(Map.of());
        assertEquals(2, nothing.exitCode());
        assertEquals(overview.out(), nothing.err());
    }

    /** A {@code serve} command running in the background, stopped by {@link #close()}. */
    private static final class Served implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CountDownLatch shutdown = new CountDownLatch(1);
        final CompletableFuture<Integer> exit;
        final String base;
        final HttpClient http = HttpClient.newHttpClient();

        Served(Map<String, String> env) throws Exception {
            exit = CompletableFuture.supplyAsync(() -> WarningsReporterMain.run(
                    new String[] {"serve", "--port", "0", "--cleanup-interval", "1h"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    env, shutdown));
            Pattern address = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)/api/");
            Await.until("the service listening", WAIT,
                    () -> address.matcher(out.toString(StandardCharsets.UTF_8)).find() || exit.isDone());
            Matcher m = address.matcher(out.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), out + " / " + err);
            base = m.group(1);
        }

        HttpResponse<String> get(String pathAndQuery) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws Exception {
            shutdown.countDown();
            assertEquals(0, exit.get());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("Stopped."));
        }
    }

    @Test
    void serveAnswersTheSameQueriesOverHttpUntilShutDown() throws Exception {
        try (Served served = new Served(environment)) {
            HttpResponse<String> byStatement = served.get("/api/warnings?statement="
                    + URLEncoder.encode("SHOW LOAD WARNINGS WHERE LABEL = \"orders-9\"", StandardCharsets.UTF_8));
            assertEquals(200, byStatement.statusCode(), byStatement.body());
            JsonNode rows = JsonViews.MAPPER.readTree(byStatement.body());
            assertEquals(2, rows.size());
            assertEquals(101, rows.get(0).get("JobId").asLong());

            HttpResponse<String> byJob = served.get("/api/warnings?job_id=100");
            assertEquals(3, JsonViews.MAPPER.readTree(byJob.body()).size());

            HttpResponse<String> loads = served.get("/api/loads?label=orders-9");
            assertEquals(2, JsonViews.MAPPER.readTree(loads.body()).size());

            HttpResponse<String> bad = served.get("/api/warnings?statement="
                    + URLEncoder.encode("SHOW LOAD WARNINGS LIMIT x", StandardCharsets.UTF_8));
            assertEquals(400, bad.statusCode());
            assertEquals(26, JsonViews.MAPPER.readTree(bad.body()).get("position").asInt());

            HttpResponse<String> post = served.http.send(HttpRequest.newBuilder(URI.create(served.base + "/api/warnings"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void serveCapsTheLimitAndAnswersBadInputBrieflyNamingTheParameter() throws Exception {
        try (Served served = new Served(environment)) {
            assertEquals(200, served.get("/api/loads?limit=1000").statusCode());
            assertError(served.get("/api/loads?limit=1001"), "limit must be between 1 and 1000, got 1001");
            assertError(served.get("/api/warnings?label=orders-9&limit=0"), "limit must be between 1 and 1000, got 0");
            assertError(served.get("/api/warnings?statement="
                    + URLEncoder.encode("SHOW LOAD WARNINGS LIMIT 5000", StandardCharsets.UTF_8)),
                    "LIMIT must be between 1 and 1000 over HTTP, got 5000");

            assertError(served.get("/api/warnings?job_id=abc"), "job_id must be a whole number, got 'abc'");
            assertError(served.get("/api/loads?limit=99999999999999999999"),
                    "limit must be a whole number, got '99999999999999999999'");

            String huge = "7".repeat(100_000);
            for (String query : List.of("/api/warnings?job_id=" + huge, "/api/loads?label=" + huge,
                    "/api/warnings?statement=" + URLEncoder.encode("SHOW LOAD WARNINGS WHERE LABEL = " + huge,
                            StandardCharsets.UTF_8))) {
                HttpResponse<String> response = served.get(query);
                assertEquals(400, response.statusCode());
                assertTrue(response.body().length() < 200, "a short answer: " + response.body().length() + " chars");
                assertTrue(response.body().contains("characters long; at most 1024"), response.body());
            }
            HttpResponse<String> longToken = served.get("/api/warnings?statement=" + URLEncoder.encode(
                    "SHOW LOAD WARNINGS WHERE LABEL = " + "x".repeat(900), StandardCharsets.UTF_8));
            assertEquals(400, longToken.statusCode());
            assertTrue(longToken.body().length() < 200, longToken.body());
            assertTrue(longToken.body().contains("found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"), longToken.body());
        }
    }

    private static void assertError(HttpResponse<String> response, String message) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(message, JsonViews.MAPPER.readTree(response.body()).get("error").asText());
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamedInsteadOfAnsweringNoRows() throws Exception {
        Map<String, String> env = new HashMap<>(environment);
        env.put("LOAD_ERRORS_CLUSTER_ID", "no_such_cluster");
        for (List<String> args : List.of(List.of("show", "SHOW LOAD WARNINGS"), List.of("loads"), List.of("cleanup"))) {
            Run result = run(env, args.toArray(String[]::new));
            assertEquals(1, result.exitCode(), args + ": " + result.out() + result.err());
            assertTrue(result.err().contains("the warnings store database 'no_such_cluster' does not exist"),
                    result.err());
            assertTrue(result.err().contains("--cluster-id"), result.err());
            assertEquals("", result.out(), args.toString());
        }
        try (Served served = new Served(env)) {
            for (String query : List.of("/api/warnings?label=orders-9", "/api/loads")) {
                HttpResponse<String> response = served.get(query);
                assertEquals(404, response.statusCode(), response.body());
                assertEquals("the warnings store database 'no_such_cluster' does not exist (or its user may not see it)",
                        JsonViews.MAPPER.readTree(response.body()).get("error").asText());
            }
        }
    }
}
