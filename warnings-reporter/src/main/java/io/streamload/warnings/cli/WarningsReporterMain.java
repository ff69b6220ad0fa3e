package io.streamload.warnings.cli;

import io.streamload.warnings.MissingDatabaseException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar warnings-reporter.jar COMMAND ...}: SHOW LOAD WARNINGS, the load listing, TTL
 * cleanup, the HTTP service and the DLQ tools. Exit codes: 0 done, 1 failed (e.g. MySQL
 * unreachable), 2 wrong usage or a statement that does not parse.
 */
public final class WarningsReporterMain {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command command : List.of(new ShowCommand(), new LoadsCommand(), new CleanupCommand(), new ServeCommand(),
                new DlqCommand())) {
            COMMANDS.put(command.name(), command);
        }
    }

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
        // A global option, which main() has read before anything logged (see KafkaLogging).
        args = withoutVerbose(args);
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(overview());
            return args.length == 0 ? Command.USAGE : Command.OK;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("unknown command '" + args[0] + "'");
            err.print(overview());
            return Command.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.help());
            return Command.OK;
        }
        try {
            return command.run(rest, new CliContext(out, err, environment, shutdown));
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("see: warnings-reporter " + command.name() + " --help");
            return Command.USAGE;
        } catch (MissingDatabaseException e) {
            err.println("error: " + e.getMessage() + ": check the /database of the URL, or --cluster-id (the "
                    + "connector's load.errors.cluster.id, by default the connector's name); the connector creates "
                    + "its database with its first load");
            return Command.FAILED;
        } catch (SQLException e) {
            err.println("error: the warnings store failed: " + e.getMessage());
            return Command.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Command.FAILED;
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return Command.FAILED;
        }
    }

    private static String[] withoutVerbose(String[] args) {
        List<String> kept = new java.util.ArrayList<>();
        boolean optionsEnded = false;
        for (String arg : args) {
            optionsEnded |= arg.equals("--");
            if (optionsEnded || !arg.equals(KafkaLogging.VERBOSE)) {
                kept.add(arg);
            }
        }
        return kept.toArray(String[]::new);
    }

    private static String overview() {
        StringBuilder text = new StringBuilder("""
                Usage: warnings-reporter [--verbose] COMMAND [options]   (COMMAND --help for details)

                Inspect rows the StarRocks/Doris sink rejected, kept in the MySQL warnings store.

                Commands:
                """);
        COMMANDS.values().forEach(c -> text.append(String.format("  %-8s %s%n", c.name(), c.summary())));
        text.append("\nOptions (with any command):\n  --verbose  also show the Kafka clients' INFO logging (their settings, connections)\n");
        text.append("\nExit codes: 0 done, 1 failed, 2 wrong usage or unparsable statement.\n");
        return text.toString();
    }
}
