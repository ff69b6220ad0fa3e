package io.streamload.connect.load;

import java.util.concurrent.TimeUnit;

/**
 * The time a task reads and the waits it makes: retry backoff, retry budgets by time, label
 * watches, recovery of transactions, FE health. Injected, so that tests of budgets and outages
 * run without real waiting.
 */
public interface TaskClock {

    /** The system's monotonic clock and real sleeps. */
    TaskClock SYSTEM = new TaskClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
    };

    /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code millis}; interrupted when the task stops. */
    void sleep(long millis) throws InterruptedException;
}
