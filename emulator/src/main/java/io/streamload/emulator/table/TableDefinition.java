package io.streamload.emulator.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declaration of one table: columns, model and keys. Built in Java or parsed from the JSON the
 * admin API and {@code --tables} files take:
 * <pre>{"model":"PRIMARY_KEY","keys":["id"],"columns":[{"name":"id","type":"BIGINT","nullable":false}]}</pre>
 */
public final class TableDefinition {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String database;
    private final String table;
    private final List<Column> columns;
    private final TableModel model;
    private final List<String> keys;
    private final boolean counting;

    private TableDefinition(String database, String table, List<Column> columns, TableModel model,
                            List<String> keys, boolean counting) {
        this.database = database;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.model = model;
        this.keys = List.copyOf(keys);
        this.counting = counting;
        validate();
    }

    public static Builder builder(String database, String table) {
        return new Builder(database, table);
    }

    /** Parses the JSON form; errors name the table and the field at fault. */
    public static TableDefinition fromJson(String database, String table, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("table " + database + "." + table
                    + ": definition is not valid JSON: " + e.getMessage());
        }
        return fromJson(database, table, root);
    }

    public static TableDefinition fromJson(String database, String table, JsonNode root) {
        String where = "table " + database + "." + table + ": ";
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + "definition must be a JSON object");
        }
        Builder b = builder(database, table);
        String model = root.path("model").asText("DUPLICATE_KEY").toUpperCase(Locale.ROOT).replace(' ', '_');
        if (model.equals("UNIQUE_KEY")) {
            model = "PRIMARY_KEY";
        }
        try {
            b.model = TableModel.valueOf(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "model must be DUPLICATE_KEY, PRIMARY_KEY or UNIQUE_KEY, not '"
                    + root.path("model").asText() + "'");
        }
        JsonNode cols = root.get("columns");
        if (cols == null || !cols.isArray() || cols.isEmpty()) {
            throw new IllegalArgumentException(where + "'columns' must be a non-empty array");
        }
        for (JsonNode c : cols) {
            if (!c.hasNonNull("name") || !c.hasNonNull("type")) {
                throw new IllegalArgumentException(where + "each column needs 'name' and 'type': " + c);
            }
            try {
                b.column(c.get("name").asText(), c.get("type").asText(), c.path("nullable").asBoolean(true));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "column '" + c.get("name").asText() + "': " + e.getMessage());
            }
        }
        JsonNode keys = root.get("keys");
        if (keys != null) {
            if (!keys.isArray()) {
                throw new IllegalArgumentException(where + "'keys' must be an array of column names");
            }
            for (JsonNode k : keys) {
                b.keys.add(k.asText());
            }
        }
        b.counting = root.path("counting").asBoolean(false);
        return b.build();
    }

    public JsonNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("database", database);
        root.put("table", table);
        root.put("model", model.name());
        ArrayNode k = root.putArray("keys");
        keys.forEach(k::add);
        ArrayNode cols = root.putArray("columns");
        for (Column c : columns) {
            cols.addObject().put("name", c.name()).put("type", c.type().declared()).put("nullable", c.nullable());
        }
        root.put("counting", counting);
        return root;
    }

    private void validate() {
        String where = "table " + database + "." + table + ": ";
        if (!NAME.matcher(database).matches() || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException(where + "database and table names must match " + NAME.pattern());
        }
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!NAME.matcher(c.name()).matches()) {
                throw new IllegalArgumentException(where + "column name '" + c.name() + "' must match " + NAME.pattern());
            }
            if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(where + "column '" + c.name() + "' is declared twice");
            }
        }
        if (model == TableModel.PRIMARY_KEY && keys.isEmpty()) {
            throw new IllegalArgumentException(where + "a PRIMARY_KEY table needs 'keys'");
        }
        for (String k : keys) {
            Column c = column(k);
            if (c == null) {
                throw new IllegalArgumentException(where + "key '" + k + "' is not a declared column");
            }
            if (model == TableModel.PRIMARY_KEY && c.nullable()) {
                throw new IllegalArgumentException(where + "primary key column '" + k + "' must be NOT NULL (nullable: false)");
            }
        }
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }

    public List<Column> columns() {
        return columns;
    }

    public TableModel model() {
        return model;
    }

    public List<String> keys() {
        return keys;
    }

    /** Counting fast path: the table validates nothing and stores nothing, it only counts rows and bytes. */
    public boolean counting() {
        return counting;
    }

    /**
     * The same table with another column list (ALTER TABLE): model, keys and counting stay.
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public TableDefinition withColumns(List<Column> newColumns) {
        return new TableDefinition(database, table, newColumns, model, keys, counting);
    }

    /** Column by case-insensitive name, or null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Builds a definition in code. */
    public static final class Builder {
        private final String database;
        private final String table;
        private final List<Column> columns = new ArrayList<>();
        private TableModel model = TableModel.DUPLICATE_KEY;
        private final List<String> keys = new ArrayList<>();
        private boolean counting;

        private Builder(String database, String table) {
            this.database = database;
            this.table = table;
        }

        public Builder column(String name, String type, boolean nullable) {
            columns.add(new Column(name, ColumnType.parse(type), nullable));
            return this;
        }

        public Builder duplicateKey(String... keyColumns) {
            model = TableModel.DUPLICATE_KEY;
            keys.clear();
            keys.addAll(List.of(keyColumns));
            return this;
        }

        public Builder primaryKey(String... keyColumns) {
            model = TableModel.PRIMARY_KEY;
            keys.clear();
            keys.addAll(List.of(keyColumns));
            return this;
        }

        public Builder counting(boolean counting) {
            this.counting = counting;
            return this;
        }

        public TableDefinition build() {
            return new TableDefinition(database, table, columns, model, keys, counting);
        }
    }
}
