package io.streamload.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Creates and keeps track of the threads a task starts, named
 * {@code streamload-<connector>-<task>-<role>-<n>} so a thread dump (and the leak test) tells
 * whose they are. {@link #joinAll} lets {@code stop()} return only once every one has ended: an
 * executor's {@code awaitTermination} returns slightly before its threads are gone.
 *
 * <p>The threads log with the logging context of the thread that made this (the task's, where
 * Connect sets {@code connector.context}, {@code [name|task-0]}): Log4j 2, which Kafka 4 logs
 * through, does not pass it on to new threads as reload4j (Kafka 3) does, and a load's lines
 * would otherwise not say whose they are.
 */
final class TaskThreads implements ThreadFactory {

    static final String PREFIX = "streamload-";
    private static final Logger log = LoggerFactory.getLogger(TaskThreads.class);

    private final String namePrefix;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> started = new ArrayList<>();
    private final Map<String, String> logContext;

    TaskThreads(String connector, String task) {
        this.namePrefix = PREFIX + connector + "-" + task + "-";
        this.logContext = MDC.getCopyOfContextMap();
    }

    /** A factory for threads of one role, for example {@code load}. */
    ThreadFactory forRole(String role) {
        return runnable -> {
            Thread thread = new Thread(withLogContext(runnable), namePrefix + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            synchronized (started) {
                started.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
                started.add(thread);
            }
            return thread;
        };
    }

    @Override
    public Thread newThread(Runnable runnable) {
        return forRole("worker").newThread(runnable);
    }

    private Runnable withLogContext(Runnable runnable) {
        if (logContext == null || logContext.isEmpty()) {
            return runnable;
        }
        return () -> {
            MDC.setContextMap(logContext);
            try {
                runnable.run();
            } finally {
                MDC.clear();
            }
        };
    }

    /** Waits until every thread started here has ended, at most {@code timeout} in all. */
    void joinAll(Duration timeout) {
        List<Thread> threads;
        synchronized (started) {
            threads = new ArrayList<>(started);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                log.error("Thread {} did not end; it is left behind", thread.getName());
            }
        }
    }
}
