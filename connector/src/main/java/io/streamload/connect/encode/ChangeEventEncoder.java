package io.streamload.connect.encode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Change events as rows that upsert or delete: each row is the record's image plus the
 * target's delete sign (see {@link ChangeEventSettings#deleteSignField()}).
 *
 * <ul>
 *   <li>Debezium envelope: {@code op} c (create), r (snapshot read) and u (update) upsert the
 *   {@code after} image; d deletes by the {@code before} image (or by the record key when
 *   {@code before} is null); t (truncate) and m (message) make no row.</li>
 *   <li>Flattened ({@code ExtractNewRecordState}): the value is the row; {@code __deleted} true
 *   (its {@code delete.handling.mode=rewrite}) makes it a delete.</li>
 *   <li>Tombstones are ignored or delete by the record key.</li>
 *   <li>Soft deletes keep the row: a delete becomes an upsert of the old image with the soft
 *   delete column true, and every upsert sets it false.</li>
 * </ul>
 *
 * <p>Rows keep the record order in the body, and the target applies a load's rows in order, so
 * an upsert then a delete of one key in one batch ends deleted and a delete then an insert ends
 * present. Fields the record carries under the name of the delete sign (Debezium's
 * {@code add.fields=op} writes {@code __op} as c/u/d text) are replaced by the connector's own.
 */
public final class ChangeEventEncoder implements RowEncoder {

    private static final int UPSERT = 0;
    private static final int DELETE = 1;

    private final ChangeEventSettings settings;
    private final JsonValueWriter values;
    private final JsonValueWriter.FieldFilter ownFields;

    public ChangeEventEncoder(ChangeEventSettings settings, ValueSettings valueSettings) {
        this.settings = settings;
        this.values = new JsonValueWriter(valueSettings, JsonRowEncoder.FACTORY);
        this.ownFields = name -> name.equalsIgnoreCase(settings.deleteSignField())
                || settings.form() == ChangeEventSettings.Form.FLATTENED
                        && name.equals(ChangeEventSettings.FLATTENED_DELETED_FIELD)
                || settings.deletes() == ChangeEventSettings.Deletes.SOFT
                        && name.equals(settings.softDeleteColumn());
    }

    @Override
    public boolean skips(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return settings.tombstones() == ChangeEventSettings.Tombstones.IGNORE;
        }
        if (settings.form() == ChangeEventSettings.Form.DEBEZIUM) {
            Object op = field(envelope(value), "op");
            return "t".equals(op) || "m".equals(op);
        }
        return false;
    }

    @Override
    public void encode(SinkRecord record, OutputStream out) throws RecordEncodingException, IOException {
        try (JsonGenerator g = JsonRowEncoder.FACTORY.createGenerator(out)) {
            Object value = record.value();
            if (value == null) {
                if (record.key() == null) {
                    throw new RecordEncodingException("a tombstone without a key cannot delete anything; "
                            + "set cdc.tombstones=ignore");
                }
                writeRow(g, record.keySchema(), record.key(), true);
                return;
            }
            if (settings.form() == ChangeEventSettings.Form.DEBEZIUM) {
                encodeEnvelope(g, record, envelope(value));
            } else {
                encodeFlattened(g, record, value);
            }
        } catch (DataException | ClassCastException e) {
            throw new RecordEncodingException("the change event does not match its schema: " + e.getMessage(), e);
        }
    }

    private void encodeEnvelope(JsonGenerator g, SinkRecord record, Object envelope)
            throws IOException, RecordEncodingException {
        Object op = field(envelope, "op");
        if (!(op instanceof String)) {
            throw new RecordEncodingException("the value is not a Debezium change event (it has no op field); "
                    + "set cdc.mode=flattened for ExtractNewRecordState output, or cdc.mode=none for plain rows");
        }
        switch ((String) op) {
            case "c", "r", "u" -> {
                Object after = field(envelope, "after");
                if (after == null) {
                    throw new RecordEncodingException("the change event (op " + op + ") has no after image");
                }
                writeRow(g, fieldSchema(envelope, "after"), after, false);
            }
            case "d" -> {
                Object before = field(envelope, "before");
                if (before != null) {
                    writeRow(g, fieldSchema(envelope, "before"), before, true);
                } else if (record.key() != null) {
                    writeRow(g, record.keySchema(), record.key(), true);
                } else {
                    throw new RecordEncodingException("the delete event has neither a before image nor a key; "
                            + "give the source table a primary key or replica identity");
                }
            }
            default -> throw new RecordEncodingException("the change event has op '" + op
                    + "'; known ops are c, r, u, d (t and m make no row)");
        }
    }

    private void encodeFlattened(JsonGenerator g, SinkRecord record, Object value)
            throws IOException, RecordEncodingException {
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new RecordEncodingException("a change event row needs a Struct or a Map, not a "
                    + value.getClass().getSimpleName() + "; use a converter that gives structured values");
        }
        if (field(value, "op") instanceof String && (field(value, "after") != null || field(value, "before") != null)) {
            throw new RecordEncodingException("the value is a Debezium envelope, not a flattened row; "
                    + "set cdc.mode=debezium, or add the ExtractNewRecordState transform");
        }
        Object deleted = field(value, ChangeEventSettings.FLATTENED_DELETED_FIELD);
        boolean delete = Boolean.TRUE.equals(deleted) || "true".equalsIgnoreCase(String.valueOf(deleted));
        writeRow(g, record.valueSchema(), value, delete);
    }

    private void writeRow(JsonGenerator g, Schema schema, Object image, boolean delete)
            throws IOException, RecordEncodingException {
        g.writeStartObject();
        if (image instanceof Struct struct) {
            values.writeFields(g, struct, ownFields);
        } else if (image instanceof Map<?, ?> map) {
            values.writeEntries(g, schema == null ? null : schema.valueSchema(), map, ownFields);
        } else {
            throw new RecordEncodingException("a row image must be a Struct or a Map, not a "
                    + image.getClass().getSimpleName() + " (a primitive record key cannot name the key column; "
                    + "use a Struct key or cdc.tombstones=ignore)");
        }
        if (settings.deletes() == ChangeEventSettings.Deletes.SOFT) {
            g.writeBooleanField(settings.softDeleteColumn(), delete);
            g.writeNumberField(settings.deleteSignField(), UPSERT);
        } else {
            g.writeNumberField(settings.deleteSignField(), delete ? DELETE : UPSERT);
        }
        g.writeEndObject();
    }

    /** The envelope inside a value, unwrapping JSON-with-schema read without schemas ({@code payload}). */
    private static Object envelope(Object value) {
        if (value instanceof Map<?, ?> map && map.containsKey("payload") && map.containsKey("schema")) {
            return map.get("payload");
        }
        return value;
    }

    private static Object field(Object container, String name) {
        if (container instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        if (container instanceof Map<?, ?> map) {
            return map.get(name);
        }
        return null;
    }

    private static Schema fieldSchema(Object container, String name) {
        if (container instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : field.schema();
        }
        return null;
    }
}
