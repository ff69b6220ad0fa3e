package io.streamload.warnings.dlq;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the load coordinates the connector writes into the exception message of each rejected
 * record ({@code ... label=<label> txn_id=<n> db=<db> table=<table> ...}), so that a DLQ record can
 * be put back into load_errors under the same label. Any of them may be absent.
 */
record RejectionReason(String label, Long jobId, String database, String table) {
    private static final Pattern LABEL = Pattern.compile("\\blabel=([^\\s,;]+)");
    private static final Pattern JOB_ID = Pattern.compile("\\b(?:txn_id|job_id)=(-?\\d+)");
    private static final Pattern DATABASE = Pattern.compile("\\bdb=([^\\s,;.]+)");
    private static final Pattern TABLE = Pattern.compile("\\btable=([^\\s,;]+)");

    static RejectionReason parse(String message) {
        if (message == null) {
            return new RejectionReason(null, null, null, null);
        }
        String table = find(TABLE, message).orElse(null);
        String database = find(DATABASE, message).orElse(null);
        if (table != null && table.contains(".") && database == null) {
            database = table.substring(0, table.indexOf('.'));
            table = table.substring(table.indexOf('.') + 1);
        }
        return new RejectionReason(find(LABEL, message).orElse(null),
                find(JOB_ID, message).map(Long::valueOf).orElse(null), database, table);
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
