package io.streamload.connect.fidelity;

import static io.streamload.connect.fidelity.SinkTaskDriver.DB;
import static io.streamload.connect.fidelity.SinkTaskDriver.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/** Records routed by a renamed topic, by a value field, and into another database; offsets by the original partition. */
class RoutingTest {

    @Test
    void renamedTopicsFieldsAndQualifiedTables() {
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(Dialect.STARROCKS)
                .credentials("root", "secret").start()) {
            for (String[] t : new String[][] {{DB, "renamed_t"}, {DB, "by_field"}, {"other", "elsewhere"}}) {
                emulator.createTable(TableDefinition.builder(t[0], t[1]).column("id", "BIGINT", false)
                        .column("target", "VARCHAR(32)", true).duplicateKey("id").build());
            }
            SinkRecord original = new SinkRecord(TOPIC, 0, null, null, null, Map.of("id", 1), 41);
            // What RegexRouter hands the task: a new topic, the original coordinates kept.
            SinkRecord renamed = original.newRecord("renamed", 0, null, null, null, Map.of("id", 1), null);
            SinkRecord byField = new SinkRecord(TOPIC, 0, null, null, null, Map.of("id", 2, "target", "by_field"), 42);
            SinkRecord qualified = new SinkRecord(TOPIC, 0, null, null, null,
                    Map.of("id", 3, "target", "other.elsewhere"), 43);
            try (SinkTaskDriver task = new SinkTaskDriver(emulator, Dialect.STARROCKS, "unused",
                    Map.of("topic2table.map", "renamed:renamed_t", "table.field", "target",
                            "table.field.allowed", "by_field,other.elsewhere",
                            "transforms", "rename",
                            "transforms.rename.type", "org.apache.kafka.connect.transforms.RegexRouter"))) {
                Map<?, OffsetAndMetadata> offsets = task.load(List.of(renamed, byField, qualified));
                assertEquals(Map.of(SinkTaskDriver.partition(0), new OffsetAndMetadata(44)), offsets,
                        "offsets of the partition the records were consumed from");
            }
            assertEquals(1, emulator.rowCount(DB, "renamed_t"));
            assertEquals(1, emulator.rowCount(DB, "by_field"));
            assertEquals(1, emulator.rowCount("other", "elsewhere"));
        }
    }
}
