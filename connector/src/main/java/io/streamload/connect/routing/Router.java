package io.streamload.connect.routing;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.config.TableNameFormat;

/**
 * Decides the target table of a record, first rule that applies:
 * <ol>
 *   <li>the value field named by {@code table.field}, when the value has it (not blank);</li>
 *   <li>the explicit {@code topic2table.map} entry of the record's topic;</li>
 *   <li>{@code table.name.format} applied to the topic.</li>
 * </ol>
 * The topic is the one the record has now, after any renaming transform such as
 * {@code RegexRouter}: renaming is how users route with SMTs. (Offsets are tracked under the
 * original topic, see {@link RecordPosition}.) A table may be {@code db.table}
 * ({@link TargetTable}). Topic results are remembered, since the same few topics are asked
 * about for every record.
 */
public final class Router {

    private final Map<String, String> explicit;
    private final String tableNameFormat;
    private final String tableField;
    private final Map<String, String> resolved = new HashMap<>();

    public Router(Map<String, String> explicit, String tableNameFormat) {
        this(explicit, tableNameFormat, "");
    }

    /**
     * @param tableField the value field naming the table, or empty
     */
    public Router(Map<String, String> explicit, String tableNameFormat, String tableField) {
        this.explicit = Map.copyOf(explicit);
        this.tableNameFormat = tableNameFormat;
        this.tableField = tableField == null ? "" : tableField;
    }

    /** The table that this record is loaded into. */
    public String tableFor(SinkRecord record) {
        if (!tableField.isEmpty()) {
            String named = fieldValue(record.value());
            if (named != null && !named.isBlank()) {
                return named.trim();
            }
        }
        return tableFor(record.topic());
    }

    /** True when a record's table follows from its topic alone, not from a field of its value. */
    public boolean routesByTopicAlone() {
        return tableField.isEmpty();
    }

    /** The table that records of this topic are loaded into. */
    public String tableFor(String topic) {
        return resolved.computeIfAbsent(topic, t -> {
            String table = explicit.get(t);
            return table != null ? table : TableNameFormat.apply(tableNameFormat, t);
        });
    }

    /**
     * The tables known before any record arrives: every {@code topic2table.map} entry and the
     * tables of the listed topics. Tables named by a record field or reached through a topic
     * regex are known only when records come.
     */
    public java.util.Set<String> knownTables(java.util.Collection<String> topics) {
        java.util.Set<String> tables = new java.util.TreeSet<>(explicit.values());
        topics.forEach(topic -> tables.add(tableFor(topic)));
        return tables;
    }

    private String fieldValue(Object value) {
        Object named = null;
        if (value instanceof Struct struct) {
            Field field = struct.schema().field(tableField);
            named = field == null ? null : struct.get(field);
        } else if (value instanceof Map<?, ?> map) {
            named = map.get(tableField);
        }
        return named == null ? null : named.toString();
    }
}
