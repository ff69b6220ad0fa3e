package io.streamload.connect.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.streamload.connect.load.FeSelector;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.schema.DdlConnection;
import io.streamload.connect.schema.ShowCreateTable;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/** The model query against the emulator's FE, as StarRocks and Doris answer it. */
class TableModelLookupTest {

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
            try (StreamLoadClient client = client(dialect, fes, "db", "secret");
                 StreamLoadClient wrongClient = client(dialect, fes, "db", "wrong");
                 StreamLoadClient elsewhere = client(dialect, fes, "elsewhere", "secret")) {
                TableModelLookup models = new TableModelLookup(dialect, client);
                TableModelLookup wrongPassword = new TableModelLookup(dialect, wrongClient);
                TableModelLookup otherDatabase = new TableModelLookup(dialect, elsewhere);
                assertEquals(Optional.of(TableModel.DUPLICATE), models.modelOf("events"));
                assertEquals(Optional.of(TableModel.KEYED), models.modelOf("users"));
                assertEquals(Optional.empty(), models.modelOf("missing"));
                assertEquals(Optional.empty(), wrongPassword.modelOf("events"), "no answer is not a model");
                assertEquals(Optional.of(TableModel.KEYED), otherDatabase.modelOf("db.users"), "qualified: its database");
                assertEquals(Optional.empty(), otherDatabase.modelOf("users"), "not qualified: the client's database");
            }
        }
    }

    /** An FE that serves neither _schema nor _get_ddl: SHOW CREATE TABLE on its MySQL port tells instead. */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void withoutTheHttpApiTheMysqlPortsShowCreateTableTells(Dialect target) {
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(target).credentials("root", "secret")
                .mysqlPort(0).tableMetadataOverHttp(false).start()) {
            emulator.createTable(TableDefinition.builder("db", "events").column("id", "BIGINT", false)
                    .duplicateKey("id").build());
            emulator.createTable(TableDefinition.builder("db", "users").column("id", "BIGINT", false)
                    .primaryKey("id").build());
            StreamLoadDialect dialect = StreamLoadDialects.forTarget(target.name().toLowerCase(Locale.ROOT));
            List<URI> fes = List.of(URI.create(emulator.feUrl()));
            String url = "jdbc:mysql://127.0.0.1:" + emulator.mysqlPort() + "/";
            try (StreamLoadClient client = client(dialect, fes, "db", "secret");
                 ShowCreateTable mysql = new ShowCreateTable(new DdlConnection(url, "root", "secret",
                         Map.of("sslMode", "DISABLED"), Duration.ofSeconds(2), Duration.ofSeconds(10)));
                 ShowCreateTable wrongPassword = new ShowCreateTable(new DdlConnection(url, "root", "wrong",
                         Map.of("sslMode", "DISABLED"), Duration.ofSeconds(2), Duration.ofSeconds(10)))) {
                assertEquals(Optional.empty(), new TableModelLookup(dialect, client).modelOf("users"),
                        "the HTTP API alone does not tell");
                TableModelLookup models = new TableModelLookup(dialect, client, mysql);
                assertEquals(Optional.of(TableModel.DUPLICATE), models.modelOf("events"));
                assertEquals(Optional.of(TableModel.KEYED), models.modelOf("users"));
                assertEquals(Optional.of(TableModel.KEYED), models.modelOf("db.users"));
                assertEquals(Optional.empty(), models.modelOf("missing"));
                assertEquals(Optional.empty(), new TableModelLookup(dialect, client, wrongPassword).modelOf("users"),
                        "a refused login is no answer, not a model");
            }
        }
    }

    private static StreamLoadClient client(StreamLoadDialect dialect, List<URI> fes, String database,
                                           String password) {
        return new StreamLoadClient(dialect, new FeSelector(fes), database, "root", password,
                new StreamLoadClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        null, 4, "test"),
                runnable -> {
                    Thread thread = new Thread(runnable, "test-deadline");
                    thread.setDaemon(true);
                    return thread;
                });
    }
}
