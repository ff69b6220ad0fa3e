package io.streamload.connect.dialect;

import java.util.Locale;
import java.util.Optional;

/** The state of a load label as {@code get_load_state} reports it. */
public enum LabelState {
    /** No load with this label is known (never started, or forgotten). */
    UNKNOWN,
    PREPARE,
    PREPARED,
    /** Doris two-phase commit: written, waiting for commit. */
    PRECOMMITTED,
    COMMITTED,
    VISIBLE,
    /** Rolled back; the label is free again. */
    ABORTED;

    /** True when the load's rows are in the table (or will be without further action). */
    public boolean isLoaded() {
        return this == COMMITTED || this == VISIBLE;
    }

    /** True while the load may still commit or abort on its own. */
    public boolean isInProgress() {
        return this == PREPARE || this == PREPARED || this == PRECOMMITTED;
    }

    public static Optional<LabelState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
