package io.streamload.emulator.table;

/**
 * How rows with equal keys combine. Duplicate key tables keep every row; primary key tables keep the
 * latest row per key and apply deletes (Doris' UNIQUE KEY tables behave the same way here).
 */
public enum TableModel {
    DUPLICATE_KEY, PRIMARY_KEY
}
