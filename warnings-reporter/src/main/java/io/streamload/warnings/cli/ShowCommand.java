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
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code show "SHOW LOAD WARNINGS ..."}: the rejected rows of a job or label. */
@CommandLine.Command(name = "show", sortOptions = false,
        header = "SHOW LOAD WARNINGS [FROM db] [WHERE LABEL = \"x\" | LOAD_JOB_ID = n] [LIMIT n]",
        customSynopsis = {
                "warnings-reporter show [--json] [connection options] \"SHOW LOAD WARNINGS [FROM db]",
                "           [WHERE LABEL = \\\"label\\\" | WHERE LOAD_JOB_ID = n] [LIMIT n]\""},
        description = {
                "Prints the rejected rows (JobId, Label, ErrorMsgDetail). Keywords in any case.",
                "FROM db filters the target database the rows were going to. When a label has several jobs"
                        + " (retries), the latest job's rows are shown. Without LIMIT, at most 100 rows.",
                "A statement that does not parse is reported with its position, exit code 2."},
        footer = StoreOptions.PASSWORD_ORDER)
final class ShowCommand implements Command {
    private final CliContext context;

    @Parameters(paramLabel = "STATEMENT", arity = "0..*",
            description = "the statement: one (quoted) argument, or several words")
    List<String> statementWords = new ArrayList<>();

    @Option(names = "--json", description = "print a JSON array instead of a table")
    boolean json;

    @Mixin
    StoreOptions store;

    ShowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (statementWords.isEmpty()) {
            throw new UsageException("give the statement, e.g. show \"SHOW LOAD WARNINGS WHERE LABEL = \\\"x\\\"\"");
        }
        // The statement may come as one quoted argument or as several words.
        String statement = String.join(" ", statementWords);
        ShowLoadWarnings query;
        try {
            query = ShowLoadWarningsParser.parse(statement);
        } catch (StatementParseException e) {
            context.err().println(Masking.mask(e.describe()));
            return USAGE;
        }
        WarningsStoreConfig config = StoreSettings.from(StoreOptions.flags(store), context.environment()).config().build();
        List<WarningRow> rows;
        try (Connection connection = StoreConnections.of(config).open()) {
            rows = new WarningsReader(config.location()).show(connection, query);
        }
        if (json) {
            context.out().println(JsonViews.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(JsonViews.warnings(rows)));
        } else {
            TextTable table = new TextTable("JobId", "Label", "ErrorMsgDetail");
            rows.forEach(row -> table.add(row.jobId(), row.label(), row.errorMsgDetail()));
            table.print(context.out());
        }
        return OK;
    }
}
