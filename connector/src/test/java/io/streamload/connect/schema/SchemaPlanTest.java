package io.streamload.connect.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamload.connect.encode.RecordEncodingException;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** Which changes auto.evolve makes, and which it refuses. */
class SchemaPlanTest {

    private static SqlType t(String text) {
        return SqlType.parse(text);
    }

    @Test
    void widensOnlyWithinAKindAndNeverNarrows() {
        assertEquals(t("BIGINT"), SchemaPlan.wider(t("INT"), t("BIGINT"), false));
        SqlType bigint = t("bigint");
        assertSame(bigint, SchemaPlan.wider(bigint, t("INT"), false), "a narrower field fits as it is");
        assertEquals(t("DOUBLE"), SchemaPlan.wider(t("FLOAT"), t("DOUBLE"), false));
        assertEquals(t("VARCHAR(400)"), SchemaPlan.wider(t("VARCHAR(100)"), t("VARCHAR(400)"), true));
        SqlType short100 = t("varchar(100)");
        assertSame(short100, SchemaPlan.wider(short100, t("VARCHAR(65533)"), false),
                "no length known: the column stays");
        assertEquals(t("DECIMAL(20,2)"), SchemaPlan.wider(t("DECIMAL(10,2)"), t("DECIMAL(20,2)"), false));
        assertNull(SchemaPlan.wider(t("DECIMAL(10,2)"), t("DECIMAL(10,4)"), false), "more scale is not a widening");
        assertNull(SchemaPlan.wider(t("INT"), t("VARCHAR(65533)"), false), "text into INT");
        assertNull(SchemaPlan.wider(t("BIGINT"), t("DOUBLE"), false), "a float into an integer");
        assertNull(SchemaPlan.wider(t("DATE"), t("DATETIME"), false), "a datetime into a date");
        SqlType json = t("JSON");
        assertSame(json, SchemaPlan.wider(json, t("INT"), false));
    }

    @Test
    void aMissingFieldIsAddedAndAKeyColumnIsNeverWidened() throws Exception {
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("n", Schema.INT64_SCHEMA)
                .field("extra", Schema.OPTIONAL_STRING_SCHEMA).build();
        RowSchema row = RowSchema.of(new SinkRecord("t", 0, null, null, schema,
                new Struct(schema).put("id", 1L).put("n", 2L), 0), null);
        TableShape shape = TableShape.of(List.of(
                new TableShape.Column("id", t("INT"), "INT", false, true),
                new TableShape.Column("n", t("INT"), "INT", true, false)));
        RecordEncodingException keyed = assertThrows(RecordEncodingException.class,
                () -> SchemaPlan.between("db.t", shape, row));
        assertTrue(keyed.getMessage().contains("a key column"), keyed.getMessage());

        TableShape valueOnly = TableShape.of(List.of(
                new TableShape.Column("id", t("BIGINT"), "BIGINT", false, true),
                new TableShape.Column("N", t("INT"), "INT", true, false)));
        SchemaPlan plan = SchemaPlan.between("db.t", valueOnly, row);
        assertEquals(List.of(new SchemaPlan.NewColumn("extra", SqlType.varchar(SqlType.MAX_VARCHAR))), plan.adds());
        assertEquals(1, plan.widenings().size());
        assertEquals("ALTER TABLE `db`.`t` MODIFY COLUMN `N` BIGINT NULL",
                new TableDdl(false, 0, java.util.Map.of()).modifyColumn("db", "t", plan.widenings().get(0)));
    }
}
