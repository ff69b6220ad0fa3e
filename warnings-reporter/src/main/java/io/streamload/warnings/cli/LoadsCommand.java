package io.streamload.warnings.cli;

import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.query.LoadJobRow;
import io.streamload.warnings.query.LoadsQuery;
import io.streamload.warnings.query.WarningsReader;
import java.sql.Connection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code loads}: the load_jobs listing, newest first (the SHOW LOAD counterpart). */
@CommandLine.Command(name = "loads", sortOptions = false,
        header = "list Stream Loads from load_jobs, newest first",
        customSynopsis = "warnings-reporter loads [--label LABEL] [--table TABLE] [--limit N] [--json] [connection options]",
        description = "Lists loads with their status, row counts, Kafka offsets and ErrorURL, newest first.",
        footer = StoreOptions.PASSWORD_ORDER)
final class LoadsCommand implements Command {
    private final CliContext context;

    @Option(names = "--label", paramLabel = "LABEL", description = "only this label (all its retries)")
    String label;

    @Option(names = "--table", paramLabel = "TABLE", description = "only loads into this target table")
    String table;

    @Option(names = "--limit", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "at most N loads (default 100)")
    int limit = LoadsQuery.DEFAULT_LIMIT;

    @Option(names = "--json", description = "print a JSON array instead of a table")
    boolean json;

    @Mixin
    StoreOptions store;

    LoadsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        LoadsQuery query = new LoadsQuery(label, table, limit);
        WarningsStoreConfig config = StoreSettings.from(StoreOptions.flags(store), context.environment()).config().build();
        List<LoadJobRow> rows;
        try (Connection connection = StoreConnections.of(config).open()) {
            rows = new WarningsReader(config.location()).loads(connection, query);
        }
        if (json) {
            context.out().println(JsonViews.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(JsonViews.loads(rows)));
            return OK;
        }
        TextTable table = new TextTable("Label", "TxnId", "Db", "Table", "Status", "Total", "Loaded", "Filtered",
                "Unselected", "Bytes", "LoadTimeMs", "Offsets", "ErrorURL", "FinishedAt");
        for (LoadJobRow row : rows) {
            table.add(row.label(), row.transactionId(), row.database(), row.table(), row.status(), row.totalRows(),
                    row.loadedRows(), row.filteredRows(), row.unselectedRows(), row.loadBytes(), row.loadTimeMs(),
                    row.offsetRanges(), row.errorUrl(), row.finishedAt());
        }
        table.print(context.out());
        return OK;
    }
}
