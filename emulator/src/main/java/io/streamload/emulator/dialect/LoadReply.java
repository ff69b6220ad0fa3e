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

    public static LoadReply fail(long txnId, String label, ErrorCode code, String message) {
        return new LoadReply(txnId, label, "Fail", null, message, code, 0, 0, 0, 0, 0, 0, false, null);
    }
}
