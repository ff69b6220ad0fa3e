package io.streamload.quickstart;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the quickstart started, stopped in reverse order, once: the connector before the worker,
 * the worker and broker before the target and the warnings store they write to. Called from the
 * normal end and from the Ctrl-C hook, whichever comes first.
 */
final class Shutdown {

    private final Deque<Step> steps = new ArrayDeque<>();
    private final PrintStream out;
    private boolean done;

    interface Action {
        void run() throws Exception;
    }

    private record Step(String what, Action action) {
    }

    Shutdown(PrintStream out) {
        this.out = out;
    }

    synchronized void add(String what, Action action) {
        steps.push(new Step(what, action));
    }

    synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            try {
                step.action().run();
            } catch (Exception e) {
                out.println("  (stopping " + step.what() + " failed: " + e.getMessage() + ")");
            }
        }
    }
}
