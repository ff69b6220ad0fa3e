package io.streamload.warnings.cli;

import java.util.concurrent.Callable;

/**
 * One CLI command: its options are picocli annotations, {@code call} returns the exit code:
 * 0 done, 1 failed, 2 wrong usage.
 */
interface Command extends Callable<Integer> {
    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;
}
