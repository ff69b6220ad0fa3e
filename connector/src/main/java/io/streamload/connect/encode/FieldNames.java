package io.streamload.connect.encode;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The field names of Struct schemas, quoted and UTF-8 encoded once: converters hand every record
 * of a topic the same Schema instance, so each name is escaped once per schema instead of once
 * per record. Bounded: a converter that makes a new Schema per record only costs the lookups.
 *
 * <p>Not thread-safe; it belongs to one {@link JsonValueWriter}.
 */
final class FieldNames {

    private static final int MAX_SCHEMAS = 64;

    private final Map<Schema, SerializableString[]> bySchema = new IdentityHashMap<>();

    /** The names of {@code schema}'s fields, in field order. */
    SerializableString[] of(Schema schema) {
        List<Field> fields = schema.fields();
        SerializableString[] names = bySchema.get(schema);
        // A SchemaBuilder is a Schema that can still grow: never trust a stale entry.
        if (names == null || names.length != fields.size()) {
            if (bySchema.size() >= MAX_SCHEMAS) {
                bySchema.clear();
            }
            names = new SerializableString[fields.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = new SerializedString(fields.get(i).name());
            }
            bySchema.put(schema, names);
        }
        return names;
    }
}
