package io.streamload.emulator.load;

import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.ValueConversionException;

/** One source row, CSV fields or a JSON object, seen through the field names of the column mapping. */
interface SourceRow {
    /** True when the field exists in the source (a missing JSON key does not). */
    boolean has(String field);

    /** True when the field is an explicit NULL ({@code \N} in CSV, {@code null} in JSON) or missing. */
    boolean isNull(String field);

    /** The field converted for a column. */
    Object convert(String field, Column column) throws ValueConversionException;

    /** The field as plain text (for {@code __op}, delete signs and conditions). */
    String text(String field);

    /** The row as the error log prints it. */
    String render();
}
