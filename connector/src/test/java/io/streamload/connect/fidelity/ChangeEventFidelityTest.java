package io.streamload.connect.fidelity;

import static io.streamload.connect.fidelity.SinkTaskDriver.DB;
import static io.streamload.connect.fidelity.SinkTaskDriver.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Change events through a real task into keyed tables of both targets: upserts and deletes by
 * the Debezium envelope and by the flattened form, tombstones, per-key order within one load,
 * soft deletes, partial updates, and the refusal of a duplicate key table at start.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class ChangeEventFidelityTest {

    private static final Map<Dialect, StreamLoadEmulator> EMULATORS = new TreeMap<>();
    private static final AtomicInteger TABLES = new AtomicInteger();

    static final Schema ROW = SchemaBuilder.struct().name("dbserver.inventory.customers.Value")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = SchemaBuilder.struct().name("dbserver.inventory.customers.Envelope")
            .field("before", ROW).field("after", ROW).field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    static final Schema FLAT = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__op", Schema.OPTIONAL_STRING_SCHEMA).field("__deleted", Schema.OPTIONAL_STRING_SCHEMA).build();

    @Parameter
    Dialect dialect;

    private String table;
    private long offset;

    @BeforeAll
    static void startEmulators() {
        for (Dialect d : Dialect.values()) {
            EMULATORS.put(d, StreamLoadEmulator.builder().dialect(d).credentials("root", "secret").start());
        }
    }

    @AfterAll
    static void stopEmulators() {
        EMULATORS.values().forEach(StreamLoadEmulator::close);
    }

    @BeforeEach
    void createTable() {
        table = "cdc" + TABLES.incrementAndGet();
        emulator().createTable(TableDefinition.builder(DB, table).column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true).column("__deleted", "BOOLEAN", true).primaryKey("id").build());
        offset = 0;
    }

    private StreamLoadEmulator emulator() {
        return EMULATORS.get(dialect);
    }

    private SinkRecord event(String op, Long beforeId, String beforeName, Long afterId, String afterName) {
        Struct envelope = new Struct(ENVELOPE).put("op", op).put("ts_ms", 1L);
        if (beforeId != null) {
            envelope.put("before", new Struct(ROW).put("id", beforeId).put("name", beforeName));
        }
        if (afterId != null) {
            envelope.put("after", new Struct(ROW).put("id", afterId).put("name", afterName));
        }
        long id = afterId != null ? afterId : beforeId;
        return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), ENVELOPE, envelope, offset++);
    }

    private SinkRecord tombstone(long id) {
        return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), null, null, offset++);
    }

    private SinkRecord flat(long id, String name, String op, String deleted) {
        return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), FLAT,
                new Struct(FLAT).put("id", id).put("name", name).put("__op", op).put("__deleted", deleted), offset++);
    }

    /** Stored rows as id=name, and soft delete flags where set. */
    private List<String> stored() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : emulator().rows(DB, table)) {
            out.add(row.get("id") + "=" + row.get("name") + (row.get("__deleted") == null ? "" : " deleted=" + row.get("__deleted")));
        }
        return out;
    }

    @Test
    void debeziumEnvelopeUpsertsAndDeletesInOrderWithinOneLoad() {
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, Map.of("cdc.mode", "debezium"))) {
            Map<?, OffsetAndMetadata> offsets = task.load(List.of(
                    event("r", null, null, 1L, "snap"),
                    event("c", null, null, 2L, "two"),
                    event("u", 1L, "snap", 1L, "one"),
                    event("c", null, null, 3L, "three"),
                    event("d", 3L, "three", null, null),      // upsert then delete: ends deleted
                    tombstone(3),                             // ignored by default
                    event("d", 2L, "two", null, null),
                    event("c", null, null, 2L, "again")));    // delete then insert: ends present
            assertEquals(Map.of(SinkTaskDriver.partition(0), new OffsetAndMetadata(8)), offsets);
        }
        assertEquals(List.of("1=one", "2=again"), stored());
    }

    @Test
    void flattenedRowsWithRewriteAndTombstonesAsDeletes() {
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table,
                Map.of("cdc.mode", "flattened", "cdc.tombstones", "delete"))) {
            task.load(List.of(flat(1, "a", "c", "false"), flat(2, "b", "c", "false"), flat(3, "c", "c", "false")));
            task.load(List.of(flat(1, "a", "d", "true"), tombstone(2), flat(3, "c2", "u", "false")));
        }
        assertEquals(List.of("3=c2"), stored(), "the record's own __op text never reaches the target");
    }

    @Test
    void softDeletesKeepTheRowAndSetTheFlag() {
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table,
                Map.of("cdc.mode", "debezium", "cdc.delete.mode", "soft"))) {
            task.load(List.of(event("c", null, null, 1L, "one"), event("c", null, null, 2L, "two"),
                    event("d", 2L, "two", null, null), tombstone(2)));
        }
        assertEquals(List.of("1=one deleted=false", "2=two deleted=true"), stored());
    }

    @Test
    void partialUpdateKeepsTheOtherColumns() {
        Schema scoreRow = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA)
                .field("__deleted", Schema.BOOLEAN_SCHEMA).build();
        try (SinkTaskDriver full = new SinkTaskDriver(emulator(), dialect, table, Map.of("cdc.mode", "debezium"))) {
            full.load(List.of(event("c", null, null, 1L, "kept")));
        }
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table,
                Map.of("partial.update", "true", "partial.update.columns", "id,__deleted"))) {
            task.load(List.of(new SinkRecord(TOPIC, 0, null, null, scoreRow,
                    new Struct(scoreRow).put("id", 1L).put("__deleted", true), 10)));
        }
        assertEquals(List.of("1=kept deleted=true"), stored());
    }

    @Test
    void aPartialUpdateWithoutAColumnListTakesEachRecordsOwnFields() {
        try (SinkTaskDriver full = new SinkTaskDriver(emulator(), dialect, table, Map.of("cdc.mode", "debezium"))) {
            full.load(List.of(event("c", null, null, 1L, "one"), event("c", null, null, 2L, "two")));
        }
        Map<String, Object> renameOne = new LinkedHashMap<>();
        renameOne.put("id", 1L);
        renameOne.put("name", "uno");
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, Map.of("partial.update", "true"))) {
            // Three column sets in one poll: each set is its own load, in record order.
            task.load(List.of(
                    new SinkRecord(TOPIC, 0, null, null, null, "{\"id\":2,\"__deleted\":true}", 10),
                    new SinkRecord(TOPIC, 0, null, null, null, renameOne, 11),
                    new SinkRecord(TOPIC, 0, null, null, null, "{\"id\":2,\"__deleted\":false}", 12),
                    new SinkRecord(TOPIC, 0, null, null, null, "{\"id\":3,\"name\":\"tres\"}", 13)));
        }
        assertEquals(List.of("1=uno", "2=two deleted=false", "3=tres"), stored());
    }

    @Test
    void aDuplicateKeyTableIsRefusedAtStart() {
        String duplicate = table + "_dup";
        emulator().createTable(TableDefinition.builder(DB, duplicate).column("id", "BIGINT", false)
                .column("name", "VARCHAR(16)", true).duplicateKey("id").build());
        ConnectException e = assertThrows(ConnectException.class,
                () -> new SinkTaskDriver(emulator(), dialect, duplicate, Map.of("cdc.mode", "debezium")).close());
        assertTrue(e.getMessage().contains("cdc.mode=debezium needs "
                + (dialect == Dialect.DORIS ? "unique key" : "primary key") + " tables, but " + duplicate
                + " is not one"), e.getMessage());
        assertEquals(0, emulator().loads().stream().filter(l -> duplicate.equals(l.table())).count(), "nothing loaded");
    }

    @Test
    void aRecordThatIsNotAnEnvelopeIsRefusedWithWhatToChange() {
        try (SinkTaskDriver task = new SinkTaskDriver(emulator(), dialect, table, Map.of("cdc.mode", "debezium"))) {
            ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(
                    new SinkRecord(TOPIC, 0, null, null, ROW, new Struct(ROW).put("id", 1L).put("name", "x"), 0))));
            assertTrue(e.getMessage().contains("not a Debezium change event") && e.getMessage().contains("cdc.mode=flattened"),
                    e.getMessage());
        }
    }
}
