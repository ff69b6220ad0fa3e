package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamload.emulator.table.TableDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row is checked as StarRocks checks it. Strict mode: a value that fails conversion filters
 * the row. Non-strict: it becomes NULL (and a NULL in a NOT NULL column filters the row).
 */
class TypeCheckTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static StreamLoadEmulator e;

    @BeforeAll
    static void start() {
        e = Fixtures.start(Dialect.STARROCKS);
    }

    @AfterAll
    static void stop() {
        e.close();
    }

    /** A fresh table {@code (id INT NOT NULL, v <type>)}. */
    private static String table(String type, boolean nullable) {
        String name = "types_" + TABLES.incrementAndGet();
        e.createTable(TableDefinition.builder(DB, name)
                .column("id", "INT", false)
                .column("v", type, nullable)
                .duplicateKey("id")
                .build());
        return name;
    }

    private static JsonNode loadPiped(String table, String body, boolean strict) {
        return Fixtures.load(e, table, body, "column_separator", "|", "strict_mode", Boolean.toString(strict),
                "max_filter_ratio", "1");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("TINYINT", "128", "Value '128' is out of range. The type of 'v' is TINYINT"),
                Arguments.of("TINYINT", "-129", "Value '-129' is out of range. The type of 'v' is TINYINT"),
                Arguments.of("SMALLINT", "32768", "Value '32768' is out of range. The type of 'v' is SMALLINT"),
                Arguments.of("INT", "2147483648", "Value '2147483648' is out of range. The type of 'v' is INT"),
                Arguments.of("INT", "12abc", "Value '12abc' is out of range. The type of 'v' is INT"),
                Arguments.of("BIGINT", "9223372036854775808",
                        "Value '9223372036854775808' is out of range. The type of 'v' is BIGINT"),
                Arguments.of("LARGEINT", "170141183460469231731687303715884105728",
                        "Value '170141183460469231731687303715884105728' is out of range. The type of 'v' is LARGEINT"),
                // StarRocks casts text to LARGEINT with string_to_int: digits only, no exponent, no fraction.
                Arguments.of("LARGEINT", "1E+2", "Value '1E+2' is out of range. The type of 'v' is LARGEINT"),
                Arguments.of("LARGEINT", "100.0", "Value '100.0' is out of range. The type of 'v' is LARGEINT"),
                Arguments.of("DATE", "yesterday", "Value 'yesterday' is out of range. The type of 'v' is DATE"),
                Arguments.of("DATE", "2024-02-30", "Value '2024-02-30' is out of range. The type of 'v' is DATE"),
                Arguments.of("DATE", "2024-13-01", "Value '2024-13-01' is out of range. The type of 'v' is DATE"),
                Arguments.of("DATETIME", "abc", "Value 'abc' is out of range. The type of 'v' is DATETIME"),
                Arguments.of("DATETIME", "2024-01-01 24:00:00",
                        "Value '2024-01-01 24:00:00' is out of range. The type of 'v' is DATETIME"),
                Arguments.of("VARCHAR(5)", "abcdef", "String 'abcdef' is too long. The type of 'v' is VARCHAR(5)"),
                Arguments.of("VARCHAR(5)", "ééé", "String 'ééé' is too long. The type of 'v' is VARCHAR(5)"),
                Arguments.of("CHAR(3)", "abcd", "String 'abcd' is too long. The type of 'v' is CHAR(3)"),
                Arguments.of("DECIMAL(5,2)", "1234.5", "Value '1234.5' is out of range. The type of 'v' is DECIMAL(5,2)"),
                Arguments.of("DECIMAL(5,2)", "1.2.3", "Value '1.2.3' is out of range. The type of 'v' is DECIMAL(5,2)"),
                Arguments.of("FLOAT", "1e39", "Value '1e39' is out of range. The type of 'v' is FLOAT"),
                Arguments.of("FLOAT", "fast", "Value 'fast' is out of range. The type of 'v' is FLOAT"),
                Arguments.of("DOUBLE", "1e309", "Value '1e309' is out of range. The type of 'v' is DOUBLE"),
                Arguments.of("DOUBLE", "two", "Value 'two' is out of range. The type of 'v' is DOUBLE"),
                Arguments.of("BOOLEAN", "maybe", "Value 'maybe' is out of range. The type of 'v' is BOOLEAN"),
                Arguments.of("JSON", "{not json", "Value '{not json' is out of range. The type of 'v' is JSON"));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @MethodSource("badValues")
    void strictModeFiltersAValueThatFailsConversion(String type, String bad, String reason) {
        String t = table(type, true);
        JsonNode reply = loadPiped(t, "1|" + bad + "\n", true);

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(1, reply.get("NumberTotalRows").asLong());
        assertEquals(0, reply.get("NumberLoadedRows").asLong());
        assertEquals(1, reply.get("NumberFilteredRows").asLong());
        assertEquals("Error: " + reason + ". Row: ['1', '" + bad + "']\n",
                Fixtures.errorLog(reply.get("ErrorURL").asText()));
        assertEquals(0, e.rowCount(DB, t));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @MethodSource("badValues")
    void nonStrictModeLoadsAValueThatFailsConversionAsNull(String type, String bad, String reason) {
        String t = table(type, true);
        JsonNode reply = loadPiped(t, "1|" + bad + "\n", false);

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(1, reply.get("NumberLoadedRows").asLong());
        assertEquals(0, reply.get("NumberFilteredRows").asLong());
        assertNull(reply.get("ErrorURL"));
        assertEquals(1, e.rowCount(DB, t));
        assertNull(e.rows(DB, t).get(0).get("v"));
    }

    @Test
    void nonStrictModeFiltersAFailedConversionIntoANotNullColumn() {
        String t = table("TINYINT", false);
        JsonNode reply = loadPiped(t, "1|300\n2|5\n", false);

        assertEquals(1, reply.get("NumberFilteredRows").asLong());
        assertEquals(1, reply.get("NumberLoadedRows").asLong());
        assertEquals("Error: NULL value in non-nullable column 'v'. Row: ['1', '300']\n",
                Fixtures.errorLog(reply.get("ErrorURL").asText()));
        assertEquals(List.of(Map.of("id", 2L, "v", 5L)), e.rows(DB, t));
    }

    @Test
    void explicitNullInANotNullColumnIsFilteredInBothModes() {
        for (boolean strict : new boolean[] {true, false}) {
            String t = table("VARCHAR(10)", false);
            JsonNode reply = loadPiped(t, "1|\\N\n", strict);

            assertEquals(1, reply.get("NumberFilteredRows").asLong(), "strict=" + strict);
            assertEquals("Error: NULL value in non-nullable column 'v'. Row: ['1', NULL]\n",
                    Fixtures.errorLog(reply.get("ErrorURL").asText()));
            assertEquals(0, e.rowCount(DB, t));
        }
    }

    @Test
    void explicitNullInANullableColumnLoadsEvenInStrictMode() {
        String t = table("INT", true);
        JsonNode reply = loadPiped(t, "1|\\N\n", true);

        assertEquals(1, reply.get("NumberLoadedRows").asLong(), reply::toString);
        assertNull(e.rows(DB, t).get(0).get("v"));
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                Arguments.of("TINYINT", "-128", -128L),
                Arguments.of("SMALLINT", "32767", 32767L),
                Arguments.of("INT", "-2147483648", -2147483648L),
                Arguments.of("BIGINT", "9223372036854775807", Long.MAX_VALUE),
                Arguments.of("LARGEINT", "170141183460469231731687303715884105727",
                        new BigInteger("170141183460469231731687303715884105727")),
                Arguments.of("LARGEINT", "-170141183460469231731687303715884105728",
                        new BigInteger("-170141183460469231731687303715884105728")),
                Arguments.of("DECIMAL(38,10)", "1234567890123456789012345678.0123456789",
                        new BigDecimal("1234567890123456789012345678.0123456789")),
                Arguments.of("DECIMAL(38,0)", "-99999999999999999999999999999999999999",
                        new BigDecimal("-99999999999999999999999999999999999999")),
                Arguments.of("DECIMAL(38,10)", "1.5e3", new BigDecimal("1500.0000000000")),
                Arguments.of("DATE", "2024-02-29", "2024-02-29"),
                Arguments.of("DATETIME", "2024-02-29 23:59:59", "2024-02-29 23:59:59"),
                Arguments.of("VARCHAR(5)", "abcde", "abcde"),
                Arguments.of("CHAR(3)", "abc", "abc"),
                Arguments.of("STRING", "any text", "any text"),
                Arguments.of("DECIMAL(5,2)", "123.45", new BigDecimal("123.45")),
                Arguments.of("DECIMAL(5,2)", "-1.5", new BigDecimal("-1.50")),
                Arguments.of("DECIMAL(5,2)", "1.235", new BigDecimal("1.24")),
                Arguments.of("FLOAT", "1.5", 1.5d),
                Arguments.of("DOUBLE", "2.25", 2.25d),
                Arguments.of("BOOLEAN", "true", true),
                Arguments.of("BOOLEAN", "0", false),
                Arguments.of("JSON", "{\"a\":1}", Map.of("a", 1)));
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @MethodSource("goodValues")
    void validValuesAreStoredInStrictMode(String type, String text, Object stored) {
        String t = table(type, true);
        JsonNode reply = loadPiped(t, "1|" + text + "\n", true);

        assertEquals(1, reply.get("NumberLoadedRows").asLong(), reply::toString);
        assertEquals(stored, e.rows(DB, t).get(0).get("v"));
    }

    @Test
    void wrongCsvColumnCountIsFilteredInBothModesWithTheRawLine() {
        for (boolean strict : new boolean[] {true, false}) {
            String t = table("INT", true);
            JsonNode reply = loadPiped(t, "1|2|3\n4\n5|6\n", strict);

            assertEquals(3, reply.get("NumberTotalRows").asLong());
            assertEquals(2, reply.get("NumberFilteredRows").asLong());
            assertEquals(List.of(Map.of("id", 5L, "v", 6L)), e.rows(DB, t));
            String log = Fixtures.errorLog(reply.get("ErrorURL").asText());
            assertEquals("Error: Target column count: 2 doesn't match source value column count: 3. "
                    + "Column separator: '|', Row delimiter: '\\n'. Row: 1|2|3\n"
                    + "Error: Target column count: 2 doesn't match source value column count: 1. "
                    + "Column separator: '|', Row delimiter: '\\n'. Row: 4\n", log);
        }
    }

    @Test
    void malformedJsonIsFilteredWithAnEmptyRow() {
        String t = table("INT", true);
        JsonNode reply = Fixtures.load(e, t, "{\"id\":1,\"v\":2}\n{\"id\":2,\"v\":\n{\"id\":3,\"v\":4}\n",
                "format", "json", "max_filter_ratio", "1");

        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(1, reply.get("NumberFilteredRows").asLong());
        assertEquals(2, reply.get("NumberLoadedRows").asLong());
        String log = Fixtures.errorLog(reply.get("ErrorURL").asText());
        assertTrue(log.startsWith("Error: Failed to parse string to json. code="), log);
        assertTrue(log.endsWith(". Row: \n"), log);
        assertEquals(2, e.rowCount(DB, t));
    }

    /**
     * JSON numbers are read exactly, never through a double: StarRocks hands DECIMAL and LARGEINT
     * columns the number's text (and parses exponents for DECIMAL, not for LARGEINT), and BIGINT
     * reads a number with an exponent as a double.
     */
    @Test
    void jsonNumbersAreReadExactly() {
        String name = "numbers_" + TABLES.incrementAndGet();
        e.createTable(TableDefinition.builder(DB, name).column("id", "INT", false)
                .column("d10", "DECIMAL(38,10)", true).column("d0", "DECIMAL(38,0)", true)
                .column("big", "LARGEINT", true).column("n", "BIGINT", true).duplicateKey("id").build());
        JsonNode reply = Fixtures.load(e, name, "{\"id\":1,\"d10\":1234567890123456789.0123456789,"
                        + "\"d0\":12345678901234567890123456789012345678,\"big\":170141183460469231731687303715884105727,"
                        + "\"n\":1E+2}\n"
                        + "{\"id\":2,\"d10\":12345678.1234567891,\"d0\":1.5e3,\"big\":-170141183460469231731687303715884105728,"
                        + "\"n\":-0}\n"
                        + "{\"id\":3,\"big\":1E+2}\n",
                "format", "json", "strict_mode", "true", "max_filter_ratio", "1");

        assertEquals(1, reply.get("NumberFilteredRows").asLong(), reply::toString);
        assertEquals("Error: Value '1E+2' is out of range. The type of 'big' is LARGEINT. Row: {\"id\":3,\"big\":1E+2}\n",
                Fixtures.errorLog(reply.get("ErrorURL").asText()));
        List<Map<String, Object>> rows = e.rows(DB, name);
        assertEquals(new BigDecimal("1234567890123456789.0123456789"), rows.get(0).get("d10"));
        assertEquals(new BigDecimal("12345678901234567890123456789012345678"), rows.get(0).get("d0"));
        assertEquals(new BigInteger("170141183460469231731687303715884105727"), rows.get(0).get("big"));
        assertEquals(100L, rows.get(0).get("n"));
        assertEquals(new BigDecimal("12345678.1234567891"), rows.get(1).get("d10"));
        assertEquals(new BigDecimal("1500"), rows.get(1).get("d0"));
        assertEquals(new BigInteger("-170141183460469231731687303715884105728"), rows.get(1).get("big"));
        assertEquals(0L, rows.get(1).get("n"));
    }

    @Test
    void jsonValuesAreCheckedLikeCsvValues() {
        String t = table("TINYINT", true);
        JsonNode reply = Fixtures.load(e, t, "{\"id\":1,\"v\":300}\n{\"id\":2,\"v\":\"x\"}\n{\"id\":3,\"v\":7}\n{\"v\":1}\n",
                "format", "json", "strict_mode", "true", "max_filter_ratio", "1");

        assertEquals(4, reply.get("NumberTotalRows").asLong());
        assertEquals(3, reply.get("NumberFilteredRows").asLong());
        assertEquals(List.of(Map.of("id", 3L, "v", 7L)), e.rows(DB, t));
        String log = Fixtures.errorLog(reply.get("ErrorURL").asText());
        assertEquals("Error: Value '300' is out of range. The type of 'v' is TINYINT. Row: {\"id\":1,\"v\":300}\n"
                + "Error: Value 'x' is out of range. The type of 'v' is TINYINT. Row: {\"id\":2,\"v\":\"x\"}\n"
                + "Error: NULL value in non-nullable column 'id'. Row: {\"v\":1}\n", log);
    }
}
