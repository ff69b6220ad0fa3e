package io.streamload.warnings.cli;

import io.streamload.warnings.CleanupResult;
import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.StoreSchema;
import io.streamload.warnings.WarningsStoreConfig;
import java.sql.Connection;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cleanup}: one TTL pass. */
@CommandLine.Command(name = "cleanup", sortOptions = false,
        header = "delete expired rows once (TTL), in small batches",
        customSynopsis = "warnings-reporter cleanup [--retention 7d] [--batch-size 100] [connection options]",
        description = {"Deletes load_errors and load_jobs rows older than the retention, in batches by increasing"
                + " id (never one large DELETE), and prints how many rows went."},
        footer = StoreOptions.PASSWORD_ORDER)
final class CleanupCommand implements Command {
    /** The TTL options of {@code cleanup} and {@code serve}; like the connection, also from the file or the environment. */
    static final class TtlOptions {
        @Option(names = "--retention", paramLabel = "DURATION", description = {
                "delete rows older than this, e.g. 7d, 12h, P7D (default 7d)",
                "(load.errors.retention, LOAD_ERRORS_RETENTION)"})
        String retention;

        @Option(names = "--batch-size", paramLabel = "N", description = {
                "rows per DELETE statement (default 100)",
                "(load.errors.delete.batch.size, LOAD_ERRORS_DELETE_BATCH_SIZE)"})
        String batchSize;

        /** The store's flags and these, for {@link StoreSettings}. */
        Map<String, String> flags(StoreOptions store) {
            Map<String, String> flags = StoreOptions.flags(store);
            StoreOptions.put(flags, "retention", retention);
            StoreOptions.put(flags, "batch-size", batchSize);
            return flags;
        }
    }

    private final CliContext context;

    @Mixin
    TtlOptions ttlOptions;

    @Mixin
    StoreOptions store;

    CleanupCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        WarningsStoreConfig config = ttlConfig(StoreSettings.from(ttlOptions.flags(store), context.environment()));
        CleanupResult result;
        try (Connection connection = StoreConnections.of(config).open()) {
            // The scheduled passes accept a database not created yet; a command names what it cleans.
            new StoreSchema(config.location()).requireDatabase(connection);
            result = ExpiredRowsCleaner.of(config).runOnce(connection);
        }
        context.out().printf("Deleted %d rows older than %s from %s (%d from %s, %d from %s) in %d DELETE statements%n",
                result.rowsDeleted(), config.retention(), config.location().database(),
                result.errorRowsDeleted(), config.location().errorsTable(),
                result.jobRowsDeleted(), config.location().jobsTable(), result.deleteStatements());
        return OK;
    }

    static WarningsStoreConfig ttlConfig(StoreSettings settings) throws UsageException {
        return settings.config()
                .retention(settings.duration("retention", "load.errors.retention", WarningsStoreConfig.DEFAULT_RETENTION))
                .deleteBatchSize(settings.positive("batch-size", "load.errors.delete.batch.size",
                        WarningsStoreConfig.DEFAULT_DELETE_BATCH_SIZE))
                .build();
    }
}
