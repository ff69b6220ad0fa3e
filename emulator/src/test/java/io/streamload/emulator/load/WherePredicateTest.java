package io.streamload.emulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.emulator.dialect.DorisDialect;
import io.streamload.emulator.dialect.StarRocksDialect;
import io.streamload.emulator.table.TableDefinition;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The where condition on its own: parsing, the columns it names, and SQL's NULL logic on stored values. */
class WherePredicateTest {
    /** Stored forms: BIGINT as Long, DECIMAL as BigDecimal, DATE as text, BOOLEAN as Boolean. */
    private static final TableDefinition TABLE = TableDefinition.builder("db", "t")
            .column("id", "BIGINT", false)
            .column("price", "DECIMAL(10,2)", true)
            .column("day", "DATE", true)
            .column("null", "VARCHAR(8)", true)
            .column("active", "BOOLEAN", true)
            .duplicateKey("id")
            .build();

    private static boolean selects(String where, Object... row) throws LoadFailure {
        return WherePredicate.parse(where, new StarRocksDialect()).bind(TABLE).selects(row);
    }

    @Test
    void valuesCompareAsTheColumnsType() throws LoadFailure {
        Object[] row = {7L, new BigDecimal("9.50"), "2024-03-01", "x", true};
        assertTrue(selects("price = 9.5", row));
        assertTrue(selects("price > '9.4'", row));
        assertTrue(selects("day = '2024-3-1'", row), "the literal is read as a DATE");
        assertTrue(selects("day < '2024-03-02 00:00:00' OR day >= \"2025-01-01\"", row));
        assertTrue(selects("active = TRUE AND -1 < id", row));
        assertFalse(selects("price > 'cheap'", row), "a literal that is not a number compares as NULL");
    }

    @Test
    void aBackquotedNameIsAColumnEvenWhenItIsAKeyword() throws LoadFailure {
        assertTrue(selects("`null` = 'x'", 1L, null, null, "x", null));
        assertFalse(selects("`null` IS NULL", 1L, null, null, "x", null));
    }

    @Test
    void nullMakesComparisonsUnknownButNotIsNull() throws LoadFailure {
        Object[] row = {1L, null, null, null, null};
        assertFalse(selects("price = 1", row));
        assertFalse(selects("NOT price = 1", row), "NOT of unknown is unknown");
        assertTrue(selects("price = 1 OR id = 1", row));
        assertFalse(selects("price = 1 AND id = 1", row));
        assertTrue(selects("price IS NULL AND day IS NULL", row));
        assertFalse(selects("id NOT IN (2, NULL)", row));
        assertTrue(selects("id IN (1, NULL)", row));
    }

    @Test
    void unknownColumnsAreFoundWhenBound() throws LoadFailure {
        WherePredicate p = WherePredicate.parse("id = 1 OR Price > 2 OR nope < 3", new StarRocksDialect());
        LoadFailure e = assertThrows(LoadFailure.class, () -> p.bind(TABLE));
        assertEquals("unknown column in where statement. the column 'nope' in where clause must be in the target table.",
                e.getMessage());
    }

    @Test
    void syntaxErrorsSayWhereTheParserStopped() {
        LoadFailure sr = assertThrows(LoadFailure.class,
                () -> WherePredicate.parse("id IN (1, 2", new StarRocksDialect()));
        assertEquals("Getting syntax error at line 1, column 11. Detail message: Unexpected input '<EOF>', "
                + "the most similar input is {')'}.", sr.getMessage());

        LoadFailure doris = assertThrows(LoadFailure.class, () -> WherePredicate.parse("id > ", new DorisDialect()));
        assertEquals(ErrorCode.ANALYSIS_ERROR, doris.code());
        assertEquals("TStatus: errCode = 2, detailMessage = Syntax error in line 1:\nWHERE id > \n"
                + "           ^\nEncountered: EOF\nExpected: a legal identifier", doris.getMessage());

        assertThrows(LoadFailure.class, () -> WherePredicate.parse("upper(id) = 'A'", new StarRocksDialect()));
        assertThrows(LoadFailure.class, () -> WherePredicate.parse("id + 1 = 2", new StarRocksDialect()));
        assertThrows(LoadFailure.class, () -> WherePredicate.parse("id LIKE 'a%'", new StarRocksDialect()));
    }
}
