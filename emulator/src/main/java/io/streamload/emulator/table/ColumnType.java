package io.streamload.emulator.table;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A column type as declared in a table definition, e.g. {@code VARCHAR(32)} or {@code DECIMAL(10,2)}. */
public record ColumnType(Kind kind, int length, int precision, int scale, String declared) {

    /** The types the emulator checks values against. */
    public enum Kind {
        BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, LARGEINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, STRING,
        DATE, DATETIME, JSON, ARRAY, MAP
    }

    /** StarRocks' STRING holds up to 65533 bytes unless declared longer; VARCHAR without a length too. */
    public static final int DEFAULT_STRING_BYTES = 65533;

    private static final Pattern SHAPE = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(<.*>)?\\s*");

    /**
     * Parses a declared type.
     *
     * @throws IllegalArgumentException naming the type when it is not one the emulator knows
     */
    public static ColumnType parse(String declared) {
        if (declared == null) {
            throw new IllegalArgumentException("column type is missing");
        }
        Matcher m = SHAPE.matcher(declared);
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown column type '" + declared + "'");
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        Integer a = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer b = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        String generic = m.group(4);
        Kind kind;
        switch (name) {
            case "BOOL", "BOOLEAN" -> kind = Kind.BOOLEAN;
            case "TINYINT" -> kind = Kind.TINYINT;
            case "SMALLINT" -> kind = Kind.SMALLINT;
            case "INT", "INTEGER" -> kind = Kind.INT;
            case "BIGINT" -> kind = Kind.BIGINT;
            case "LARGEINT" -> kind = Kind.LARGEINT;
            case "FLOAT" -> kind = Kind.FLOAT;
            case "DOUBLE" -> kind = Kind.DOUBLE;
            case "DECIMAL", "DECIMALV3", "DECIMAL32", "DECIMAL64", "DECIMAL128" -> kind = Kind.DECIMAL;
            case "CHAR" -> kind = Kind.CHAR;
            case "VARCHAR" -> kind = Kind.VARCHAR;
            case "STRING", "TEXT" -> kind = Kind.STRING;
            case "DATE", "DATEV2" -> kind = Kind.DATE;
            case "DATETIME", "DATETIMEV2" -> kind = Kind.DATETIME;
            case "JSON", "JSONB" -> kind = Kind.JSON;
            case "ARRAY" -> kind = Kind.ARRAY;
            case "MAP" -> kind = Kind.MAP;
            default -> throw new IllegalArgumentException("unknown column type '" + declared + "'");
        }
        if ((kind == Kind.ARRAY || kind == Kind.MAP) != (generic != null)) {
            throw new IllegalArgumentException("type '" + declared + "': ARRAY and MAP need an element type in <>");
        }
        int length = 0;
        int precision = 0;
        int scale = 0;
        switch (kind) {
            case CHAR -> {
                length = a == null ? 1 : a;
                if (length < 1 || length > 255) {
                    throw new IllegalArgumentException("type '" + declared + "': CHAR length must be 1..255");
                }
            }
            case VARCHAR -> {
                length = a == null ? DEFAULT_STRING_BYTES : a;
                if (length < 1 || length > 1_048_576) {
                    throw new IllegalArgumentException("type '" + declared + "': VARCHAR length must be 1..1048576");
                }
            }
            case STRING -> length = DEFAULT_STRING_BYTES;
            case DECIMAL -> {
                precision = a == null ? 10 : a;
                scale = b == null ? 0 : b;
                if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                    throw new IllegalArgumentException("type '" + declared
                            + "': DECIMAL(p,s) needs 1 <= p <= 38 and 0 <= s <= p");
                }
            }
            case DATETIME -> scale = a == null ? 0 : a;
            default -> {
                if (a != null && kind != Kind.INT && kind != Kind.BIGINT && kind != Kind.TINYINT
                        && kind != Kind.SMALLINT) {
                    throw new IllegalArgumentException("type '" + declared + "' takes no length");
                }
            }
        }
        return new ColumnType(kind, length, precision, scale, canonical(kind, length, precision, scale, generic));
    }

    private static String canonical(Kind kind, int length, int precision, int scale, String generic) {
        return switch (kind) {
            case CHAR, VARCHAR -> kind + "(" + length + ")";
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case ARRAY, MAP -> kind + generic.toUpperCase(Locale.ROOT);
            default -> kind.name();
        };
    }

    @Override
    public String toString() {
        return declared;
    }
}
