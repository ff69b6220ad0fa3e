package io.streamload.connect.schema;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type as the connector reasons about it: the family, with lengths and precision where
 * they matter. Read from what {@code DESC} shows, or made from a record field ({@link ColumnTypes}),
 * and written into DDL in each target's spelling.
 */
public record SqlType(Kind kind, int length, int precision, int scale) {

    /** Column type families; integers are in widening order. */
    public enum Kind {
        BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, LARGEINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, STRING,
        DATE, DATETIME, JSON, ARRAY, MAP, STRUCT, OTHER
    }

    /** The longest VARCHAR both targets take (bytes). */
    public static final int MAX_VARCHAR = 65533;

    static final List<Kind> INTEGERS = List.of(Kind.TINYINT, Kind.SMALLINT, Kind.INT, Kind.BIGINT, Kind.LARGEINT);

    private static final Pattern SHAPE = Pattern.compile(
            "\\s*([A-Za-z0-9_]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?.*", Pattern.DOTALL);

    public static SqlType of(Kind kind) {
        return new SqlType(kind, 0, 0, 0);
    }

    public static SqlType varchar(int length) {
        return new SqlType(Kind.VARCHAR, length, 0, 0);
    }

    public static SqlType decimal(int precision, int scale) {
        return new SqlType(Kind.DECIMAL, 0, precision, scale);
    }

    public static SqlType datetime(int scale) {
        return new SqlType(Kind.DATETIME, 0, 0, scale);
    }

    /** Reads a type as {@code DESC} or {@code SHOW CREATE TABLE} shows it, in either case and either target's names. */
    public static SqlType parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return of(Kind.OTHER);
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        int a = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int b = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return switch (name) {
            case "BOOLEAN", "BOOL" -> of(Kind.BOOLEAN);
            case "TINYINT" -> of(Kind.TINYINT);
            case "SMALLINT" -> of(Kind.SMALLINT);
            case "INT", "INTEGER" -> of(Kind.INT);
            case "BIGINT" -> of(Kind.BIGINT);
            case "LARGEINT" -> of(Kind.LARGEINT);
            case "FLOAT" -> of(Kind.FLOAT);
            case "DOUBLE" -> of(Kind.DOUBLE);
            case "DECIMAL", "DECIMALV3", "DECIMAL32", "DECIMAL64", "DECIMAL128", "NUMERIC" ->
                    decimal(a < 0 ? 10 : a, b);
            case "CHAR" -> new SqlType(Kind.CHAR, a < 0 ? 1 : a, 0, 0);
            case "VARCHAR" -> varchar(a < 0 ? MAX_VARCHAR : a);
            case "STRING", "TEXT" -> new SqlType(Kind.STRING, MAX_VARCHAR, 0, 0);
            case "DATE", "DATEV2" -> of(Kind.DATE);
            case "DATETIME", "DATETIMEV2" -> datetime(Math.max(a, 0));
            case "JSON", "JSONB" -> of(Kind.JSON);
            case "ARRAY" -> of(Kind.ARRAY);
            case "MAP" -> of(Kind.MAP);
            case "STRUCT" -> of(Kind.STRUCT);
            default -> of(Kind.OTHER);
        };
    }

    boolean isInteger() {
        return INTEGERS.contains(kind);
    }

    boolean isText() {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.STRING;
    }

    /** The type in DDL. Doris keeps microseconds only with DATETIME(6); StarRocks' DATETIME always does. */
    public String sql(boolean doris) {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case VARCHAR -> "VARCHAR(" + length + ")";
            case CHAR -> "CHAR(" + length + ")";
            case DATETIME -> doris && scale > 0 ? "DATETIME(" + scale + ")" : "DATETIME";
            default -> kind.name();
        };
    }
}
