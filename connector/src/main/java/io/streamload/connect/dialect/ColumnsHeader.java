package io.streamload.connect.dialect;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code columns} Stream Load header: a comma-separated list, names in backquotes. */
final class ColumnsHeader {

    static final String NAME = "columns";

    private ColumnsHeader() {
    }

    static String of(List<String> columns) {
        return columns.stream().map(ColumnsHeader::quote).collect(Collectors.joining(","));
    }

    /** Appends {@code column} to a {@code columns} header the map already has; true if it had one. */
    static boolean appendIfPresent(Map<String, String> headers, String column) {
        String existing = headers.get(NAME);
        if (existing == null || existing.isBlank()) {
            return false;
        }
        headers.put(NAME, existing + "," + column);
        return true;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
