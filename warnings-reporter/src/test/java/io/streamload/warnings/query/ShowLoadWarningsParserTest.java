package io.streamload.warnings.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShowLoadWarningsParserTest {

    @Test
    void bareStatementShowsTheLatestHundredRows() throws Exception {
        assertEquals(new ShowLoadWarnings(null, null, null, 100), ShowLoadWarningsParser.parse("SHOW LOAD WARNINGS"));
    }

    @Test
    void everyClauseInAnyCase() throws Exception {
        assertEquals(new ShowLoadWarnings("shop", "orders-17", null, 5),
                ShowLoadWarningsParser.parse("show Load warnings from shop where label = \"orders-17\" limit 5;"));
        assertEquals(new ShowLoadWarnings(null, null, 42L, 100),
                ShowLoadWarningsParser.parse("SHOW LOAD WARNINGS WHERE LOAD_JOB_ID = 42"));
        assertEquals(new ShowLoadWarnings("my db", "it's", null, 100),
                ShowLoadWarningsParser.parse("SHOW\nLOAD\tWARNINGS FROM `my db` WHERE LABEL='it\\'s'"));
        assertEquals(new ShowLoadWarnings(null, null, null, 7), ShowLoadWarningsParser.parse("  SHOW LOAD WARNINGS LIMIT 7 ;  "));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                                     | 1  | the statement must start with SHOW LOAD WARNINGS, found end of statement",
            "SELECT * FROM load_errors                              | 1  | the statement must start with SHOW LOAD WARNINGS, found 'SELECT'",
            "SHOW LOAD ERRORS                                       | 11 | expected WARNINGS after SHOW LOAD, found 'ERRORS'",
            "SHOW LOAD WARNINGS FROM                                | 24 | expected a database name after FROM, found end of statement",
            "SHOW LOAD WARNINGS WHERE LABEL x                       | 32 | expected '=' after LABEL, found 'x'",
            "SHOW LOAD WARNINGS WHERE LABEL = 17                    | 34 | expected a quoted label after LABEL =, found '17'",
            "SHOW LOAD WARNINGS WHERE LOAD_JOB_ID = \"7\"           | 40 | expected a job id (a number) after LOAD_JOB_ID =, found '7'",
            "SHOW LOAD WARNINGS WHERE STATE = \"x\"                 | 26 | expected LABEL or LOAD_JOB_ID after WHERE, found 'STATE'",
            "SHOW LOAD WARNINGS WHERE LABEL = \"a\" AND LOAD_JOB_ID = 1 | 38 | only one condition is allowed: LABEL = \"...\" or LOAD_JOB_ID = n",
            "SHOW LOAD WARNINGS LIMIT 0                             | 26 | LIMIT must be between 1 and 2147483647",
            "SHOW LOAD WARNINGS LIMIT ten                           | 26 | expected a number after LIMIT, found 'ten'",
            "SHOW LOAD WARNINGS LIMIT 5 LIMIT 6                     | 28 | expected end of statement, found 'LIMIT'",
            "SHOW LOAD WARNINGS WHERE LABEL = \"x\" FROM db         | 38 | expected LIMIT or end of statement, found 'FROM'",
            "SHOW LOAD WARNINGS WHERE LABEL = \"x                   | 34 | unterminated \"-quoted text",
            "SHOW LOAD WARNINGS; DROP TABLE load_errors             | 21 | expected FROM, WHERE, LIMIT or end of statement, found 'DROP'",
            "SHOW LOAD WARNINGS WHERE LABEL = \"x\" # comment       | 38 | unexpected character '#'",
    })
    void malformedStatementsPointAtTheProblem(String statement, int position, String reason) {
        StatementParseException e = assertThrows(StatementParseException.class,
                () -> ShowLoadWarningsParser.parse(statement.trim()));
        assertEquals(reason, e.reason());
        assertEquals(position, e.position(), () -> "position in: " + statement.trim());
    }

    @Test
    void theDescriptionPutsACaretUnderThePosition() {
        StatementParseException e = assertThrows(StatementParseException.class,
                () -> ShowLoadWarningsParser.parse("SHOW LOAD WARNINGS WHERE LABEL x"));
        String[] lines = e.describe().split(System.lineSeparator());
        assertEquals("parse error at position 32: expected '=' after LABEL, found 'x'", lines[0]);
        assertEquals("  SHOW LOAD WARNINGS WHERE LABEL x", lines[1]);
        assertEquals(lines[1].indexOf(" x") + 1, lines[2].indexOf('^'));
        assertTrue(lines[2].endsWith("^"));
    }
}
