package io.streamload.warnings.cli;

import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.query.JsonViews;
import io.streamload.warnings.query.ShowLoadWarnings;
import io.streamload.warnings.query.ShowLoadWarningsParser;
import io.streamload.warnings.query.StatementParseException;
import io.streamload.warnings.query.WarningRow;
import io.streamload.warnings.query.WarningsReader;
import java.sql.Connection;
import java.util.List;
import java.util.Set;

/** {@code show "SHOW LOAD WARNINGS ..."}: the rejected rows of a job or label. */
final class ShowCommand implements Command {
    @Override
    public String name() {
        return "show";
    }

    @Override
    public String summary() {
        return "SHOW LOAD WARNINGS [FROM db] [WHERE LABEL = \"x\" | LOAD_JOB_ID = n] [LIMIT n]";
    }

    @Override
    public String help() {
        return """
                Usage: warnings-reporter show [--json] [connection options] "SHOW LOAD WARNINGS [FROM db]
                           [WHERE LABEL = \\"label\\" | WHERE LOAD_JOB_ID = n] [LIMIT n]"

                Prints the rejected rows (JobId, Label, ErrorMsgDetail). Keywords in any case.
                FROM db filters the target database the rows were going to. When a label has several
                jobs (retries), the latest job's rows are shown. Without LIMIT, at most 100 rows.
                A statement that does not parse is reported with its position, exit code 2.

                  --json                 print a JSON array instead of a table
                """ + StoreSettings.HELP;
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Arguments arguments = Arguments.parse(args, StoreSettings.OPTIONS, Set.of("json"));
        if (arguments.positionals().isEmpty()) {
            throw new UsageException("give the statement, e.g. show \"SHOW LOAD WARNINGS WHERE LABEL = \\\"x\\\"\"");
        }
        // The statement may come as one quoted argument or as several words.
        String statement = String.join(" ", arguments.positionals());
        ShowLoadWarnings query;
        try {
            query = ShowLoadWarningsParser.parse(statement);
        } catch (StatementParseException e) {
            context.err().println(e.describe());
            return USAGE;
        }
        WarningsStoreConfig config = StoreSettings.from(arguments, context.environment()).config().build();
        List<WarningRow> rows;
        try (Connection connection = StoreConnections.of(config).open()) {
            rows = new WarningsReader(config.location()).show(connection, query);
        }
        if (arguments.has("json")) {
            context.out().println(JsonViews.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(JsonViews.warnings(rows)));
        } else {
            TextTable table = new TextTable("JobId", "Label", "ErrorMsgDetail");
            rows.forEach(row -> table.add(row.jobId(), row.label(), row.errorMsgDetail()));
            table.print(context.out());
        }
        return OK;
    }
}
