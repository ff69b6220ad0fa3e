package io.streamload.warnings.cli;

import io.streamload.warnings.CleanupResult;
import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.StoreSchema;
import io.streamload.warnings.WarningsStoreConfig;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code cleanup}: one TTL pass. */
final class CleanupCommand implements Command {
    static final Set<String> TTL_OPTIONS = Set.of("retention", "batch-size");

    static final String TTL_HELP = """
              --retention DURATION   delete rows older than this, e.g. 7d, 12h, P7D (default 7d)
                                     (load.errors.retention, LOAD_ERRORS_RETENTION)
              --batch-size N         rows per DELETE statement (default 100)
                                     (load.errors.delete.batch.size, LOAD_ERRORS_DELETE_BATCH_SIZE)
            """;

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String summary() {
        return "delete expired rows once (TTL), in small batches";
    }

    @Override
    public String help() {
        return """
                Usage: warnings-reporter cleanup [--retention 7d] [--batch-size 100] [connection options]

                Deletes load_errors and load_jobs rows older than the retention, in batches by increasing
                id (never one large DELETE), and prints how many rows went.

                """ + TTL_HELP + StoreSettings.HELP;
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Set<String> options = new HashSet<>(StoreSettings.OPTIONS);
        options.addAll(TTL_OPTIONS);
        Arguments arguments = Arguments.parse(args, options, Set.of());
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + arguments.positionals().get(0) + "'");
        }
        WarningsStoreConfig config = ttlConfig(StoreSettings.from(arguments, context.environment()));
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
