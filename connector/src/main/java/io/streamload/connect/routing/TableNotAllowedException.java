package io.streamload.connect.routing;

import io.streamload.connect.encode.RecordEncodingException;

/**
 * A record names a table (through {@code table.field}) that {@code table.field.allowed} does not
 * allow: a bad record, reported or failing the task like one that cannot be encoded, and never
 * loaded.
 */
public final class TableNotAllowedException extends RecordEncodingException {

    private static final long serialVersionUID = 1L;

    private final String table;

    public TableNotAllowedException(String table, String message) {
        super(message);
        this.table = table;
    }

    /** The table the record names. */
    public String table() {
        return table;
    }
}
