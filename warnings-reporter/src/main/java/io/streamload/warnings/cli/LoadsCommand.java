package io.streamload.warnings.cli;

import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.query.LoadJobRow;
import io.streamload.warnings.query.LoadsQuery;
import io.streamload.warnings.query.WarningsReader;
import java.sql.Connection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code loads}: the load_jobs listing, newest first (the SHOW LOAD counterpart). */
final class LoadsCommand implements Command {
    @Override
    public String name() {
        return "loads";
    }

    @Override
    public String summary() {
        return "list Stream Loads from load_jobs, newest first";
    }

    @Override
    public String help() {
        return """
                Usage: warnings-reporter loads [--label LABEL] [--table TABLE] [--limit N] [--json] [connection options]

                Lists loads with their status, row counts, Kafka offsets and ErrorURL, newest first.

                  --label LABEL          only this label (all its retries)
                  --table TABLE          only loads into this target table
                  --limit N              at most N loads (default 100)
                  --json                 print a JSON array instead of a table
                """ + StoreSettings.HELP;
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Set<String> options = new HashSet<>(StoreSettings.OPTIONS);
        options.addAll(Set.of("label", "table", "limit"));
        Arguments arguments = Arguments.parse(args, options, Set.of("json"));
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + arguments.positionals().get(0) + "'");
        }
        LoadsQuery query = new LoadsQuery(arguments.get("label"), arguments.get("table"),
                arguments.intOption("limit", LoadsQuery.DEFAULT_LIMIT));
        WarningsStoreConfig config = StoreSettings.from(arguments, context.environment()).config().build();
        List<LoadJobRow> rows;
        try (Connection connection = StoreConnections.of(config).open()) {
            rows = new WarningsReader(config.location()).loads(connection, query);
        }
        if (arguments.has("json")) {
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
