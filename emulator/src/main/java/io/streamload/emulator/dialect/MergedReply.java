package io.streamload.emulator.dialect;

import io.streamload.emulator.load.ErrorCode;

/**
 * The facts the answer to one merged load carries (StarRocks merge commit, Doris group commit):
 * the transaction the server merged it into and that transaction's label, not the client's.
 *
 * @param txnId the merged transaction, -1 when the load joined none
 * @param label the merged transaction's label, made by the server
 * @param requestId the client's label (StarRocks keeps it as {@code RequestId}), or a generated id
 * @param status Success, Publish Timeout or Fail
 * @param code why it failed (Doris prefixes the message with it), null on success
 * @param waitMs how long the load waited for its window to commit
 */
public record MergedReply(long txnId, String label, String requestId, String status, String message, ErrorCode code,
                          long totalRows, long loadedRows, long filteredRows, long unselectedRows, long loadBytes,
                          long loadTimeMs, long waitMs, String errorUrl) {

    public static MergedReply fail(long txnId, String label, String requestId, ErrorCode code, String message,
                                   long loadBytes, long loadTimeMs) {
        return new MergedReply(txnId, label, requestId, "Fail", message, code, 0, 0, 0, 0, loadBytes, loadTimeMs, 0,
                null);
    }
}
