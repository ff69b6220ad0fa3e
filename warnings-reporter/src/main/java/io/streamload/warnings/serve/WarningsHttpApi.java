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
import io.streamload.warnings.query.ShowLoadWarnings;
import io.streamload.warnings.query.ShowLoadWarningsParser;
import io.streamload.warnings.query.StatementParseException;
import io.streamload.warnings.query.WarningsReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's queries as read-only JSON over HTTP, for dashboards and scripts:
 * <ul>
 *   <li>{@code GET /api/warnings?statement=SHOW LOAD WARNINGS ...} or
 *       {@code ?label=x | ?job_id=n} with optional {@code db} and {@code limit};</li>
 *   <li>{@code GET /api/loads?label=&table=&limit=};</li>
 *   <li>{@code GET /api/health}.</li>
 * </ul>
 * Only GET is served; there is nothing to write. It binds to loopback unless told otherwise,
 * because rejected rows can hold customer data. A request asks for at most {@value #MAX_LIMIT}
 * rows, each parameter is at most {@value #MAX_PARAMETER_CHARS} characters, and an error quotes
 * at most {@value #EXCERPT_CHARS} characters of what was wrong: the answers stay small whatever
 * is asked.
 */
public final class WarningsHttpApi implements AutoCloseable {
    /** Rows one request may ask for ({@code limit=}, or LIMIT in a statement); more is refused, not cut. */
    public static final int MAX_LIMIT = 1000;
    /** Characters of one parameter's value; a statement with the longest label needs a third of it. */
    public static final int MAX_PARAMETER_CHARS = 1024;
    /** Characters of a bad value quoted back in an error. */
    static final int EXCERPT_CHARS = 40;

    private static final Logger LOG = LoggerFactory.getLogger(WarningsHttpApi.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final StoreConnections connections;
    private final WarningsReader reader;

    private WarningsHttpApi(HttpServer server, StoreConnections connections, StoreLocation location) {
        this.server = server;
        this.connections = connections;
        this.reader = new WarningsReader(location);
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "warnings-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/api/warnings", exchange -> handle(exchange, this::warnings));
        server.createContext("/api/loads", exchange -> handle(exchange, this::loads));
        server.createContext("/api/health", exchange -> handle(exchange, query -> health()));
    }

    public static WarningsHttpApi start(String bindAddress, int port, StoreConnections connections, StoreLocation location)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        WarningsHttpApi api = new WarningsHttpApi(server, connections, location);
        server.start();
        return api;
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
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "GET");
                send(exchange, 405, error("only GET is served; this API is read-only", 0));
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
        try (Connection connection = connections.open()) {
            return JsonViews.warnings(reader.show(connection, show));
        }
    }

    private JsonNode loads(Map<String, String> query) throws BadRequest, SQLException {
        LoadsQuery loads = new LoadsQuery(query.get("label"), query.get("table"), limit(query, LoadsQuery.DEFAULT_LIMIT));
        try (Connection connection = connections.open()) {
            return JsonViews.loads(reader.loads(connection, loads));
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
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
