package io.streamload.warnings.cli;

import io.streamload.warnings.MissingDatabaseException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code java -jar warnings-reporter.jar COMMAND ...}: SHOW LOAD WARNINGS, the load listing, TTL
 * cleanup, the HTTP service and the DLQ tools. Exit codes: 0 done, 1 failed (e.g. MySQL
 * unreachable), 2 wrong usage or a statement that does not parse.
 *
 * <p>Options, help and the completion script are picocli's, from the commands' annotations; the
 * error messages and exit codes are this class's.
 */
public final class WarningsReporterMain {
    static final String NAME = "warnings-reporter";
    /** The help section of the connection options. */
    private static final String STORE_OPTIONS = "storeOptionList";

    private WarningsReporterMain() {
    }

    public static void main(String[] args) {
        KafkaLogging.configure(args);
        CountDownLatch shutdown = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::countDown, "warnings-reporter-shutdown"));
        System.exit(run(args, System.out, System.err, System.getenv(), shutdown));
    }

    /** Runs one command line; returns the exit code. {@code shutdown} ends {@code serve}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
                          CountDownLatch shutdown) {
        CliContext context = new CliContext(out, err, environment, shutdown);
        CommandLine commandLine = commandLine(context);
        PrintWriter helpOut = writer(out);
        commandLine.setOut(helpOut);
        commandLine.setErr(writer(err));
        commandLine.setColorScheme(Help.defaultColorScheme(out == System.out ? Ansi.AUTO : Ansi.OFF));
        commandLine.setParameterExceptionHandler((e, arguments) -> usageError(e, context));
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> failure(e, failed, context));
        try {
            return commandLine.execute(args);
        } finally {
            helpOut.flush();
            out.flush();
            err.flush();
        }
    }

    /** The command tree, each command with the streams and environment of this run. */
    static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new Root(context))
                .addSubcommand(new ShowCommand(context))
                .addSubcommand(new LoadsCommand(context))
                .addSubcommand(new CleanupCommand(context))
                .addSubcommand(new ServeCommand(context))
                .addSubcommand(new CommandLine(new DlqCommand())
                        .addSubcommand(new DlqCommand.Show(context))
                        .addSubcommand(new DlqCommand.Backfill(context))
                        .addSubcommand(new DlqCommand.Replay(context)))
                .addSubcommand(new CompletionCommand(context))
                .addSubcommand(new HelpCommand(context));
        // Set on the whole tree (picocli copies these to the subcommands present now).
        commandLine.setExpandAtFiles(false);          // "@x" is a value like any other, not a file to read
        commandLine.setOverwrittenOptionsAllowed(true); // an option given twice: the last counts, as it always did
        commandLine.setUsageHelpWidth(100);
        commandLine.setUsageHelpLongOptionsMaxWidth(28);
        commandLine.setHelpFactory(SpaceSeparatedHelp::new);
        arrangeHelp(commandLine);
        return commandLine;
    }

    /**
     * Every command's help: no header (it is the command's line in its parent's command list, and
     * a help starts with "Usage:"), the connection options ({@link StoreOptions}) in a section of
     * their own, and a blank line before the description and before each list.
     */
    private static void arrangeHelp(CommandLine commandLine) {
        UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        keys.remove(UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
        keys.remove(UsageMessageSpec.SECTION_KEY_HEADER);
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, STORE_OPTIONS);
        usage.sectionKeys(keys);
        Map<String, IHelpSectionRenderer> sections = new HashMap<>(usage.sectionMap());
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options(help, false));
        sections.put(STORE_OPTIONS, help -> options(help, true));
        usage.sectionMap(sections);
        usage.descriptionHeading("%n");
        if (usage.parameterListHeading().isEmpty()) {
            usage.parameterListHeading("%n");
        }
        if (usage.optionListHeading().isEmpty()) {
            usage.optionListHeading("%nOptions:%n");
        }
        commandLine.getSubcommands().values().forEach(WarningsReporterMain::arrangeHelp);
    }

    /** The command's own options, or its connection options under their heading. */
    private static String options(Help help, boolean store) {
        List<OptionSpec> options = help.commandSpec().options().stream()
                .filter(option -> !option.hidden() && StoreOptions.declares(option) == store)
                .toList();
        if (options.isEmpty()) {
            return "";
        }
        String list = help.optionListExcludingGroups(options, help.createDefaultLayout(), null,
                help.parameterLabelRenderer());
        return store ? String.format(StoreOptions.HEADING) + list : list;
    }

    /** Wrong usage: what is wrong and where the help is, exit code 2. */
    private static int usageError(ParameterException e, CliContext context) {
        CommandLine wrong = e.getCommandLine();
        PrintStream err = context.err();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = Masking.mask(unmatched.getUnmatched().get(0));
            boolean option = argument.startsWith("-") && !argument.equals("-");
            if (!option && !wrong.getSubcommands().isEmpty()) {
                if (wrong.getParent() == null) {
                    err.println("unknown command '" + argument + "'");
                    wrong.usage(err, Ansi.OFF);
                    return Command.USAGE;
                }
                err.println("error: unknown command '" + argument + "'; " + wrong.getCommandName() + " has "
                        + String.join(", ", wrong.getSubcommands().keySet()));
            } else {
                err.println("error: " + (option ? "unknown option " + argument.split("=", 2)[0]
                        : "unexpected argument '" + argument + "'"));
                List<String> suggestions = unmatched.getSuggestions();
                if (option && !suggestions.isEmpty()) {
                    err.println("did you mean " + String.join(" or ", suggestions) + "?");
                }
            }
        } else if (e instanceof MissingParameterException missing
                && missing.getMissing().stream().allMatch(ArgSpec::isOption)) {
            // No option is required of picocli (the commands say what they need), so: an option without its value.
            err.println("error: " + ((OptionSpec) missing.getMissing().get(0)).longestName() + " needs a value");
        } else if (e.getCause() instanceof TypeConversionException invalid && e.getArgSpec() instanceof OptionSpec o) {
            // The converters' messages follow the option's name (see Converters).
            err.println("error: " + o.longestName() + " " + invalid.getMessage());
        } else {
            err.println("error: " + Masking.mask(String.valueOf(e.getMessage())));
        }
        err.println("see: " + wrong.getCommandSpec().qualifiedName() + " --help");
        return Command.USAGE;
    }

    /** A command failed: its message, with exit code 2 for wrong usage found late, else 1. */
    private static int failure(Exception e, CommandLine failed, CliContext context) {
        PrintStream err = context.err();
        if (e instanceof UsageException) {
            err.println("error: " + Masking.mask(String.valueOf(e.getMessage())));
            err.println("see: " + failed.getCommandSpec().qualifiedName() + " --help");
            return Command.USAGE;
        }
        if (e instanceof MissingDatabaseException) {
            err.println("error: " + e.getMessage() + ": check the /database of the URL, or --cluster-id (the "
                    + "connector's load.errors.cluster.id, by default the connector's name); the connector creates "
                    + "its database with its first load");
        } else if (e instanceof SQLException) {
            err.println("error: the warnings store failed: " + e.getMessage());
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        } else {
            err.println("error: " + Masking.mask(String.valueOf(e.getMessage())));
        }
        return Command.FAILED;
    }

    /** Picocli writes help to a PrintWriter: this one hands the text to the stream, which encodes it as it does the rest. */
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                stream.print(new String(text, offset, length));
            }

            @Override
            public void flush() {
                stream.flush();
            }

            @Override
            public void close() {
                stream.flush();
            }
        }, true);
    }

    /** The top: the command list, and the options every command takes. */
    @CommandLine.Command(name = NAME, sortOptions = false,
            customSynopsis = NAME + " [--verbose] COMMAND [options]   (COMMAND --help for details)",
            description = "Inspect rows the StarRocks/Doris sink rejected, kept in the MySQL warnings store.",
            commandListHeading = "%nCommands:%n",
            optionListHeading = "%nOptions (with any command):%n",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:done", "1:failed (e.g. MySQL unreachable, or the database does not exist)",
                    "2:wrong usage, or a statement that does not parse"})
    static final class Root implements Command {
        private final CliContext context;

        /** Read by {@code main} before anything logs (see {@link KafkaLogging}); declared here for parsing and help. */
        @Option(names = KafkaLogging.VERBOSE, scope = ScopeType.INHERIT, description = "also show Kafka's INFO logging (client settings,"
                + " connections)")
        boolean verbose;

        @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
        boolean help;

        Root(CliContext context) {
            this.context = context;
        }

        @Spec
        CommandSpec spec;

        /** No command: the overview, on stderr, and exit code 2. */
        @Override
        public Integer call() {
            spec.commandLine().usage(context.err(), Ansi.OFF);
            return Command.USAGE;
        }
    }

    /** {@code help [COMMAND...]}: the same as {@code --help}, for those who type it so. */
    @CommandLine.Command(name = "help", header = "show the help of warnings-reporter or of a command (help dlq replay)",
            customSynopsis = NAME + " help [COMMAND...]")
    static final class HelpCommand implements Command {
        private final CliContext context;

        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a command, e.g. show, or dlq replay")
        List<String> path = new ArrayList<>();

        @Spec
        CommandSpec spec;

        HelpCommand(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws UsageException {
            CommandLine target = spec.root().commandLine();
            for (String name : path) {
                target = target.getSubcommands().get(name);
                if (target == null) {
                    throw new UsageException("unknown command '" + Masking.mask(String.join(" ", path)) + "'");
                }
            }
            target.usage(context.out(), target.getColorScheme());
            return OK;
        }
    }

    /**
     * Help showing {@code --url URL} (as the README does) where picocli would show {@code --url=URL};
     * both forms are accepted on the command line.
     */
    private static final class SpaceSeparatedHelp extends Help {
        SpaceSeparatedHelp(CommandSpec spec, Help.ColorScheme colors) {
            super(spec, colors);
        }

        @Override
        public IParamLabelRenderer parameterLabelRenderer() {
            IParamLabelRenderer standard = super.parameterLabelRenderer();
            return new IParamLabelRenderer() {
                @Override
                public Ansi.Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<Ansi.IStyle> styles) {
                    if (arg.isOption() && arg.arity().max() == 1 && arg.arity().min() == 1) {
                        return ansi.apply(" ", List.of()).concat(ansi.apply(arg.paramLabel(), styles));
                    }
                    return standard.renderParameterLabel(arg, ansi, styles);
                }

                @Override
                public String separator() {
                    return " ";
                }
            };
        }
    }
}
