package io.streamload.warnings.cli;

import java.util.List;

/** One CLI command. {@code run} returns the exit code: 0 done, 1 failed, 2 wrong usage. */
interface Command {
    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;

    String name();

    /** One line for the command list. */
    String summary();

    /** The full --help text. */
    String help();

    int run(List<String> args, CliContext context) throws Exception;
}
