package io.streamload.connect.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.test.TestCondition;
import org.apache.kafka.test.TestUtils;

/** Waiting helpers: every wait is on a condition, bounded. */
public final class Conditions {

    private Conditions() {
    }

    public static void waitFor(TestCondition condition, Duration timeout, String what) throws InterruptedException {
        TestUtils.waitForCondition(condition, timeout.toMillis(), what);
    }

    /**
     * Asserts that {@code violation} does not become true within {@code period}: polls it, and
     * fails as soon as it does. The only way to check that something does not happen.
     */
    public static void assertNeverWithin(Duration period, BooleanSupplier violation, String what)
            throws InterruptedException {
        try {
            TestUtils.waitForCondition(violation::getAsBoolean, period.toMillis(), "");
        } catch (AssertionError expected) {
            return;
        }
        fail(what);
    }

    /** Names of live threads starting with {@code prefix}. */
    public static Set<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
    }
}
