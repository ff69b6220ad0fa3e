package io.streamload.connect.load;

import java.time.Duration;

/**
 * How long a load's fate may stay open: {@code max.retries} resends after the first attempt, and
 * no resend once {@code retry.max.time.ms} has passed since the first failed attempt (zero: no
 * bound by time), with the backoff between them.
 */
public record RetryBudget(int maxRetries, Duration maxTime, Backoff backoff) {

    /** Why no further retry is allowed, or null when retry number {@code retry} may wait {@code delayMs} and go. */
    String exhausted(int retry, long spentMs, long delayMs) {
        if (!maxTime.isZero() && spentMs + delayMs > maxTime.toMillis()) {
            return "after retrying for " + spentMs + " ms (retry.max.time.ms " + maxTime.toMillis() + ")";
        }
        if (retry > maxRetries) {
            return "after " + retry + " attempts (max.retries " + maxRetries + ")";
        }
        return null;
    }
}
