package io.streamload.connect.encode;

/**
 * How change events become upserts and deletes.
 *
 * @param form the shape of the record values
 * @param deleteSignField the field each row carries for the target: 0 upsert, 1 delete
 *        (StarRocks {@code __op}, Doris {@code __DORIS_DELETE_SIGN__})
 * @param tombstones what a record with a null value does
 * @param deletes whether a delete removes the row or flags it
 * @param softDeleteColumn with soft deletes: the column set to true for a deleted row, false otherwise
 */
public record ChangeEventSettings(Form form, String deleteSignField, Tombstones tombstones, Deletes deletes,
                                  String softDeleteColumn) {

    /** Debezium's flattening transform rewrites deletes into a row with this field set to "true". */
    public static final String FLATTENED_DELETED_FIELD = "__deleted";

    /** The shape of change event values. */
    public enum Form {
        /** Debezium's envelope: {@code before}, {@code after}, {@code op} (c, r, u, d). */
        DEBEZIUM,
        /** One row per value (Debezium's {@code ExtractNewRecordState}); deletes as {@code __deleted} or tombstones. */
        FLATTENED
    }

    /** What a tombstone (null value) does. */
    public enum Tombstones {
        /** Nothing: Debezium sends one after each delete event, for log compaction. */
        IGNORE,
        /** Deletes the row whose key is the record key. */
        DELETE
    }

    /** What a delete does. */
    public enum Deletes {
        /** Removes the row. */
        HARD,
        /** Keeps the row with its last values and sets the soft delete column to true. */
        SOFT
    }
}
