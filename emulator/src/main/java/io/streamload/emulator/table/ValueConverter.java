package io.streamload.emulator.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a source value (CSV text or a JSON node) into the value a column stores, or says why it
 * cannot, with the wording StarRocks writes into its error log. Stored forms: BOOLEAN as Boolean,
 * integers as Long (LARGEINT as BigInteger), FLOAT/DOUBLE as Double, DECIMAL as BigDecimal at the
 * column's scale, strings as String, DATE as {@code yyyy-MM-dd}, DATETIME as
 * {@code yyyy-MM-dd HH:mm:ss[.ffffff]}, JSON/ARRAY/MAP as a JSON node.
 */
public final class ValueConverter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger LARGEINT_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final BigInteger LARGEINT_MIN = BigInteger.ONE.shiftLeft(127).negate();
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})|(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,9}))?)?");

    private ValueConverter() {
    }

    /** Converts CSV text (never the NULL marker; the caller handles {@code \N}). */
    public static Object fromText(Column column, String text) throws ValueConversionException {
        ColumnType t = column.type();
        return switch (t.kind()) {
            case CHAR, VARCHAR, STRING -> checkLength(column, text);
            case JSON, ARRAY, MAP -> fromJson(column, parseJsonText(column, text));
            default -> convertScalar(column, text.trim(), text);
        };
    }

    /** Converts a JSON value (never JSON null; the caller handles it). */
    public static Object fromJson(Column column, JsonNode node) throws ValueConversionException {
        ColumnType t = column.type();
        switch (t.kind()) {
            case JSON:
                return node;
            case ARRAY:
                if (!node.isArray()) {
                    throw outOfRange(column, node.toString());
                }
                return node;
            case MAP:
                if (!node.isObject()) {
                    throw outOfRange(column, node.toString());
                }
                return node;
            case CHAR, VARCHAR, STRING:
                return checkLength(column, node.isTextual() ? node.textValue() : node.toString());
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                break;
            default:
                if (node.isBoolean()) {
                    return convertScalar(column, node.booleanValue() ? "1" : "0", node.toString());
                }
                break;
        }
        if (node.isContainerNode()) {
            throw outOfRange(column, node.toString());
        }
        String text = node.isTextual() ? node.textValue() : node.asText();
        return convertScalar(column, text.trim(), text);
    }

    private static JsonNode parseJsonText(Column column, String text) throws ValueConversionException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw outOfRange(column, text);
        }
    }

    private static String checkLength(Column column, String s) throws ValueConversionException {
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > column.type().length()) {
            throw new ValueConversionException("String '" + s + "' is too long. The type of '" + column.name()
                    + "' is " + column.type().declared());
        }
        return s;
    }

    private static Object convertScalar(Column column, String s, String original) throws ValueConversionException {
        ColumnType t = column.type();
        try {
            switch (t.kind()) {
                case BOOLEAN: {
                    String l = s.toLowerCase(Locale.ROOT);
                    if (l.equals("true") || l.equals("1")) {
                        return Boolean.TRUE;
                    }
                    if (l.equals("false") || l.equals("0")) {
                        return Boolean.FALSE;
                    }
                    throw outOfRange(column, original);
                }
                case TINYINT:
                    return integer(column, s, original, -128, 127);
                case SMALLINT:
                    return integer(column, s, original, -32768, 32767);
                case INT:
                    return integer(column, s, original, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT:
                    return integer(column, s, original, Long.MIN_VALUE, Long.MAX_VALUE);
                case LARGEINT: {
                    // StarRocks reads a LARGEINT from JSON numbers and text alike as text cast with
                    // string_to_int<int128_t>: a sign and digits, nothing else. "1E+2" or "100.0"
                    // is no integer to it, though a BigDecimal would take both.
                    if (!INTEGER_TEXT.matcher(s).matches()) {
                        throw outOfRange(column, original);
                    }
                    BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
                    if (v.compareTo(LARGEINT_MAX) > 0 || v.compareTo(LARGEINT_MIN) < 0) {
                        throw outOfRange(column, original);
                    }
                    return v;
                }
                case FLOAT: {
                    double d = Double.parseDouble(s);
                    if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE || looksNonFinite(s)) {
                        throw outOfRange(column, original);
                    }
                    return (double) (float) d;
                }
                case DOUBLE: {
                    double d = Double.parseDouble(s);
                    if (!Double.isFinite(d) || looksNonFinite(s)) {
                        throw outOfRange(column, original);
                    }
                    return d;
                }
                case DECIMAL: {
                    BigDecimal v = new BigDecimal(s).setScale(t.scale(), RoundingMode.HALF_UP);
                    if (v.precision() - v.scale() > t.precision() - t.scale()) {
                        throw outOfRange(column, original);
                    }
                    return v;
                }
                case DATE:
                    return date(column, s, original);
                case DATETIME:
                    return datetime(column, s, original);
                default:
                    throw outOfRange(column, original);
            }
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw outOfRange(column, original);
        }
    }

    private static boolean looksNonFinite(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.contains("nan") || l.contains("inf");
    }

    private static Long integer(Column column, String s, String original, long min, long max)
            throws ValueConversionException {
        long v;
        try {
            v = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            // "12.0" is accepted when it is integral, as a JSON number with a zero fraction would be.
            BigDecimal d = new BigDecimal(s);
            v = d.longValueExact();
        }
        if (v < min || v > max) {
            throw outOfRange(column, original);
        }
        return v;
    }

    private static String date(Column column, String s, String original) throws ValueConversionException {
        Matcher m = DATE.matcher(s);
        LocalDate d;
        if (m.matches()) {
            d = m.group(1) != null
                    ? LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                    : LocalDate.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
        } else {
            // A datetime loaded into a DATE column keeps its date part.
            Matcher dt = DATETIME.matcher(s);
            if (!dt.matches()) {
                throw outOfRange(column, original);
            }
            d = LocalDate.of(Integer.parseInt(dt.group(1)), Integer.parseInt(dt.group(2)), Integer.parseInt(dt.group(3)));
        }
        return formatDate(d);
    }

    private static String datetime(Column column, String s, String original) throws ValueConversionException {
        Matcher m = DATETIME.matcher(s);
        if (!m.matches()) {
            throw outOfRange(column, original);
        }
        int nanos = 0;
        if (m.group(7) != null) {
            String frac = (m.group(7) + "000000000").substring(0, 9);
            nanos = Integer.parseInt(frac) / 1000 * 1000; // microsecond precision, as DATETIME stores
        }
        LocalDateTime v = LocalDateTime.of(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        String out = formatDate(v.toLocalDate()) + String.format(" %02d:%02d:%02d", v.getHour(), v.getMinute(), v.getSecond());
        if (nanos != 0) {
            out += String.format(".%06d", nanos / 1000);
        }
        return out;
    }

    private static String formatDate(LocalDate d) {
        return String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    private static ValueConversionException outOfRange(Column column, String value) {
        return new ValueConversionException("Value '" + value + "' is out of range. The type of '" + column.name()
                + "' is " + column.type().declared());
    }
}
