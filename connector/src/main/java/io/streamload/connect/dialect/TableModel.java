package io.streamload.connect.dialect;

/**
 * How a table keeps rows with the same key, as far as loading cares: only a keyed table (StarRocks
 * primary key, Doris unique key) can apply deletes and partial updates, and only a duplicate key
 * table gives the same result whatever order its loads land in.
 */
public enum TableModel {
    /** StarRocks PRIMARY KEY, Doris UNIQUE KEY: one row per key, deletes apply, the last load wins. */
    KEYED,
    /**
     * Aggregate key, and StarRocks' older UNIQUE KEY model: rows of a key are combined (REPLACE keeps
     * the last one), so loads must land in order, but a delete cannot apply.
     */
    AGGREGATE,
    /** Duplicate key: every row is kept as it is; no delete applies and the order of loads does not matter. */
    DUPLICATE;

    public boolean appliesDeletes() {
        return this == KEYED;
    }

    /** Whether loads of this table may run side by side: no row can replace or combine with another. */
    public boolean loadsInAnyOrder() {
        return this == DUPLICATE;
    }
}
