package io.streamload.emulator.dialect;

import io.streamload.emulator.load.LoadState;
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
}
