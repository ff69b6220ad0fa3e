package io.streamload.emulator.load;

/**
 * The life of a label. PREPARE: receiving data; PREPARED: two-phase, waiting for commit (Doris calls
 * it PRECOMMITTED); COMMITTED: durable, not yet visible (Publish Timeout); VISIBLE: done; ABORTED:
 * failed or rolled back, the label is free again.
 */
public enum LoadState {
    PREPARE, PREPARED, COMMITTED, VISIBLE, ABORTED;

    public boolean finished() {
        return this == COMMITTED || this == VISIBLE;
    }

    public boolean running() {
        return this == PREPARE || this == PREPARED;
    }
}
