package io.streamload.emulator.dialect;

import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.TableModel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Doris: TwoPhaseCommit as a string, a Comment field, StreamLoadPutTimeMs, messages prefixed with a
 * code, lower-case FE bodies, PRECOMMITTED for prepared loads, and credentials in the redirect.
 */
public final class DorisDialect implements ServerDialect {
    @Override
    public String name() {
        return "doris";
    }

    @Override
    public String loadResponse(LoadReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Comment", "");
        m.put("TwoPhaseCommit", Boolean.toString(r.twoPhaseCommit()));
        m.put("Status", r.status());
        if (r.existingJobStatus() != null) {
            m.put("ExistingJobStatus", r.existingJobStatus());
        }
        m.put("Message", r.code() == null ? r.message() : "[" + r.code() + "]" + r.message());
        r.putCountersAndTimes(m, "StreamLoadPutTimeMs");
        return Json.write(m);
    }

    @Override
    public String feFailure(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "FAILED");
        m.put("msg", message);
        return Json.write(m);
    }

    @Override
    public String loadStateResponse(String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msg", "success");
        m.put("code", 0);
        m.put("data", state);
        m.put("count", 0);
        return Json.write(m);
    }

    @Override
    public String stateName(LoadState state) {
        if (state == null) {
            return "UNKNOWN";
        }
        return state == LoadState.PREPARED ? "PRECOMMITTED" : state.name();
    }

    @Override
    public String existingJobStatus(LoadState state) {
        if (state.finished()) {
            return "FINISHED";
        }
        return state == LoadState.PREPARED ? "PRECOMMITTED" : "RUNNING";
    }

    @Override
    public String redirectLocation(String beBaseUrl, String pathAndQuery, String user, String password) {
        int scheme = beBaseUrl.indexOf("://") + 3;
        String userInfo = percentEncode(user) + ":" + percentEncode(password) + "@";
        return beBaseUrl.substring(0, scheme) + userInfo + beBaseUrl.substring(scheme) + pathAndQuery;
    }

    /** URI percent-encoding: URLEncoder's form encoding turns a space into '+', which a URI keeps as '+'. */
    private static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String errorLogLine(String reason, String row) {
        return "Reason: " + reason + ". src line [" + (row == null ? "" : row) + "]; ";
    }

    @Override
    public boolean supportsTwoPhaseStreamLoad() {
        return true;
    }

    /** Doris' {@code TableSchemaAction}: {@code data} holds the columns and {@code keysType}. */
    @Override
    public String tableSchemaResponse(TableDefinition table) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("properties", schemaProperties(table));
        data.put("keysType", table.model() == TableModel.PRIMARY_KEY ? "UNIQUE_KEYS" : "DUP_KEYS");
        data.put("status", 200);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msg", "success");
        m.put("code", 0);
        m.put("data", data);
        m.put("count", 0);
        return Json.write(m);
    }

    @Override
    public String tableDdlResponse(TableDefinition table) {
        return null;
    }

    /** Doris reads the delete sign only when {@code hidden_columns} or {@code columns} names it. */
    @Override
    public boolean readsOpFromJsonRows() {
        return false;
    }

    static java.util.List<java.util.Map<String, Object>> schemaProperties(TableDefinition table) {
        java.util.List<java.util.Map<String, Object>> properties = new java.util.ArrayList<>();
        for (io.streamload.emulator.table.Column c : table.columns()) {
            java.util.Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", c.type().kind().name());
            p.put("name", c.name());
            p.put("comment", "");
            properties.add(p);
        }
        return properties;
    }
}
