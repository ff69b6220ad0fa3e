package io.streamload.quickstart;

import java.util.List;
import java.util.Map;

/**
 * The quickstart's command line. Defaults run everything on loopback against the emulator; the
 * {@code --load-url}/{@code --user}/{@code --password} trio points the connector at a real
 * StarRocks or Doris FE instead.
 */
record QuickstartOptions(boolean keepRunning, boolean interactive, int restPort, int emulatorPort, int mysqlPort,
                         int records, String loadUrl, String user, String password, String target, String database) {

    static final String HELP = """
            Usage: ./quickstart.sh [options]

            Runs a Kafka broker, a Connect worker (REST on localhost), the StarRocks emulator and MariaDB
            in one process, loads sample orders (a few of them bad) through the sink connector, and prints
            what landed, what was rejected and why.

              --keep-running        leave everything up after the summary; Ctrl-C stops it
              --non-interactive     plain progress lines instead of a live counter (for logs and tests)
              --records N           orders to produce (default 1000; 8 of them are bad)
              --rest-port P         Connect REST port (default 8083)
              --emulator-port P     emulator FE port (default 8030)
              --mysql-port P        MariaDB port for the warnings store (default 3307)
              --load-url URL        a real FE (http://host:8030) instead of the emulator; create the
                                    table first (the quickstart prints its DDL)
              --target T            starrocks (default) or doris, with --load-url
              --user U              load user, with --load-url (default root)
              --password-env NAME   read the load user's password from environment variable NAME
              --password P          the load user's password (visible to other users of this machine:
                                    prefer --password-env)
              --database D          target database (default demo)
              --help                this text
            """;

    static QuickstartOptions parse(List<String> args, Map<String, String> environment) {
        boolean keepRunning = false;
        boolean interactive = System.console() != null;
        int restPort = 8083;
        int emulatorPort = 8030;
        int mysqlPort = 3307;
        int records = 1000;
        String loadUrl = null;
        String user = "root";
        String password = "";
        String target = "starrocks";
        String database = "demo";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--keep-running" -> keepRunning = true;
                case "--non-interactive" -> interactive = false;
                case "--records" -> records = number(arg, value(args, ++i, arg), 1);
                case "--rest-port" -> restPort = number(arg, value(args, ++i, arg), 0);
                case "--emulator-port" -> emulatorPort = number(arg, value(args, ++i, arg), 0);
                case "--mysql-port" -> mysqlPort = number(arg, value(args, ++i, arg), 0);
                case "--load-url" -> loadUrl = value(args, ++i, arg);
                case "--user" -> user = value(args, ++i, arg);
                case "--password" -> password = value(args, ++i, arg);
                case "--password-env" -> {
                    String name = value(args, ++i, arg);
                    password = environment.get(name);
                    if (password == null) {
                        throw new IllegalArgumentException("--password-env " + name + ": that environment variable is not set");
                    }
                }
                case "--target" -> {
                    target = value(args, ++i, arg).toLowerCase(java.util.Locale.ROOT);
                    if (!target.equals("starrocks") && !target.equals("doris")) {
                        throw new IllegalArgumentException("--target must be starrocks or doris, got '" + target + "'");
                    }
                }
                case "--database" -> database = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "' (see --help)");
            }
        }
        if (loadUrl == null && !target.equals("starrocks")) {
            throw new IllegalArgumentException("--target applies to --load-url; the emulator runs as StarRocks");
        }
        return new QuickstartOptions(keepRunning, interactive, restPort, emulatorPort, mysqlPort, records, loadUrl,
                user, password, target, database);
    }

    boolean usesEmulator() {
        return loadUrl == null;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "QuickstartOptions[target=" + target + ", loadUrl=" + (loadUrl == null ? "emulator" : loadUrl)
                + ", user=" + user + ", records=" + records + "]";
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value (see --help)");
        }
        return args.get(index);
    }

    private static int number(String option, String text, int min) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= 65_535 || option.equals("--records") && value >= min) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number"
                + (option.equals("--records") ? " of at least 1" : " between 0 and 65535") + ", got '" + text + "'");
    }
}
