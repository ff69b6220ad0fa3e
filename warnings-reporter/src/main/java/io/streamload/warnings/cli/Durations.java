package io.streamload.warnings.cli;

import java.time.Duration;

import io.streamload.warnings.DurationText;

/** Duration flags ({@code 7d}, {@code 12h}, {@code P7D}, ...); a bad one is a usage error. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text, String what) throws UsageException {
        try {
            return DurationText.parse(text, what);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
