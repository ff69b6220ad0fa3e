package io.streamload.emulator.dialect;

import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.TableModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** StarRocks: PascalCase fields, plain messages, credential-free redirects. */
public final class StarRocksDialect implements ServerDialect {
    @Override
    public String name() {
        return "starrocks";
    }

    @Override
    public String loadResponse(LoadReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Status", r.status());
        if (r.existingJobStatus() != null) {
            m.put("ExistingJobStatus", r.existingJobStatus());
        }
        m.put("Message", r.message());
        r.putCountersAndTimes(m, "StreamLoadPlanTimeMs");
        return Json.write(m);
    }

    @Override
    public String feFailure(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "FAILED");
        m.put("Message", "class com.starrocks.common.DdlException: " + message);
        return Json.write(m);
    }

    @Override
    public String loadStateResponse(String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "OK");
        m.put("code", "0");
        m.put("msg", "Success");
        m.put("message", "OK");
        m.put("state", state);
        return Json.write(m);
    }

    @Override
    public String stateName(LoadState state) {
        return state == null ? "UNKNOWN" : state.name();
    }

    @Override
    public String existingJobStatus(LoadState state) {
        return state.finished() ? "FINISHED" : "RUNNING";
    }

    @Override
    public String redirectLocation(String beBaseUrl, String pathAndQuery, String user, String password) {
        return beBaseUrl + pathAndQuery;
    }

    @Override
    public String errorLogLine(String reason, String row) {
        return "Error: " + reason + ". Row: " + (row == null ? "" : row);
    }

    @Override
    public boolean supportsTwoPhaseStreamLoad() {
        return false;
    }

    /** StarRocks' {@code TableSchemaAction}: columns only, no key model. */
    @Override
    public String tableSchemaResponse(TableDefinition table) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", 200);
        m.put("properties", DorisDialect.schemaProperties(table));
        return Json.write(m);
    }

    /** StarRocks' {@code GetDdlStmtAction}: {@code {"TABLE":[ddl],"PARTITION":[],"ROLLUP":[]}}. */
    @Override
    public String tableDdlResponse(TableDefinition table) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE `").append(table.table()).append("` (\n");
        for (int i = 0; i < table.columns().size(); i++) {
            io.streamload.emulator.table.Column c = table.columns().get(i);
            ddl.append("  `").append(c.name()).append("` ").append(c.type().declared().toLowerCase(java.util.Locale.ROOT))
                    .append(c.nullable() ? " NULL" : " NOT NULL").append(i + 1 < table.columns().size() ? ",\n" : "\n");
        }
        String keys = table.keys().stream().map(k -> "`" + k + "`").collect(java.util.stream.Collectors.joining(", "));
        ddl.append(") ENGINE=OLAP \n").append(table.model() == TableModel.PRIMARY_KEY ? "PRIMARY KEY(" : "DUPLICATE KEY(")
                .append(keys).append(")\nDISTRIBUTED BY HASH(").append(keys).append(");");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TABLE", java.util.List.of(ddl.toString()));
        m.put("PARTITION", java.util.List.of());
        m.put("ROLLUP", java.util.List.of());
        return Json.write(m);
    }

    @Override
    public boolean readsOpFromJsonRows() {
        return true;
    }
}
