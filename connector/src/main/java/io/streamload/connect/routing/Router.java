package io.streamload.connect.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.config.DataConfig;
import io.streamload.connect.config.TableAllowlist;
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
 * about for every record. A table a record names must be allowed by {@code table.field.allowed}.
 */
public final class Router {

    private final Map<String, String> explicit;
    private final String tableNameFormat;
    private final String tableField;
    private final TableAllowlist allowed;
    private final Map<String, String> resolved = new HashMap<>();
    /** Every table a topic routes to, so far; read by load threads. */
    private final Set<String> topicTables = ConcurrentHashMap.newKeySet();

    public Router(Map<String, String> explicit, String tableNameFormat) {
        this(explicit, tableNameFormat, "");
    }

    /**
     * A router whose records may name any table through {@code tableField}.
     *
     * @param tableField the value field naming the table, or empty
     */
    public Router(Map<String, String> explicit, String tableNameFormat, String tableField) {
        this(explicit, tableNameFormat, tableField, TableAllowlist.of(List.of(TableAllowlist.ANY), ""));
    }

    /**
     * @param tableField the value field naming the table, or empty
     * @param allowed the tables a record may name through {@code tableField}
     */
    public Router(Map<String, String> explicit, String tableNameFormat, String tableField, TableAllowlist allowed) {
        this.explicit = Map.copyOf(explicit);
        this.tableNameFormat = tableNameFormat;
        this.tableField = tableField == null ? "" : tableField;
        this.allowed = allowed;
        topicTables.addAll(this.explicit.values());
    }

    /** The table that this record is loaded into, whether the record may name it or not. */
    public String tableFor(SinkRecord record) {
        String named = namedTable(record);
        return named != null ? named : tableFor(record.topic());
    }

    /**
     * The table that this record is loaded into, once it is known to be one the record may name.
     *
     * @throws TableNotAllowedException when the record names a table outside {@code table.field.allowed}
     */
    public String allowedTableFor(SinkRecord record) throws TableNotAllowedException {
        String named = namedTable(record);
        if (named == null) {
            return tableFor(record.topic());
        }
        if (!allowed.allows(named)) {
            throw new TableNotAllowedException(named, "the record names table '" + named + "' in its field '"
                    + tableField + "', which " + DataConfig.TABLE_FIELD_ALLOWED + " (" + allowed + ") does not allow; "
                    + "add the table to " + DataConfig.TABLE_FIELD_ALLOWED + " if records may load into it, or correct "
                    + "the record's producer");
        }
        return named;
    }

    /**
     * True when only records name this table: no topic routes to it (so far). A table the target
     * does not know is then the fault of the records that named it, not of the configuration.
     * Safe to call from any thread.
     */
    public boolean namedOnlyByRecords(String table) {
        return !tableField.isEmpty() && !topicTables.contains(table);
    }

    /** The table the record's field names, or null when it names none. */
    private String namedTable(SinkRecord record) {
        if (tableField.isEmpty()) {
            return null;
        }
        String named = fieldValue(record.value());
        return named == null || named.isBlank() ? null : named.trim();
    }

    /** True when a record's table follows from its topic alone, not from a field of its value. */
    public boolean routesByTopicAlone() {
        return tableField.isEmpty();
    }

    /** The table that records of this topic are loaded into. */
    public String tableFor(String topic) {
        return resolved.computeIfAbsent(topic, t -> {
            String table = explicit.get(t);
            table = table != null ? table : TableNameFormat.apply(tableNameFormat, t);
            topicTables.add(table);
            return table;
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
