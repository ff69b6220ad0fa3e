package io.streamload.warnings.dlq;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the load coordinates the connector writes into the exception message of each rejected
 * record, so that a DLQ record can be put back into load_errors under the same label. The
 * connector writes the reason first, then the coordinates, then the record's source:
 * {@code <reason>; label=<label>, txn_id=<n>, table=<db>.<table>; record <topic>-<partition>@<offset>}
 * ({@code <reason>; table=<db>.<table>; record ...} for a record that never reached a load).
 *
 * <p>The coordinates are read from that end of the message, since the reason (the target's text,
 * which may quote the row's values) can hold anything, {@code label=} and {@code table=} included.
 * A message that does not end that way is searched for {@code label=}, {@code txn_id=} (or
 * {@code job_id=}), {@code db=} and {@code table=}, the last of each counting. Any of them may be
 * absent.
 */
record RejectionReason(String label, Long jobId, String database, String table) {
    private static final Pattern COORDINATES = Pattern.compile(
            "(?:label=([^\\s,;]+), txn_id=(-?\\d+), )?table=([^\\s;]+); record [^;]*$");
    private static final Pattern LABEL = Pattern.compile("\\blabel=([^\\s,;]+)");
    private static final Pattern JOB_ID = Pattern.compile("\\b(?:txn_id|job_id)=(-?\\d+)");
    private static final Pattern DATABASE = Pattern.compile("\\bdb=([^\\s,;.]+)");
    private static final Pattern TABLE = Pattern.compile("\\btable=([^\\s,;]+)");

    static RejectionReason parse(String message) {
        if (message == null) {
            return new RejectionReason(null, null, null, null);
        }
        Matcher coordinates = COORDINATES.matcher(message);
        if (coordinates.find()) {
            return of(coordinates.group(1), coordinates.group(2), null, coordinates.group(3));
        }
        return of(last(LABEL, message).orElse(null), last(JOB_ID, message).orElse(null),
                last(DATABASE, message).orElse(null), last(TABLE, message).orElse(null));
    }

    /** A table written as {@code db.table} names its database, unless the database came on its own. */
    private static RejectionReason of(String label, String jobId, String database, String table) {
        if (table != null && table.contains(".") && database == null) {
            database = table.substring(0, table.indexOf('.'));
            table = table.substring(table.indexOf('.') + 1);
        }
        return new RejectionReason(label, jobId == null ? null : Long.valueOf(jobId), database, table);
    }

    private static Optional<String> last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return Optional.ofNullable(found);
    }
}
