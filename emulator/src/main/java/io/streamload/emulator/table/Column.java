package io.streamload.emulator.table;

/** One declared column. */
public record Column(String name, ColumnType type, boolean nullable) {
}
