package io.streamload.warnings.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * What a command may touch: its output streams, the environment, and the signal that ends
 * {@code serve}. Passing these in (instead of System.out and System.getenv) lets tests run the
 * CLI in-process and read what it printed.
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> environment, CountDownLatch shutdown) {
}
