package io.streamload.connect.schema;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/**
 * The column type a record field's schema asks for: docs/type-mapping.md read from right to left.
 * Complex values (Struct, Map, Array) become JSON columns, which take them whatever their shape;
 * times of day become VARCHAR (neither target has a TIME column type).
 */
public final class ColumnTypes {
    /** Key strings: a primary key is short (StarRocks keeps the key of every row in memory). */
    public static final int KEY_VARCHAR = 128;
    /** Debezium's parameter for a column's declared length ({@code column.propagate.source.type}). */
    static final String DEBEZIUM_LENGTH = "__debezium.source.column.length";
    /** Connect's Decimal carries its scale; Debezium adds the precision. */
    static final String DECIMAL_PRECISION = "connect.decimal.precision";
    private static final int TIME_TEXT = 32;

    private ColumnTypes() {
    }

    /**
     * The type of a column made for this field.
     *
     * @param key whether the column is part of the table's key
     * @throws IllegalArgumentException naming what no column can hold
     */
    public static SqlType forSchema(Schema schema, boolean key) {
        String logical = schema.name() == null ? "" : schema.name();
        switch (logical) {
            case "org.apache.kafka.connect.data.Decimal": {
                int scale = Integer.parseInt(parameter(schema, "scale", "0"));
                int precision = Integer.parseInt(parameter(schema, DECIMAL_PRECISION, "38"));
                if (scale > 38) {
                    throw new IllegalArgumentException("a Decimal of scale " + scale + " fits no DECIMAL column (38 digits at most)");
                }
                return SqlType.decimal(Math.min(38, Math.max(precision, scale + 1)), scale);
            }
            case "io.debezium.data.VariableScaleDecimal":
                return SqlType.decimal(38, 10);
            case "org.apache.kafka.connect.data.Date", "io.debezium.time.Date":
                return SqlType.of(SqlType.Kind.DATE);
            case "org.apache.kafka.connect.data.Timestamp", "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp",
                    "io.debezium.time.NanoTimestamp", "io.debezium.time.ZonedTimestamp":
                return SqlType.datetime(6);
            case "org.apache.kafka.connect.data.Time", "io.debezium.time.Time", "io.debezium.time.MicroTime",
                    "io.debezium.time.NanoTime", "io.debezium.time.ZonedTime":
                return SqlType.varchar(TIME_TEXT);
            case "io.debezium.data.Json":
                return SqlType.of(SqlType.Kind.JSON);
            default:
                break;
        }
        return switch (schema.type()) {
            case INT8 -> SqlType.of(SqlType.Kind.TINYINT);
            case INT16 -> SqlType.of(SqlType.Kind.SMALLINT);
            case INT32 -> SqlType.of(SqlType.Kind.INT);
            case INT64 -> SqlType.of(SqlType.Kind.BIGINT);
            case FLOAT32 -> SqlType.of(SqlType.Kind.FLOAT);
            case FLOAT64 -> SqlType.of(SqlType.Kind.DOUBLE);
            case BOOLEAN -> SqlType.of(SqlType.Kind.BOOLEAN);
            case STRING -> SqlType.varchar(key ? KEY_VARCHAR : declaredLength(schema));
            case BYTES -> SqlType.varchar(SqlType.MAX_VARCHAR);
            case STRUCT, MAP, ARRAY -> SqlType.of(SqlType.Kind.JSON);
        };
    }

    /**
     * The VARCHAR length a string field needs: four bytes per character of the source column's
     * declared length when Debezium passes it on, else the longest VARCHAR.
     */
    static int declaredLength(Schema schema) {
        String length = parameter(schema, DEBEZIUM_LENGTH, null);
        if (length == null) {
            return SqlType.MAX_VARCHAR;
        }
        try {
            return (int) Math.min(SqlType.MAX_VARCHAR, Math.max(1L, 4L * Long.parseLong(length)));
        } catch (NumberFormatException e) {
            return SqlType.MAX_VARCHAR;
        }
    }

    /** Whether Debezium told the field's declared length (only then is a longer VARCHAR asked for). */
    static boolean knowsLength(Schema schema) {
        return parameter(schema, DEBEZIUM_LENGTH, null) != null;
    }

    private static String parameter(Schema schema, String name, String otherwise) {
        Map<String, String> params = schema.parameters();
        return params == null || params.get(name) == null ? otherwise : params.get(name);
    }
}
