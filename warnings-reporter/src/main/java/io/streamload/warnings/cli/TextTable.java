package io.streamload.warnings.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table in the style of the mysql client, so SHOW LOAD WARNINGS looks as it would there. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    void add(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            // One row per line: line breaks inside an error message would break the table.
            row.add(cell == null ? "NULL" : cell.toString().replace("\r", "\\r").replace("\n", "\\n"));
        }
        rows.add(row);
    }

    void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        String border = border(widths);
        out.println(border);
        out.println(line(headers, widths));
        out.println(border);
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
        out.println(border);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows") + " in set");
    }

    private static String border(int[] widths) {
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width + 2)).append('+');
        }
        return line.toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) {
            String cell = cells.get(i);
            line.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length())).append(" |");
        }
        return line.toString();
    }
}
