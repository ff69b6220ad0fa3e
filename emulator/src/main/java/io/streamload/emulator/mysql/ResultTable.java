package io.streamload.emulator.mysql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What a statement answers: either an OK (no columns) or a text result set. */
public record ResultTable(List<String> columns, List<List<String>> rows) {

    static final ResultTable OK = new ResultTable(List.of(), List.of());

    static ResultTable of(List<String> columns, List<List<String>> rows) {
        return new ResultTable(List.copyOf(columns), rows);
    }

    static ResultTable row(List<String> columns, String... values) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(Arrays.asList(values));
        return new ResultTable(List.copyOf(columns), rows);
    }

    boolean isOk() {
        return columns.isEmpty();
    }
}
