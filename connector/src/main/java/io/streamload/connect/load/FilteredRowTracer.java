package io.streamload.connect.load;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.errors.RejectedRecords;
import io.streamload.connect.errors.Rejection;

/**
 * Traces the rows a committed load filtered out (allowed by {@code max_filter_ratio}) back to
 * their records, by reading the load's error log. Such a load cannot be cut into parts any more:
 * its good rows are already in the table. So each error line's row is compared with the rows that
 * were sent: as JSON objects (same fields and values), as the raw CSV line, or as the CSV values
 * the way the target prints them ({@code ['a', NULL]}).
 *
 * <p>A line that matches no row, or several identical rows that cannot be told apart beyond the
 * first, is reported without a record: it reaches the warnings store and the log, not the dead
 * letter queue. Only the first {@value #MAX_LINES} lines are read.
 */
public final class FilteredRowTracer {

    static final int MAX_LINES = 1000;

    private final StreamLoadClient client;
    private final Pattern columnSeparator;

    /**
     * @param columnSeparator the CSV column separator rows were written with
     */
    public FilteredRowTracer(StreamLoadClient client, String columnSeparator) {
        this.client = client;
        this.columnSeparator = Pattern.compile(Pattern.quote(columnSeparator));
    }

    /**
     * What tracing found.
     *
     * @param rejections one per filtered row, with its record where it could be traced
     * @param untraced rows that could not be traced to a record
     */
    public record Traced(List<Rejection> rejections, int untraced) {
    }

    /** Reads the error log of a committed load of {@code batch} and traces each line. */
    public Traced trace(Batch batch, LoadResponse committed) {
        String errorUrl = committed.reply() == null ? null : committed.reply().errorUrl();
        long txnId = committed.reply() == null ? -1 : committed.reply().txnId();
        List<Rejection> rejections = new ArrayList<>();
        if (errorUrl == null || errorUrl.isBlank()) {
            long filtered = committed.reply() == null ? 0 : committed.reply().filteredRows();
            rejections.add(Rejection.byTarget(null, null, -1, -1, batch.table(), batch.label(), txnId,
                    filtered + " rows were filtered and the target gave no error log", null));
            return new Traced(rejections, (int) filtered);
        }
        PrintedRows printedRows = new PrintedRows(batch, columnSeparator);
        boolean[] used = new boolean[batch.recordCount()];
        int untraced = 0;
        for (String text : client.errorLines(errorUrl, MAX_LINES)) {
            ErrorLogLine line = ErrorLogLine.parse(text);
            Integer row = take(printedRows, used, line.row());
            if (row == null) {
                untraced++;
                rejections.add(Rejection.byTarget(null, null, -1, -1, batch.table(), batch.label(), txnId,
                        line.reason(), line.row()));
            } else {
                rejections.add(Rejection.byTarget(batch.rows().record(row), batch.rows().partition(row).topic(),
                        batch.rows().partition(row).partition(), batch.rows().offset(row), batch.table(),
                        batch.label(), txnId, line.reason(), RejectedRecords.excerpt(batch.rowBytes(row))));
            }
        }
        return new Traced(rejections, untraced);
    }

    /** The first row not traced yet that prints as {@code printed}. */
    private static Integer take(PrintedRows printedRows, boolean[] used, String printed) {
        for (String key : printedRows.keysMatching(printed)) {
            for (int row : printedRows.rowsPrinting(key)) {
                if (!used[row]) {
                    used[row] = true;
                    return row;
                }
            }
        }
        return null;
    }
}
