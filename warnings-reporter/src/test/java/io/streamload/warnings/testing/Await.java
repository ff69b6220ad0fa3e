package io.streamload.warnings.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition instead of sleeping a guessed time: polls it until true or the timeout. */
public final class Await {
    private Await() {
    }

    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
            failure.initCause(last);
        }
        throw failure;
    }
}
