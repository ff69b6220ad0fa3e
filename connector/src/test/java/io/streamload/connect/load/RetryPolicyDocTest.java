package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** docs/retry-policy.md lists every row of the outcome table, in order, with its kind. */
class RetryPolicyDocTest {

    @Test
    void theDocumentedTableIsTheTableInCode() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "retry-policy.md"), StandardCharsets.UTF_8);
        int number = 0;
        for (OutcomeTable.Row row : OutcomeTable.ROWS) {
            number++;
            String expected = "| " + number + " | " + row.name() + " | `" + row.kind() + "` |";
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(expected)),
                    "docs/retry-policy.md lacks the line starting with: " + expected);
        }
    }
}
