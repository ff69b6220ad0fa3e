package io.streamload.connect.schema;

import io.streamload.connect.encode.ChangeEventSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The columns a record's row has, as its schema declares them, and the key columns its record key
 * names. Where the row comes from follows the encoder: a Struct value; with {@code cdc.mode=debezium}
 * the envelope's {@code after} (or {@code before}) image; with {@code cdc.mode=flattened} the value
 * without Debezium's {@code __deleted}. Soft deletes add their BOOLEAN column.
 *
 * @param fields the row's fields, in schema order
 * @param keys the columns the record key names (a Struct key whose fields are all row fields), or empty
 */
public record RowSchema(List<Field> fields, List<String> keys) {

    /**
     * The row schema of a record, or null when its value carries no Struct schema (schemaless
     * values, strings, bytes, tombstones): such a record tells nothing about columns.
     *
     * @param cdc the change event settings, or null when records are plain rows
     */
    public static RowSchema of(SinkRecord record, ChangeEventSettings cdc) {
        Schema valueSchema = record.valueSchema();
        if (valueSchema == null || valueSchema.type() != Schema.Type.STRUCT || record.value() == null) {
            return null;
        }
        Schema rowSchema = valueSchema;
        if (cdc != null && cdc.form() == ChangeEventSettings.Form.DEBEZIUM) {
            Field after = valueSchema.field("after");
            Field before = valueSchema.field("before");
            Field image = after != null ? after : before;
            if (image == null || image.schema().type() != Schema.Type.STRUCT) {
                return null;
            }
            rowSchema = image.schema();
        }
        List<Field> fields = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            if (cdc != null && (f.name().equalsIgnoreCase(cdc.deleteSignField())
                    || cdc.form() == ChangeEventSettings.Form.FLATTENED
                            && f.name().equals(ChangeEventSettings.FLATTENED_DELETED_FIELD))) {
                continue;
            }
            fields.add(f);
        }
        if (cdc != null && cdc.deletes() == ChangeEventSettings.Deletes.SOFT
                && fields.stream().noneMatch(f -> f.name().equalsIgnoreCase(cdc.softDeleteColumn()))) {
            fields.add(new Field(cdc.softDeleteColumn(), fields.size(), Schema.OPTIONAL_BOOLEAN_SCHEMA));
        }
        return new RowSchema(List.copyOf(fields), keysOf(record, fields));
    }

    private static List<String> keysOf(SinkRecord record, List<Field> fields) {
        Schema keySchema = record.keySchema();
        if (keySchema == null || keySchema.type() != Schema.Type.STRUCT || !(record.key() instanceof Struct)
                || keySchema.fields().isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (Field k : keySchema.fields()) {
            if (fields.stream().noneMatch(f -> f.name().equals(k.name()))) {
                return List.of(); // the key is not made of row columns: it names no key columns
            }
            keys.add(k.name());
        }
        return List.copyOf(keys);
    }

    /** The field named so, or null. */
    public Field field(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
