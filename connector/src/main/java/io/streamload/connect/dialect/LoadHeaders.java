package io.streamload.connect.dialect;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamload.connect.config.DataConfig;
import io.streamload.connect.config.StreamLoadSinkConfig;

/**
 * The Stream Load headers every load of a task carries, composed in one order so that each part
 * sees the ones before it: the user's {@code load.properties.*}, then how the body is read, then
 * the partial update column list, then the delete sign (appended to a column list if there is
 * one), then the merge condition.
 */
public final class LoadHeaders {

    private LoadHeaders() {
    }

    public static Map<String, String> forConfig(StreamLoadSinkConfig config, StreamLoadDialect dialect) {
        Map<String, String> headers = new LinkedHashMap<>(config.loadProperties());
        headers.putAll(dialect.formatHeaders(config.format(), config.csvColumnSeparator(), config.csvRowDelimiter()));
        dialect.addCompressionHeaders(headers, config.format(), config.compression().codec());
        DataConfig data = config.data();
        // Without a fixed list, each batch carries the columns of its records (ColumnGrouping).
        if (data.partialUpdate() && !data.partialUpdateColumns().isEmpty()) {
            dialect.addPartialUpdateHeaders(headers, data.partialUpdateColumns());
        }
        if (data.changeEvents()) {
            dialect.addDeleteSignHeaders(headers);
        }
        if (!data.mergeConditionColumn().isEmpty()) {
            dialect.addMergeConditionHeaders(headers, data.mergeConditionColumn());
        }
        return headers;
    }
}
