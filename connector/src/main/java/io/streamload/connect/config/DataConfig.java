package io.streamload.connect.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of the "Data" group: how values are written, change events, partial updates and
 * record-based routing. Declared here so {@link StreamLoadSinkConfig} only appends the group, and
 * read through {@link #of(AbstractConfig)}.
 */
public final class DataConfig {

    public static final String TIME_ZONE = "time.zone";
    public static final String BYTES_FORMAT = "bytes.format";
    public static final String FLOAT_NON_FINITE = "float.non.finite";
    public static final String VALUE_PASSTHROUGH = "value.passthrough";
    public static final String CDC_MODE = "cdc.mode";
    public static final String CDC_TOMBSTONES = "cdc.tombstones";
    public static final String CDC_DELETE_MODE = "cdc.delete.mode";
    public static final String CDC_SOFT_DELETE_COLUMN = "cdc.soft.delete.column";
    public static final String PARTIAL_UPDATE = "partial.update";
    public static final String PARTIAL_UPDATE_COLUMNS = "partial.update.columns";
    public static final String MERGE_CONDITION_COLUMN = "merge.condition.column";
    public static final String TABLE_FIELD = "table.field";
    public static final String TABLE_FIELD_ALLOWED = "table.field.allowed";

    public static final String CDC_NONE = "none";
    public static final String CDC_DEBEZIUM = "debezium";
    public static final String CDC_FLATTENED = "flattened";

    private final AbstractConfig config;

    private DataConfig(AbstractConfig config) {
        this.config = config;
    }

    public static DataConfig of(AbstractConfig config) {
        return new DataConfig(config);
    }

    public ZoneId timeZone() {
        return ZoneId.of(config.getString(TIME_ZONE).trim());
    }

    public String bytesFormat() {
        return lower(BYTES_FORMAT);
    }

    public String floatNonFinite() {
        return lower(FLOAT_NON_FINITE);
    }

    public boolean valuePassthrough() {
        return config.getBoolean(VALUE_PASSTHROUGH);
    }

    public String cdcMode() {
        return lower(CDC_MODE);
    }

    public boolean changeEvents() {
        return !CDC_NONE.equals(cdcMode());
    }

    public String cdcTombstones() {
        return lower(CDC_TOMBSTONES);
    }

    public String cdcDeleteMode() {
        return lower(CDC_DELETE_MODE);
    }

    public String softDeleteColumn() {
        return config.getString(CDC_SOFT_DELETE_COLUMN).trim();
    }

    public boolean partialUpdate() {
        return config.getBoolean(PARTIAL_UPDATE);
    }

    /** The fixed partial update columns, or empty to take them from the records. */
    public List<String> partialUpdateColumns() {
        return trimmed(config.getList(PARTIAL_UPDATE_COLUMNS));
    }

    /** The merge condition column, or empty. */
    public String mergeConditionColumn() {
        return config.getString(MERGE_CONDITION_COLUMN).trim();
    }

    /** The value field naming the target table, or empty. */
    public String tableField() {
        return config.getString(TABLE_FIELD).trim();
    }

    /** The entries of {@code table.field.allowed}: which tables a record may name. */
    public List<String> tableFieldAllowed() {
        return trimmed(config.getList(TABLE_FIELD_ALLOWED));
    }

    /** Why the target tables must be keyed (primary/unique key), or empty when nothing needs it. */
    public java.util.Optional<String> keyedTablesReason() {
        if (changeEvents()) {
            return java.util.Optional.of(CDC_MODE + "=" + cdcMode());
        }
        if (partialUpdate()) {
            return java.util.Optional.of(PARTIAL_UPDATE + "=true");
        }
        if (!mergeConditionColumn().isEmpty()) {
            return java.util.Optional.of(MERGE_CONDITION_COLUMN);
        }
        return java.util.Optional.empty();
    }

    private String lower(String key) {
        return config.getString(key).trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String value : values) {
            if (!value.isBlank()) {
                out.add(value.trim());
            }
        }
        return out;
    }

    static void define(ConfigDef def, String group) {
        int order = 0;
        def.define(TIME_ZONE, Type.STRING, "UTC", new ZoneValidator(), Importance.MEDIUM,
                "The time zone instants are shown in: Connect `Timestamp` values and Debezium `ZonedTimestamp` "
                        + "become the wall-clock time in this zone (`yyyy-MM-dd HH:mm:ss[.ffffff]`), since DATETIME "
                        + "columns hold no zone. A zone id such as `UTC`, `Europe/Berlin` or `+08:00`. Zone-less "
                        + "values (Date, Debezium Timestamp/MicroTimestamp/NanoTimestamp) are never shifted.",
                group, ++order, Width.SHORT, "Time zone");
        def.define(BYTES_FORMAT, Type.STRING, "base64", ConfigDef.CaseInsensitiveValidString.in("base64", "hex"),
                Importance.LOW,
                "How bytes values are written: `base64` (standard, padded, as Kafka's JSON converter) or `hex` "
                        + "(two lower-case digits per byte).",
                group, ++order, Width.SHORT, "Bytes format");
        def.define(FLOAT_NON_FINITE, Type.STRING, "null", ConfigDef.CaseInsensitiveValidString.in("null", "fail"),
                Importance.LOW,
                "What NaN and infinite FLOAT/DOUBLE values become, since neither JSON nor the targets' columns "
                        + "hold them: `null` (NULL, as a non-strict load would store anyway) or `fail` (the record "
                        + "is refused through the error path).",
                group, ++order, Width.SHORT, "Non-finite floats");
        def.define(VALUE_PASSTHROUGH, Type.BOOLEAN, false, Importance.LOW,
                "Fast path for `format=json` with String or byte[] values that already are JSON objects: their "
                        + "bytes are appended without parsing (line breaks become spaces). Faster, but a value "
                        + "that is not valid JSON is rejected by the target instead of by the connector: as a "
                        + "filtered row (Doris) or by failing the whole load's array (StarRocks). Cannot be "
                        + "combined with `" + CDC_MODE + "` or a partial update taking its columns from records.",
                group, ++order, Width.SHORT, "Value passthrough");
        def.define(CDC_MODE, Type.STRING, CDC_NONE,
                ConfigDef.CaseInsensitiveValidString.in(CDC_NONE, CDC_DEBEZIUM, CDC_FLATTENED), Importance.MEDIUM,
                "Whether record values are change events that upsert and delete rows of a primary key "
                        + "(StarRocks) or unique key (Doris) table. `none`: every record is a row (an upsert on "
                        + "keyed tables). `debezium`: Debezium's envelope (`before`/`after`/`op`): c, r, u upsert, "
                        + "d deletes. `flattened`: rows from Debezium's `ExtractNewRecordState`, a delete being a "
                        + "row with `__deleted=true` or a tombstone. Needs `format=json`. The target tables are "
                        + "checked at start: a duplicate key table is refused.",
                group, ++order, Width.SHORT, "Change events");
        def.define(CDC_TOMBSTONES, Type.STRING, "ignore", ConfigDef.CaseInsensitiveValidString.in("ignore", "delete"),
                Importance.LOW,
                "With `" + CDC_MODE + "`: what a record with a null value does. `ignore` (Debezium follows "
                        + "each delete with one for compaction) or `delete` (deletes the row whose key is the "
                        + "record key, which must be a Struct or Map naming the key columns).",
                group, ++order, Width.SHORT, "Tombstones");
        def.define(CDC_DELETE_MODE, Type.STRING, "hard", ConfigDef.CaseInsensitiveValidString.in("hard", "soft"),
                Importance.LOW,
                "With `" + CDC_MODE + "`: `hard` deletes remove the row; `soft` keeps it with its last values "
                        + "and sets `" + CDC_SOFT_DELETE_COLUMN + "` to true (every upsert sets it false).",
                group, ++order, Width.SHORT, "Delete mode");
        def.define(CDC_SOFT_DELETE_COLUMN, Type.STRING, "__deleted", new NonBlank(), Importance.LOW,
                "The BOOLEAN column soft deletes set.",
                group, ++order, Width.SHORT, "Soft delete column");
        def.define(PARTIAL_UPDATE, Type.BOOLEAN, false, Importance.LOW,
                "Rows update only the columns they carry and keep the others (StarRocks `partial_update`, "
                        + "Doris `partial_columns`; keyed tables only). The columns are `"
                        + PARTIAL_UPDATE_COLUMNS + "` when set (a row that lacks one of them sets it to NULL); "
                        + "otherwise each record's own fields (Struct fields, Map keys, JSON object keys), and records "
                        + "with different fields go to different loads, in order.",
                group, ++order, Width.SHORT, "Partial update");
        def.define(PARTIAL_UPDATE_COLUMNS, Type.LIST, "", Importance.LOW,
                "The columns a partial update writes, key columns included, comma separated. With "
                        + "`format=csv`, the order of the fields in each line (required there, and with change "
                        + "events or passthrough). Empty: taken from each record.",
                group, ++order, Width.LONG, "Partial update columns");
        def.define(MERGE_CONDITION_COLUMN, Type.STRING, "", Importance.LOW,
                "A row replaces the stored row of its key only when its value in this column is not smaller "
                        + "(StarRocks `merge_condition`; Doris' sequence column, "
                        + "`function_column.sequence_col`, which the table must enable). Keyed tables only.",
                group, ++order, Width.SHORT, "Merge condition column");
        def.define(TABLE_FIELD, Type.STRING, "", Importance.LOW,
                "A value field naming the target table (`table` or `db.table`). Records whose value lacks it "
                        + "(or is not a Struct or Map) are routed by topic. The field is loaded like any other, "
                        + "which the target ignores unless the table has such a column. Needs `"
                        + TABLE_FIELD_ALLOWED + "`. A record naming a table outside it, or one the target does not "
                        + "know, is a bad record: with `errors.tolerance=all` it goes to the dead letter queue with "
                        + "the reason and the others load; otherwise the task fails naming the table and the record. "
                        + "Needs `format=json`.",
                group, ++order, Width.SHORT, "Table field");
        def.define(TABLE_FIELD_ALLOWED, Type.LIST, "", new TableAllowlist.Validator(), Importance.MEDIUM,
                "With `" + TABLE_FIELD + "`, required: the tables records may name, so a producer cannot write "
                        + "into any database the load user can reach. Comma separated entries `db.table`, or "
                        + "`table` for a table of `load.database`; `*` stands for any characters, for example "
                        + "`db.*,db.orders_*`; names are compared with case. `*` alone turns the check off: records "
                        + "may then name any table the load user can write to. Tables reached through topics "
                        + "(`topic2table.map`, `table.name.format`) are not checked.",
                group, ++order, Width.LONG, "Tables a record may name");
    }

    /** Cross-field checks of the group; errors by key. */
    static void check(Map<String, ?> values, Collection<String> keysWithErrors,
                      java.util.function.BiConsumer<String, String> errors) {
        String cdc = lowerValue(values.get(CDC_MODE));
        String format = lowerValue(values.get(StreamLoadSinkConfig.FORMAT));
        boolean changeEvents = cdc != null && !CDC_NONE.equals(cdc);
        if (changeEvents && StreamLoadSinkConfig.FORMAT_CSV.equals(format)) {
            errors.accept(CDC_MODE, CDC_MODE + "=" + cdc + " reads structured change events; set format=json");
        }
        boolean passthrough = Boolean.TRUE.equals(values.get(VALUE_PASSTHROUGH));
        Object fixedColumns = values.get(PARTIAL_UPDATE_COLUMNS);
        boolean noFixedColumns = !(fixedColumns instanceof List<?> l) || l.stream().allMatch(
                c -> c == null || c.toString().isBlank());
        boolean partial = Boolean.TRUE.equals(values.get(PARTIAL_UPDATE));
        if (passthrough && changeEvents) {
            errors.accept(VALUE_PASSTHROUGH, "passthrough appends values without reading them, but "
                    + CDC_MODE + "=" + cdc + " must read each event; turn one of them off");
        }
        if (partial && noFixedColumns) {
            // Without a list, each record's own fields are its columns: that needs rows the
            // connector reads, as plain rows.
            if (StreamLoadSinkConfig.FORMAT_CSV.equals(format)) {
                errors.accept(PARTIAL_UPDATE_COLUMNS, "a CSV line does not name its fields: list the columns a "
                        + "partial update writes, key columns included, in the order of the fields of a line");
            } else if (passthrough) {
                errors.accept(PARTIAL_UPDATE_COLUMNS, "with value.passthrough the connector does not read records, "
                        + "so it cannot take a partial update's columns from them: list the columns here, or turn "
                        + "passthrough off");
            } else if (changeEvents) {
                errors.accept(PARTIAL_UPDATE_COLUMNS, "a partial update of change events needs its columns listed, "
                        + "key columns included");
            }
        }
        Object tableField = values.get(TABLE_FIELD);
        Object allowed = values.get(TABLE_FIELD_ALLOWED);
        if (tableField instanceof String field && !field.isBlank() && !keysWithErrors.contains(TABLE_FIELD_ALLOWED)
                && (!(allowed instanceof List<?> entries) || entries.stream().allMatch(
                        e -> e == null || e.toString().isBlank()))) {
            errors.accept(TABLE_FIELD_ALLOWED, TABLE_FIELD + "=" + field.trim() + " lets each record name the table it "
                    + "is loaded into: list the tables records may name in " + TABLE_FIELD_ALLOWED + ", for example "
                    + "db.*,db.orders_* (an entry without a database is a table of load.database), or set it to * to "
                    + "let records name any table the load user can write to");
        }
        if ("delete".equals(lowerValue(values.get(CDC_TOMBSTONES)))
                && "soft".equals(lowerValue(values.get(CDC_DELETE_MODE)))) {
            errors.accept(CDC_TOMBSTONES, "a tombstone carries only the key, so it cannot keep the row for a soft "
                    + "delete; set cdc.tombstones=ignore (Debezium's delete event before it does the soft delete)");
        }
    }

    private static String lowerValue(Object value) {
        return value instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
    }

    private static final class ZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of(value == null ? "" : value.toString().trim());
            } catch (DateTimeException e) {
                throw new ConfigException(name, value, "not a time zone id; use for example UTC, Asia/Shanghai or +08:00");
            }
        }

        @Override
        public String toString() {
            return "a time zone id";
        }
    }

    private static final class NonBlank implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                throw new ConfigException(name, value, "must not be empty");
            }
        }

        @Override
        public String toString() {
            return "a column name";
        }
    }
}
