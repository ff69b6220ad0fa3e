package io.streamload.connect.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's columns as the FE describes them ({@code DESC db.table}): name, type, nullability,
 * and which are keys. Names compare case-insensitively, as both targets' do.
 */
public record TableShape(Map<String, Column> columns) {

    /** One described column. */
    public record Column(String name, SqlType type, String declared, boolean nullable, boolean key) {
    }

    public static TableShape of(List<Column> columns) {
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.name().toLowerCase(Locale.ROOT), c));
        return new TableShape(byName);
    }

    /** The column, or null. */
    public Column column(String name) {
        return columns.get(name.toLowerCase(Locale.ROOT));
    }
}
