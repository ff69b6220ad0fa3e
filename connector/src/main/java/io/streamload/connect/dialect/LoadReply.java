package io.streamload.connect.dialect;

/**
 * A Stream Load reply body, read by the dialect into target-independent fields.
 *
 * @param status the status, mapped
 * @param rawStatus the status as the target spelled it, for messages
 * @param message the target's message ("OK" on success)
 * @param existingJobStatus with {@link LoadStatus#LABEL_ALREADY_EXISTS}: {@code FINISHED} or {@code RUNNING}; else null
 * @param txnId the transaction id, -1 if none
 * @param loadedRows rows loaded
 * @param filteredRows rows rejected for data quality
 * @param unselectedRows rows dropped by a {@code where} filter
 * @param loadBytes bytes the target read
 * @param errorUrl where the rejected rows are listed, or null
 * @param label the label the target reports: the load's own, or the one it gave a merged transaction; null if none
 * @param merged true when the target says it merged the load with others into a transaction of its
 *     own (StarRocks' merge commit answer carries {@code RequestId}, Doris' {@code GroupCommit: true})
 */
public record LoadReply(LoadStatus status, String rawStatus, String message, String existingJobStatus, long txnId,
                        long loadedRows, long filteredRows, long unselectedRows, long loadBytes, String errorUrl,
                        String label, boolean merged) {

    /** A reply whose label is not read, of a load the target did not merge. */
    public LoadReply(LoadStatus status, String rawStatus, String message, String existingJobStatus, long txnId,
                     long loadedRows, long filteredRows, long unselectedRows, long loadBytes, String errorUrl) {
        this(status, rawStatus, message, existingJobStatus, txnId, loadedRows, filteredRows, unselectedRows, loadBytes,
                errorUrl, null, false);
    }

    /** True when the message contains {@code text}, ignoring case. */
    public boolean messageContains(String text) {
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
    }
}
