package io.streamload.connect.dialect;

/**
 * How a table keeps rows with the same key, as far as loading cares: only a keyed table (StarRocks
 * primary key, Doris unique key) can apply deletes and partial updates.
 */
public enum TableModel {
    /** StarRocks PRIMARY KEY, Doris UNIQUE KEY: one row per key, deletes apply. */
    KEYED,
    /** Duplicate or aggregate key: every row is kept (or aggregated); a delete cannot apply. */
    NOT_KEYED;

    public boolean appliesDeletes() {
        return this == KEYED;
    }
}
