package io.streamload.connect.testing;

import java.util.concurrent.atomic.AtomicLong;

import io.streamload.connect.load.TaskClock;

/**
 * A clock whose time moves only when the code under test waits: each sleep returns at once and
 * moves the time on by its length. Retry budgets and backoffs then take no real time, and what
 * they waited can be asserted exactly.
 */
public final class ManualClock implements TaskClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();
    private final AtomicLong sleeps = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted");
        }
        sleeps.incrementAndGet();
        slept.addAndGet(millis);
        nanos.addAndGet(millis * 1_000_000L);
    }

    /** Milliseconds waited in all. */
    public long sleptMillis() {
        return slept.get();
    }

    /** How many waits there were. */
    public long sleeps() {
        return sleeps.get();
    }
}
