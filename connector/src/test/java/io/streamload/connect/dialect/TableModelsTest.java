package io.streamload.connect.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/** The model query against the emulator's FE, as StarRocks and Doris answer it. */
class TableModelsTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void eachTableTellsItsModelAndAnUnknownOneNothing(Dialect target) {
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(target).credentials("root", "secret")
                .start()) {
            emulator.createTable(TableDefinition.builder("db", "events").column("id", "BIGINT", false)
                    .duplicateKey("id").build());
            emulator.createTable(TableDefinition.builder("db", "users").column("id", "BIGINT", false)
                    .primaryKey("id").build());
            StreamLoadDialect dialect = StreamLoadDialects.forTarget(target.name().toLowerCase(Locale.ROOT));
            List<URI> fes = List.of(URI.create(emulator.feUrl()));
            try (TableModels models = new TableModels(dialect, fes, "db", "root", "secret", null);
                 TableModels wrongPassword = new TableModels(dialect, fes, "db", "root", "wrong", null)) {
                assertEquals(Optional.of(TableModel.DUPLICATE), models.modelOf("events"));
                assertEquals(Optional.of(TableModel.KEYED), models.modelOf("users"));
                assertEquals(Optional.empty(), models.modelOf("missing"));
                assertEquals(Optional.empty(), wrongPassword.modelOf("events"), "no answer is not a model");
            }
        }
    }
}
