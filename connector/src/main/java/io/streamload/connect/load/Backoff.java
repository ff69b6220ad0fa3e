package io.streamload.connect.load;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff, capped, with "equal jitter": the n-th wait is drawn between half and all
 * of {@code min(max, initial * 2^(n-1))}. The random half keeps the tasks of a connector (and
 * several connectors) from retrying in lockstep after a shared outage; the fixed half keeps the
 * waits growing.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With a chosen source of randomness in [0, 1), for tests. */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.random = random;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public long delayMs(int retry) {
        int exponent = Math.min(Math.max(retry, 1) - 1, 40);
        long ceiling = initialMs << exponent;
        if (ceiling <= 0 || ceiling > maxMs) {
            ceiling = maxMs;
        }
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half));
    }

    public long maxMs() {
        return maxMs;
    }
}
