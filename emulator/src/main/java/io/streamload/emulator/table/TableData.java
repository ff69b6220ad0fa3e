package io.streamload.emulator.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.load.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The visible rows of one table. A load's rows are applied in one synchronized step, so readers see
 * all of a load or none of it. Primary key tables keep the last row per key and apply deletes in row
 * order; duplicate key tables keep every row. Counting tables keep only totals.
 */
public final class TableData {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Replaced by ALTER TABLE; columns are only ever added at the end or widened, so indexes hold. */
    private volatile TableDefinition definition;
    private final int[] keyIndexes;
    private final List<Object[]> duplicateRows = new ArrayList<>();
    private final Map<List<Object>, Object[]> primaryRows = new HashMap<>();
    private long rowCount;
    private long loadedBytes;
    private long deletedRows;
    private long transactions;
    private long loadRequests;

    public TableData(TableDefinition definition) {
        this.definition = definition;
        this.keyIndexes = definition.keys().stream().mapToInt(definition::indexOf).toArray();
    }

    public TableDefinition definition() {
        return definition;
    }

    /**
     * Takes the table's new definition after ALTER TABLE. Rows stored before keep their values;
     * added columns read as NULL. The new definition may only add columns after the existing ones
     * or change a column's type to a wider one, which leaves every stored value valid.
     */
    public synchronized void redefine(TableDefinition newDefinition) {
        TableDefinition old = definition;
        if (newDefinition.columns().size() < old.columns().size()) {
            throw new IllegalArgumentException("a table's columns are never dropped here");
        }
        for (int i = 0; i < old.columns().size(); i++) {
            if (!old.columns().get(i).name().equalsIgnoreCase(newDefinition.columns().get(i).name())) {
                throw new IllegalArgumentException("new columns go after the existing ones");
            }
        }
        definition = newDefinition;
    }

    /** A row made before columns were added, as long as the table's rows are now. */
    private Object[] padded(Object[] values) {
        int width = definition.columns().size();
        return values.length >= width ? values : Arrays.copyOf(values, width);
    }

    /** Applies one committed load atomically: one transaction, one new version of the table. */
    public synchronized void apply(List<Row> rows, long bytes) {
        apply(rows, bytes, 1);
    }

    /**
     * Applies one committed transaction that holds the rows of {@code requests} load requests (more
     * than one when the server merged them), atomically: one new version of the table.
     */
    public synchronized void apply(List<Row> rows, long bytes, int requests) {
        transactions++;
        loadRequests += requests;
        loadedBytes += bytes;
        if (definition.counting()) {
            rowCount += rows.size();
            return;
        }
        if (definition.model() == TableModel.DUPLICATE_KEY) {
            for (Row r : rows) {
                duplicateRows.add(padded(r.values().clone()));
            }
            return;
        }
        for (Row r : rows) {
            List<Object> key = key(r.values());
            if (r.delete()) {
                if (primaryRows.remove(key) != null) {
                    deletedRows++;
                }
                continue;
            }
            Object[] existing = primaryRows.get(key);
            if (existing == null) {
                primaryRows.put(key, padded(r.values().clone()));
            } else {
                Object[] merged = padded(existing.clone());
                for (int i = 0; i < r.values().length; i++) {
                    if (r.present()[i]) {
                        merged[i] = r.values()[i];
                    }
                }
                primaryRows.put(key, merged);
            }
        }
    }

    /** Counting tables: add totals without any row. */
    public synchronized void count(long rows, long bytes) {
        count(rows, bytes, 1);
    }

    /** Counting tables: one committed transaction of {@code requests} load requests. */
    public synchronized void count(long rows, long bytes, int requests) {
        transactions++;
        loadRequests += requests;
        rowCount += rows;
        loadedBytes += bytes;
    }

    private List<Object> key(Object[] values) {
        Object[] k = new Object[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            Object v = values[keyIndexes[i]];
            k[i] = v instanceof JsonNode ? v.toString() : v;
        }
        return Arrays.asList(k);
    }

    public synchronized long rowCount() {
        if (definition.counting()) {
            return rowCount;
        }
        return definition.model() == TableModel.DUPLICATE_KEY ? duplicateRows.size() : primaryRows.size();
    }

    public synchronized long loadedBytes() {
        return loadedBytes;
    }

    /** Transactions committed into the table: each made one new version of it. */
    public synchronized long transactions() {
        return transactions;
    }

    /** Load requests whose rows those transactions hold (more than the transactions when loads were merged). */
    public synchronized long loadRequests() {
        return loadRequests;
    }

    /**
     * The rows as column-name maps in a stable order: by key columns, then (duplicate key tables) in
     * the order they were loaded. JSON, ARRAY and MAP values come back as plain Java maps and lists.
     */
    public synchronized List<Map<String, Object>> rows() {
        List<Object[]> all = definition.model() == TableModel.DUPLICATE_KEY
                ? new ArrayList<>(duplicateRows) : new ArrayList<>(primaryRows.values());
        if (keyIndexes.length > 0) {
            all.sort(this::compareKeys); // List.sort is stable: loading order breaks ties
        }
        List<Map<String, Object>> out = new ArrayList<>(all.size());
        for (Object[] values : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < definition.columns().size(); i++) {
                Object v = i < values.length ? values[i] : null;
                row.put(definition.columns().get(i).name(), v instanceof JsonNode n ? JSON.convertValue(n, Object.class) : v);
            }
            out.add(row);
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int compareKeys(Object[] a, Object[] b) {
        for (int idx : keyIndexes) {
            Object x = a[idx];
            Object y = b[idx];
            if (x instanceof JsonNode) {
                x = x.toString();
            }
            if (y instanceof JsonNode) {
                y = y.toString();
            }
            int c = Comparator.nullsFirst((Comparator<Object>) (p, q) -> ((Comparable) p).compareTo(q)).compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
