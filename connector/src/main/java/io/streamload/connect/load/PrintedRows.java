package io.streamload.connect.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.connect.buffer.Batch;

/**
 * The rows of a batch, found by the way a target prints a rejected row in its error log: as the
 * raw line (CSV, or JSON text echoed as sent), as the same JSON object (same fields and values,
 * whatever the spacing or key order), or as CSV values the way StarRocks renders them
 * ({@code ['a', NULL]}).
 *
 * <p>Several rows may print the same way (identical rows): {@link #rowsPrinting} lists them all,
 * in batch order, so callers decide how to tell them apart.
 */
final class PrintedRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pattern columnSeparator;
    private final Map<String, List<Integer>> rowsByKey = new HashMap<>();

    PrintedRows(Batch batch, Pattern columnSeparator) {
        this.columnSeparator = columnSeparator;
        for (int row = 0; row < batch.recordCount(); row++) {
            String text = new String(batch.rowBytes(row), StandardCharsets.UTF_8);
            for (String key : keysOf(text, true)) {
                List<Integer> rows = rowsByKey.computeIfAbsent(key, k -> new ArrayList<>());
                if (rows.isEmpty() || rows.get(rows.size() - 1) != row) {
                    rows.add(row);
                }
            }
        }
    }

    /**
     * The first way {@code printed} (a row as an error log line shows it) matches sent rows, or null
     * when it matches none (or the target printed no row).
     */
    String keyOf(String printed) {
        List<String> keys = keysMatching(printed);
        return keys.isEmpty() ? null : keys.get(0);
    }

    /** Every way {@code printed} matches sent rows, the closest first (the raw text, then the JSON value). */
    List<String> keysMatching(String printed) {
        if (printed.isEmpty()) {
            return List.of();
        }
        List<String> matching = new ArrayList<>(2);
        for (String key : keysOf(printed, false)) {
            if (rowsByKey.containsKey(key)) {
                matching.add(key);
            }
        }
        return matching;
    }

    /** The rows that print as {@code key} (from {@link #keyOf}), in batch order. */
    List<Integer> rowsPrinting(String key) {
        return rowsByKey.getOrDefault(key, List.of());
    }

    private List<String> keysOf(String text, boolean sent) {
        List<String> keys = new ArrayList<>(3);
        keys.add("raw:" + text);
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(trimmed);
                keys.add("json:" + node);
            } catch (JsonProcessingException e) {
                // Not JSON after all: the raw form is all there is.
            }
        } else if (sent) {
            keys.add("raw:" + renderCsv(text));
        }
        return keys;
    }

    /** A CSV line the way StarRocks prints a rejected row's values. */
    private String renderCsv(String line) {
        StringJoiner printed = new StringJoiner(", ", "[", "]");
        for (String value : columnSeparator.split(line, -1)) {
            printed.add("\\N".equals(value) ? "NULL" : "'" + value + "'");
        }
        return printed.toString();
    }
}
