package io.streamload.warnings.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamload.warnings.ColumnLimits;
import io.streamload.warnings.MissingDatabaseException;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.StoreLocation;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.query.LoadsQuery;
import io.streamload.warnings.query.RowFilter;
import io.streamload.warnings.query.ShowLoadWarnings;
import io.streamload.warnings.query.ShowLoadWarningsParser;
import io.streamload.warnings.query.StatementParseException;
import io.streamload.warnings.query.TimelineQuery;
import io.streamload.warnings.query.WarningsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's queries as read-only JSON over HTTP, for dashboards and scripts, and a page that
 * shows them in a browser:
 * <ul>
 *   <li>{@code GET /api/warnings?statement=SHOW LOAD WARNINGS ...} or
 *       {@code ?label=x | ?job_id=n} with optional {@code db} and {@code limit}, and the filters
 *       {@code table}, {@code reason} (contained in the reason, any case), {@code since} and
 *       {@code until} (ISO-8601 times, {@code since} inclusive);</li>
 *   <li>{@code GET /api/loads?label=&table=&since=&until=&limit=};</li>
 *   <li>{@code GET /api/timeline?table=&since=&until=&buckets=&limit=}: rows loaded, filtered and
 *       rejected per table over time;</li>
 *   <li>{@code GET /api/health};</li>
 *   <li>{@code GET /}: the page ({@link #PAGE_FILES}), which reads the above.</li>
 * </ul>
 * Only GET is served; there is nothing to write. It binds to loopback unless told otherwise,
 * because rejected rows can hold customer data, and while bound to loopback it answers only
 * requests addressed to a loopback name, so that a web site cannot read it through a name of its
 * own that resolves to 127.0.0.1 (DNS rebinding). A request asks for at most {@value #MAX_LIMIT}
 * rows, each parameter is at most {@value #MAX_PARAMETER_CHARS} characters, and an error quotes
 * at most {@value #EXCERPT_CHARS} characters of what was wrong: the answers stay small whatever
 * is asked. The page runs under a Content-Security-Policy that allows only its own script and
 * style, and shows every stored text as text.
 */
public final class WarningsHttpApi implements AutoCloseable {
    /** Rows one request may ask for ({@code limit=}, or LIMIT in a statement); more is refused, not cut. */
    public static final int MAX_LIMIT = 1000;
    /** Characters of one parameter's value; a statement with the longest label needs a third of it. */
    public static final int MAX_PARAMETER_CHARS = 1024;
    /** Characters of a bad value quoted back in an error. */
    static final int EXCERPT_CHARS = 40;
    /** Spans of one timeline; a chart has no use for more. */
    public static final int MAX_BUCKETS = 500;
    /** Spans of a timeline unless {@code buckets} says otherwise. */
    static final int DEFAULT_BUCKETS = 48;
    /** The range of a timeline without {@code since}: the last day before {@code until}. */
    static final Duration DEFAULT_TIMELINE_RANGE = Duration.ofDays(1);
    /** The page's files, by path; nothing else is served outside {@code /api/}. */
    static final Map<String, String> PAGE_FILES = Map.of(
            "/", "index.html",
            "/page.js", "page.js",
            "/page.css", "page.css");
    /**
     * The page's own script and style, its own API, nothing else: no inline script, no other
     * origin, no frames, no forms sent anywhere.
     */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(WarningsHttpApi.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final StoreConnections connections;
    private final WarningsReader reader;
    private final boolean loopbackOnly;
    private final Map<String, Page> pages;
    private final Clock clock;

    /** One file of the page, read once at start. */
    private record Page(String contentType, byte[] bytes) {
    }

    private WarningsHttpApi(HttpServer server, StoreConnections connections, StoreLocation location, Clock clock)
            throws IOException {
        this.server = server;
        this.connections = connections;
        this.reader = new WarningsReader(location);
        this.loopbackOnly = server.getAddress().getAddress().isLoopbackAddress();
        this.pages = readPages();
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "warnings-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/api/warnings", exchange -> handle(exchange, this::warnings));
        server.createContext("/api/loads", exchange -> handle(exchange, this::loads));
        server.createContext("/api/timeline", exchange -> handle(exchange, this::timeline));
        server.createContext("/api/health", exchange -> handle(exchange, query -> health()));
        server.createContext("/", this::page);
    }

    public static WarningsHttpApi start(String bindAddress, int port, StoreConnections connections, StoreLocation location)
            throws IOException {
        return start(bindAddress, port, connections, location, Clock.systemUTC());
    }

    /** With the clock that says "now" for a timeline without {@code until}: for tests. */
    static WarningsHttpApi start(String bindAddress, int port, StoreConnections connections, StoreLocation location,
                                 Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        WarningsHttpApi api = new WarningsHttpApi(server, connections, location, clock);
        server.start();
        return api;
    }

    private static Map<String, Page> readPages() throws IOException {
        Map<String, Page> pages = new HashMap<>();
        for (Map.Entry<String, String> file : PAGE_FILES.entrySet()) {
            String name = file.getValue();
            try (InputStream in = WarningsHttpApi.class.getResourceAsStream("page/" + name)) {
                if (in == null) {
                    throw new IOException("the page's file " + name + " is missing from the jar");
                }
                String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
                pages.put(file.getKey(), new Page(type + "; charset=utf-8", in.readAllBytes()));
            }
        }
        return pages;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private interface Handler {
        JsonNode answer(Map<String, String> query) throws BadRequest, SQLException;
    }

    private static final class BadRequest extends Exception {
        private final int position;

        BadRequest(String message, int position) {
            super(message);
            this.position = position;
        }
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            try {
                send(exchange, 200, handler.answer(parameters(exchange.getRequestURI().getRawQuery())));
            } catch (BadRequest e) {
                send(exchange, 400, error(e.getMessage(), e.position));
            } catch (MissingDatabaseException e) {
                send(exchange, 404, error(e.getMessage(), 0));
            } catch (SQLException e) {
                LOG.warn("Warnings store query failed: {}", e.getMessage());
                send(exchange, 503, error("the warnings store is unavailable: " + e.getMessage(), 0));
            } catch (RuntimeException e) {
                LOG.warn("Warnings store request failed", e);
                send(exchange, 500, error("the request failed inside the service; its log has the details", 0));
            }
        }
    }

    /** The page's files; any other path outside the API's is not found. */
    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (refused(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Page page = pages.get(path);
            if (page == null && "/index.html".equals(path)) {
                page = pages.get("/");
            }
            if (page == null) {
                send(exchange, 404, error(path.startsWith("/api/") ? "no such API; see /api/health, /api/warnings, "
                        + "/api/loads and /api/timeline" : "not found; the page is at /", 0));
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, page.bytes().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page.bytes());
            }
        }
    }

    /** Answers and returns true for what is not served: anything but GET, and a Host not on loopback while bound there. */
    private boolean refused(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "GET");
            send(exchange, 405, error("only GET is served; this API is read-only", 0));
            return true;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (loopbackOnly && host != null && !isLoopbackName(host)) {
            send(exchange, 403, error("bound to loopback, this service answers requests addressed to localhost, "
                    + "127.0.0.1 or [::1] only, not to '" + excerpt(host) + "'; to be reached under other names, "
                    + "start it with --bind", 0));
            return true;
        }
        return false;
    }

    /** Whether a Host header names this machine's loopback: localhost, 127.x.x.x or [::1], with any port. */
    static boolean isLoopbackName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1") && portOnly(host.substring(end + 1));
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (!portOnly(host.substring(colon))) {
                return false;
            }
            host = host.substring(0, colon);
        }
        return host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean portOnly(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }

    private JsonNode warnings(Map<String, String> query) throws BadRequest, SQLException {
        ShowLoadWarnings show;
        if (query.containsKey("statement")) {
            try {
                show = ShowLoadWarningsParser.parse(query.get("statement"));
            } catch (StatementParseException e) {
                throw new BadRequest(e.getMessage(), e.position());
            }
            if (show.limit() > MAX_LIMIT) {
                throw new BadRequest("LIMIT must be between 1 and " + MAX_LIMIT + " over HTTP, got " + show.limit(), 0);
            }
        } else {
            try {
                show = new ShowLoadWarnings(query.get("db"), query.get("label"),
                        query.containsKey("job_id") ? wholeNumber(query, "job_id") : null,
                        limit(query, ShowLoadWarnings.DEFAULT_LIMIT));
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage(), 0);
            }
        }
        RowFilter filter;
        try {
            filter = new RowFilter(query.get("table"), query.get("reason"), time(query, "since"), time(query, "until"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage(), 0);
        }
        try (Connection connection = connections.open()) {
            return JsonViews.warnings(reader.show(connection, show, filter));
        }
    }

    private JsonNode loads(Map<String, String> query) throws BadRequest, SQLException {
        LoadsQuery loads;
        try {
            loads = new LoadsQuery(query.get("label"), query.get("table"), time(query, "since"), time(query, "until"),
                    limit(query, LoadsQuery.DEFAULT_LIMIT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage(), 0);
        }
        try (Connection connection = connections.open()) {
            return JsonViews.loads(reader.loads(connection, loads));
        }
    }

    private JsonNode timeline(Map<String, String> query) throws BadRequest, SQLException {
        Instant until = query.containsKey("until") ? time(query, "until") : clock.instant();
        Instant since = query.containsKey("since") ? time(query, "since") : until.minus(DEFAULT_TIMELINE_RANGE);
        int buckets = DEFAULT_BUCKETS;
        if (query.containsKey("buckets")) {
            long asked = wholeNumber(query, "buckets");
            if (asked < 1 || asked > MAX_BUCKETS) {
                throw new BadRequest("buckets must be between 1 and " + MAX_BUCKETS + ", got " + asked, 0);
            }
            buckets = (int) asked;
        }
        TimelineQuery timeline;
        try {
            timeline = new TimelineQuery(query.get("table"), since, until, buckets, limit(query, MAX_LIMIT));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage(), 0);
        }
        try (Connection connection = connections.open()) {
            return JsonViews.timeline(reader.timeline(connection, timeline));
        }
    }

    /** An ISO-8601 time ({@code 2025-01-31T12:00:00Z}, or with an offset), or null when absent. */
    private static Instant time(Map<String, String> query, String name) throws BadRequest {
        String text = query.get(name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequest(name + " must be an ISO-8601 time such as 2025-01-31T12:00:00Z, got '"
                    + excerpt(text) + "'", 0);
        }
    }

    /** The {@code limit} parameter, 1 to {@link #MAX_LIMIT}. */
    private static int limit(Map<String, String> query, int defaultValue) throws BadRequest {
        if (!query.containsKey("limit")) {
            return defaultValue;
        }
        long limit = wholeNumber(query, "limit");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit, 0);
        }
        return (int) limit;
    }

    private static long wholeNumber(Map<String, String> query, String name) throws BadRequest {
        String text = query.get(name);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number, got '" + excerpt(text) + "'", 0);
        }
    }

    /** The start of a bad value, for error messages: never more than a few words of it go back. */
    private static String excerpt(String text) {
        return ColumnLimits.cut(text, EXCERPT_CHARS);
    }

    private static JsonNode health() {
        return JsonViews.MAPPER.createObjectNode().put("status", "ok");
    }

    private static ObjectNode error(String message, int position) {
        ObjectNode node = JsonViews.MAPPER.createObjectNode().put("error", message);
        if (position > 0) {
            node.put("position", position);
        }
        return node;
    }

    private static Map<String, String> parameters(String rawQuery) throws BadRequest {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("the query string is not valid percent-encoding near '" + excerpt(pair) + "'", 0);
            }
            if (value.length() > MAX_PARAMETER_CHARS) {
                throw new BadRequest("the parameter '" + excerpt(name) + "' is " + value.length()
                        + " characters long; at most " + MAX_PARAMETER_CHARS, 0);
            }
            if (!name.isEmpty() && !value.isEmpty()) {
                values.put(name, value);
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JsonViews.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
