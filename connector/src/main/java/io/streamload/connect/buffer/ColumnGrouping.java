package io.streamload.connect.buffer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.encode.RecordEncodingException;

/**
 * Whether a table's records are loaded in groups by the columns they carry, and the headers
 * that tell the target each group's columns. Only a partial update that takes its columns from
 * the records groups; otherwise every record of a table shares one load.
 */
public final class ColumnGrouping {

    /** Every record of a table in the same load. */
    public static final ColumnGrouping NONE = new ColumnGrouping(null, columns -> Map.of());

    /** Names the columns of a record. */
    @FunctionalInterface
    public interface Columns {
        List<String> of(SinkRecord record) throws RecordEncodingException;
    }

    private final Columns columns;
    private final Function<List<String>, Map<String, String>> headers;

    /**
     * @param columns names a record's columns
     * @param headers the load headers for a group's columns
     */
    public ColumnGrouping(Columns columns, Function<List<String>, Map<String, String>> headers) {
        this.columns = columns;
        this.headers = headers;
    }

    /** The record's columns, or an empty list when records are not grouped. */
    List<String> columnsOf(SinkRecord record) throws RecordEncodingException {
        return columns == null ? List.of() : columns.of(record);
    }

    Map<String, String> headersFor(List<String> groupColumns) {
        return groupColumns.isEmpty() ? Map.of() : Map.copyOf(headers.apply(groupColumns));
    }
}
