package io.streamload.connect.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;

/**
 * The DDL the connector sends, in each target's syntax.
 *
 * <p>CREATE TABLE: key columns first and NOT NULL, then the other fields in schema order, all
 * nullable (a later record may lack them). With key columns, StarRocks gets a PRIMARY KEY table
 * and Doris a UNIQUE KEY table with {@code "enable_unique_key_merge_on_write" = "true"} (Doris'
 * primary-key semantics: the latest row per key, deletes applied at load; the default since Doris
 * 2.1, written out for older versions), both hashed on the key. Without key columns, a DUPLICATE
 * KEY table sorted on its first column when that column can be a key, distributed at random.
 * Buckets: the setting, or the target's own choice (StarRocks omits the clause; Doris
 * {@code BUCKETS AUTO}).
 */
public final class TableDdl {
    private final boolean doris;
    private final int buckets;
    private final Map<String, String> properties;

    /**
     * @param buckets buckets per partition, or 0 for the target's automatic choice
     * @param properties extra PROPERTIES, in order
     */
    public TableDdl(boolean doris, int buckets, Map<String, String> properties) {
        this.doris = doris;
        this.buckets = buckets;
        this.properties = new LinkedHashMap<>(properties);
    }

    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String qualified(String db, String table) {
        return quote(db) + "." + quote(table);
    }

    /** CREATE TABLE for a row schema. */
    public String createTable(String db, String table, RowSchema row) {
        List<String> keys = row.keys();
        List<String> lines = new ArrayList<>();
        List<Field> ordered = new ArrayList<>();
        for (String k : keys) {
            ordered.add(row.field(k));
        }
        for (Field f : row.fields()) {
            if (!keys.contains(f.name())) {
                ordered.add(f);
            }
        }
        for (Field f : ordered) {
            boolean key = keys.contains(f.name());
            SqlType type = ColumnTypes.forSchema(f.schema(), key);
            lines.add("  " + quote(f.name()) + " " + type.sql(doris) + (key ? " NOT NULL" : " NULL"));
        }
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(qualified(db, table)).append(" (\n")
                .append(String.join(",\n", lines)).append("\n)\n");
        Map<String, String> props = new LinkedHashMap<>();
        if (!keys.isEmpty()) {
            sb.append(doris ? "UNIQUE KEY(" : "PRIMARY KEY(").append(quotedList(keys)).append(")\n");
            sb.append("DISTRIBUTED BY HASH(").append(quotedList(keys)).append(")");
            if (doris) {
                props.put("enable_unique_key_merge_on_write", "true");
            }
        } else {
            Field first = ordered.get(0);
            if (sortable(ColumnTypes.forSchema(first.schema(), false))) {
                sb.append("DUPLICATE KEY(").append(quote(first.name())).append(")\n");
            }
            sb.append("DISTRIBUTED BY RANDOM");
        }
        if (buckets > 0) {
            sb.append(" BUCKETS ").append(buckets);
        } else if (doris) {
            sb.append(" BUCKETS AUTO");
        }
        props.putAll(properties);
        if (!props.isEmpty()) {
            sb.append("\nPROPERTIES (\n");
            List<String> entries = new ArrayList<>();
            props.forEach((k, v) -> entries.add("  \"" + k + "\" = \"" + v.replace("\"", "\\\"") + "\""));
            sb.append(String.join(",\n", entries)).append("\n)");
        }
        return sb.toString();
    }

    /** A type both targets accept as a sort key: not floating, JSON, nested or unbounded text. */
    private static boolean sortable(SqlType type) {
        return type.isInteger() || type.kind() == SqlType.Kind.DATE || type.kind() == SqlType.Kind.DATETIME
                || type.kind() == SqlType.Kind.BOOLEAN || type.kind() == SqlType.Kind.DECIMAL
                || type.kind() == SqlType.Kind.VARCHAR && type.length() < SqlType.MAX_VARCHAR;
    }

    /** ALTER TABLE ... ADD COLUMN for each new column, nullable. */
    public String addColumns(String db, String table, List<SchemaPlan.NewColumn> columns) {
        List<String> clauses = new ArrayList<>();
        for (SchemaPlan.NewColumn c : columns) {
            clauses.add(quote(c.name()) + " " + c.type().sql(doris) + " NULL");
        }
        if (clauses.size() == 1) {
            return "ALTER TABLE " + qualified(db, table) + " ADD COLUMN " + clauses.get(0);
        }
        return "ALTER TABLE " + qualified(db, table) + " ADD COLUMN (" + String.join(", ", clauses) + ")";
    }

    /** ALTER TABLE ... MODIFY COLUMN to a wider type, keeping the column's nullability. */
    public String modifyColumn(String db, String table, SchemaPlan.Widening widening) {
        TableShape.Column c = widening.column();
        return "ALTER TABLE " + qualified(db, table) + " MODIFY COLUMN " + quote(c.name()) + " "
                + widening.to().sql(doris) + (c.nullable() ? " NULL" : " NOT NULL");
    }

    private static String quotedList(List<String> names) {
        List<String> q = new ArrayList<>();
        names.forEach(n -> q.add(quote(n)));
        return String.join(", ", q);
    }
}
