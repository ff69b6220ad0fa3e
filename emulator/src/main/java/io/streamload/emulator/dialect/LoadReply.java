package io.streamload.emulator.dialect;

import io.streamload.emulator.load.ErrorCode;

/**
 * The facts a stream load answer carries; each dialect renders them in its own shape.
 *
 * @param status Success, Publish Timeout, Label Already Exists or Fail
 * @param existingJobStatus only with Label Already Exists
 * @param code why it failed (Doris prefixes the message with it), null on success
 */
public record LoadReply(long txnId, String label, String status, String existingJobStatus, String message,
                        ErrorCode code, long totalRows, long loadedRows, long filteredRows, long unselectedRows,
                        long loadBytes, long loadTimeMs, boolean twoPhaseCommit, String errorUrl) {

    /**
     * Adds the fields both dialects share after Message, in their order; {@code putTimeField} is
     * the one name that differs (StarRocks StreamLoadPlanTimeMs, Doris StreamLoadPutTimeMs).
     */
    void putCountersAndTimes(java.util.Map<String, Object> m, String putTimeField) {
        m.put("NumberTotalRows", totalRows);
        m.put("NumberLoadedRows", loadedRows);
        m.put("NumberFilteredRows", filteredRows);
        m.put("NumberUnselectedRows", unselectedRows);
        m.put("LoadBytes", loadBytes);
        m.put("LoadTimeMs", loadTimeMs);
        m.put("BeginTxnTimeMs", 0);
        m.put(putTimeField, 0);
        m.put("ReadDataTimeMs", 0);
        m.put("WriteDataTimeMs", loadTimeMs);
        m.put("CommitAndPublishTimeMs", 0);
        if (errorUrl != null) {
            m.put("ErrorURL", errorUrl);
        }
    }

    public static LoadReply fail(long txnId, String label, ErrorCode code, String message) {
        return new LoadReply(txnId, label, "Fail", null, message, code, 0, 0, 0, 0, 0, 0, false, null);
    }
}
