package io.streamload.connect.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.streamload.connect.buffer.Batch;

/**
 * Which records of a refused load its error log names, beyond doubt. A load refused for data
 * quality ({@code too many filtered rows}) loads nothing, yet both targets still write its
 * rejected rows to the error log its {@code ErrorURL} points to: one line per row, with the
 * reason and the row as the target printed it (see {@link ErrorLogLine}). Each printed row is
 * looked up among the rows that were sent ({@link PrintedRows}).
 *
 * <p>A record is named only when no other record could be the one the line meant:
 * <ul>
 *   <li>a line whose row matches no sent row, or that shows no row (malformed JSON, a line the
 *   target cut short, Doris' {@code TOO MUCH ERROR!} line), names nothing;</li>
 *   <li>{@code k} lines printing the same row name the rows that print so only when there are
 *   exactly {@code k} of them: identical rows get the same verdict, and each rejected row has one
 *   line, so all of them are rejected. Fewer lines than such rows (a log cut at its line limit)
 *   cannot say which of them, and name none.</li>
 * </ul>
 * The log is cut after a few dozen lines (StarRocks 51, Doris 50; see {@code emulator/README.md}),
 * so it may name only some of the rejected records: the others are found by loading the rest.
 */
public final class ErrorLogNames {

    /** Lines read from one error log; both targets write far fewer. */
    static final int MAX_LINES = 1000;

    private final StreamLoadClient client;
    private final Pattern columnSeparator;

    /**
     * @param columnSeparator the CSV column separator rows were written with
     */
    public ErrorLogNames(StreamLoadClient client, String columnSeparator) {
        this.client = client;
        this.columnSeparator = Pattern.compile(Pattern.quote(columnSeparator));
    }

    /**
     * What an error log named.
     *
     * @param reasons the reason of each named row (by row of the batch), in batch order
     * @param unnamedLines lines that named no record beyond doubt
     */
    public record Named(SortedMap<Integer, String> reasons, int unnamedLines) {

        static final Named NOTHING = new Named(Collections.emptySortedMap(), 0);

        public boolean isEmpty() {
            return reasons.isEmpty();
        }
    }

    /** Reads the error log of the refused load of {@code batch} and names the records it shows. */
    public Named read(Batch batch, LoadResponse refused) {
        String errorUrl = refused.reply() == null ? null : refused.reply().errorUrl();
        if (errorUrl == null || errorUrl.isBlank()) {
            return Named.NOTHING;
        }
        List<String> lines = client.errorLines(errorUrl, MAX_LINES);
        PrintedRows printedRows = new PrintedRows(batch, columnSeparator);
        Map<String, List<String>> reasonsByKey = new LinkedHashMap<>();
        int unnamed = 0;
        for (String text : lines) {
            ErrorLogLine line = ErrorLogLine.parse(text);
            String key = printedRows.keyOf(line.row());
            if (key == null) {
                unnamed++;
            } else {
                reasonsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(line.reason());
            }
        }
        SortedMap<Integer, String> named = new TreeMap<>();
        Set<Integer> claimed = new HashSet<>();
        for (Map.Entry<String, List<String>> entry : reasonsByKey.entrySet()) {
            List<Integer> rows = printedRows.rowsPrinting(entry.getKey());
            List<String> reasons = entry.getValue();
            // A row can print several ways (raw and as JSON): lines that reach it twice are in doubt.
            if (rows.size() != reasons.size() || rows.stream().anyMatch(claimed::contains)) {
                unnamed += reasons.size();
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                named.put(rows.get(i), reasons.get(i));
                claimed.add(rows.get(i));
            }
        }
        return new Named(Collections.unmodifiableSortedMap(named), unnamed);
    }
}
