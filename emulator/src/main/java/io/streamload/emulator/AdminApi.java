package io.streamload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.dialect.Json;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.table.TableData;
import io.streamload.emulator.table.TableDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The emulator's own HTTP API under {@code /_emulator/}: tables, rows, loads, faults, listeners. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StreamLoadEmulator emulator;

    AdminApi(StreamLoadEmulator emulator) {
        this.emulator = emulator;
    }

    HttpResponse handle(HttpRequest request) throws IOException {
        String[] p = request.path().substring("/_emulator/".length()).split("/");
        String method = request.method().toUpperCase(Locale.ROOT);
        try {
            switch (p[0]) {
                case "tables":
                    return tables(method, p, request);
                case "loads":
                    return ok(loadsJson());
                case "labels":
                    if (p.length == 3) {
                        return ok(Map.of("database", p[1], "label", p[2], "state", emulator.labelState(p[1], p[2])));
                    }
                    break;
                case "faults":
                    return faults(method, request);
                case "stats":
                    return ok(stats());
                case "mysql":
                    return mysql(method, p, request);
                case "versions":
                    return versions(method, request);
                case "fe":
                    if (p.length == 2 && p[1].equals("restart") && method.equals("POST")) {
                        long downMs = parseLong(request.queryParam("down_ms"), 1000);
                        emulator.restartFeLater(Duration.ofMillis(downMs));
                        return ok(Map.of("status", "OK", "message", "FE goes down now and comes back in " + downMs + " ms"));
                    }
                    break;
                case "be":
                    if (p.length == 3 && method.equals("POST")) {
                        int i = Integer.parseInt(p[1]);
                        if (p[2].equals("stop")) {
                            emulator.stopBe(i);
                            return ok(Map.of("status", "OK"));
                        }
                        if (p[2].equals("start")) {
                            emulator.startBe(i);
                            return ok(Map.of("status", "OK"));
                        }
                    }
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return fail(400, e.getMessage());
        }
        return fail(404, "unknown admin request " + method + " " + request.path() + "; see emulator/README.md");
    }

    private HttpResponse tables(String method, String[] p, HttpRequest request) throws IOException {
        if (p.length == 1 && method.equals("GET")) {
            List<JsonNode> defs = new ArrayList<>();
            emulator.catalog().definitions().forEach(d -> defs.add(d.toJson()));
            return ok(defs);
        }
        if (p.length < 3) {
            return fail(404, "use /_emulator/tables/{db}/{table}");
        }
        String db = p[1];
        String table = p[2];
        if (p.length == 3) {
            switch (method) {
                case "PUT", "POST": {
                    String body = new String(request.body().readAllBytes(), StandardCharsets.UTF_8);
                    TableDefinition def = TableDefinition.fromJson(db, table, body);
                    emulator.createTable(def);
                    return ok(def.toJson());
                }
                case "DELETE":
                    if (!emulator.dropTable(db, table)) {
                        return fail(404, LoadService.unknownTableMessage(db, table));
                    }
                    return ok(Map.of("status", "OK"));
                case "GET": {
                    TableData t = emulator.catalog().table(db, table);
                    if (t == null) {
                        return fail(404, LoadService.unknownTableMessage(db, table));
                    }
                    return ok(t.definition().toJson());
                }
                default:
                    return fail(405, "tables take GET, PUT or DELETE");
            }
        }
        TableData t = emulator.catalog().table(db, table);
        if (t == null) {
            return fail(404, LoadService.unknownTableMessage(db, table));
        }
        if (p[3].equals("rows")) {
            return ok(t.rows());
        }
        if (p[3].equals("count")) {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("rows", t.rowCount());
            counts.put("bytes", t.loadedBytes());
            counts.put("transactions", t.transactions());
            counts.put("loadRequests", t.loadRequests());
            return ok(counts);
        }
        if (p[3].equals("schema-change") && method.equals("POST")) {
            long ms = parseLong(request.queryParam("ms"), 1000);
            emulator.sql().holdSchemaChange(db, table, Duration.ofMillis(ms));
            return ok(Map.of("status", "OK", "message", "table " + db + "." + table + " is in SCHEMA_CHANGE for " + ms + " ms"));
        }
        return fail(404, "use /_emulator/tables/{db}/{table}/rows or /count");
    }

    /**
     * GET /_emulator/mysql: the MySQL port's statement count, the DDL it applied and its TLS sessions;
     * POST /_emulator/mysql/privileges?grant=ALTER or ?revoke=CREATE: the load user's DDL privileges.
     */
    private HttpResponse mysql(String method, String[] p, HttpRequest request) {
        if (p.length == 1 && method.equals("GET")) {
            Map<String, Object> m = new LinkedHashMap<>(emulator.sql().stats());
            m.put("port", emulator.mysqlPort());
            m.put("tls", emulator.mysqlListener().offersTls());
            m.put("tlsRequired", emulator.mysqlListener().requiresTls());
            m.put("tlsSessions", emulator.mysqlListener().tlsSessions());
            return ok(m);
        }
        if (p.length == 2 && p[1].equals("privileges") && method.equals("POST")) {
            String grant = request.queryParam("grant");
            String revoke = request.queryParam("revoke");
            if (grant != null) {
                emulator.sql().privilege(grant, true);
            }
            if (revoke != null) {
                emulator.sql().privilege(revoke, false);
            }
            return ok(emulator.sql().stats());
        }
        return fail(404, "use GET /_emulator/mysql or POST /_emulator/mysql/privileges?grant=P|revoke=P");
    }

    /**
     * {@code GET /_emulator/versions}: the limit, the compaction rate, the peak over all tablets,
     * and each table's versions now and at its peak. {@code PUT} (or {@code POST}) changes the
     * limit ({@code maxTabletVersions}) and the rate ({@code compactionVersionsPerSecond}).
     */
    private HttpResponse versions(String method, HttpRequest request) throws IOException {
        if (method.equals("PUT") || method.equals("POST")) {
            JsonNode n = JSON.readTree(request.body());
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("send {\"maxTabletVersions\": N, \"compactionVersionsPerSecond\": R}");
            }
            n.fieldNames().forEachRemaining(f -> {
                if (!f.equals("maxTabletVersions") && !f.equals("compactionVersionsPerSecond")) {
                    throw new IllegalArgumentException("unknown field '" + f
                            + "'; known: maxTabletVersions, compactionVersionsPerSecond");
                }
            });
            int limit = -1;
            double rate = -1;
            if (n.has("maxTabletVersions")) {
                JsonNode v = n.get("maxTabletVersions");
                if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
                    throw new IllegalArgumentException("maxTabletVersions must be a whole number >= 1, not " + v);
                }
                limit = v.asInt();
            }
            if (n.has("compactionVersionsPerSecond")) {
                JsonNode v = n.get("compactionVersionsPerSecond");
                if (!v.isNumber() || v.asDouble() < 0 || Double.isInfinite(v.asDouble())) {
                    throw new IllegalArgumentException("compactionVersionsPerSecond must be a number >= 0, not " + v);
                }
                rate = v.asDouble();
            }
            emulator.versionSettings(limit, rate);
        } else if (!method.equals("GET")) {
            return fail(405, "versions take GET or PUT");
        }
        TabletVersions versions = emulator.versions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxTabletVersions", versions.limit());
        m.put("compactionVersionsPerSecond", versions.compactionPerSecond());
        m.put("peak", versions.peak());
        m.put("refused", versions.refused());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TabletVersions.TabletView t : versions.tablets()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("database", t.database());
            tm.put("table", t.table());
            tm.put("tabletId", t.tabletId());
            tm.put("versions", t.versions());
            tm.put("peak", t.peak());
            tm.put("refused", t.refused());
            tables.add(tm);
        }
        m.put("tables", tables);
        return ok(m);
    }

    private Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", emulator.requestCount());
        m.put("feBodyBytesAfterAnswer", emulator.feBodyBytesAfterAnswer());
        m.put("feKeepsReadingAfterAnswer", emulator.feKeepsReadingAfterAnswer());
        List<Map<String, Object>> fes = new ArrayList<>();
        for (int i = 0; i < emulator.frontendCount(); i++) {
            Map<String, Object> fe = new LinkedHashMap<>();
            fe.put("fe", i);
            fe.put("url", emulator.feUrl(i));
            fe.put("bodyBytesAfterAnswer", emulator.feBodyBytesAfterAnswer(i));
            fes.add(fe);
        }
        m.put("fes", fes);
        return m;
    }

    private List<Map<String, Object>> loadsJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoadRecord r : emulator.catalog().loads()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("txnId", r.txnId());
            m.put("label", r.label());
            m.put("database", r.database());
            m.put("table", r.table());
            m.put("kind", r.kind().name());
            m.put("state", r.state().name());
            m.put("totalRows", r.totalRows());
            m.put("loadedRows", r.loadedRows());
            m.put("filteredRows", r.filteredRows());
            m.put("loadBytes", r.loadBytes());
            m.put("message", r.message());
            m.put("errorUrl", r.errorUrl());
            out.add(m);
        }
        return out;
    }

    private HttpResponse faults(String method, HttpRequest request) throws IOException {
        switch (method) {
            case "GET": {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Fault f : emulator.faults().pending()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("kind", f.kind().name());
                    m.put("remaining", f.remaining());
                    m.put("path", f.pathFilter());
                    m.put("table", f.tableFilter());
                    m.put("label", f.labelFilter());
                    m.put("delay_ms", f.delay().toMillis());
                    out.add(m);
                }
                return ok(out);
            }
            case "POST", "PUT": {
                JsonNode n = JSON.readTree(request.body());
                if (n == null || !n.hasNonNull("kind")) {
                    throw new IllegalArgumentException("a fault needs 'kind', one of " + List.of(FaultKind.values()));
                }
                FaultKind kind;
                try {
                    kind = FaultKind.valueOf(n.get("kind").asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown fault kind '" + n.get("kind").asText() + "', use one of "
                            + List.of(FaultKind.values()));
                }
                Fault f = Fault.of(kind).times(n.path("times").asInt(1));
                if (n.hasNonNull("path")) {
                    f.path(n.get("path").asText());
                }
                if (n.hasNonNull("table")) {
                    f.table(n.get("table").asText());
                }
                if (n.hasNonNull("label")) {
                    f.label(n.get("label").asText());
                }
                if (n.hasNonNull("delay_ms")) {
                    f.delay(Duration.ofMillis(n.get("delay_ms").asLong()));
                }
                emulator.inject(f);
                return ok(Map.of("status", "OK", "fault", f.toString()));
            }
            case "DELETE":
                emulator.clearFaults();
                return ok(Map.of("status", "OK"));
            default:
                return fail(405, "faults take GET, POST or DELETE");
        }
    }

    private static long parseLong(String s, long dflt) {
        if (s == null) {
            return dflt;
        }
        return Long.parseLong(s.trim());
    }

    private static HttpResponse ok(Object body) {
        return HttpResponse.json(200, Json.write(body));
    }

    private static HttpResponse fail(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "Fail");
        m.put("Message", message);
        return HttpResponse.json(status, Json.write(m));
    }
}
