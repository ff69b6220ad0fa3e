package io.streamload.connect.load;

/**
 * A batch given up because every partition of its records was closed (revoked in a rebalance)
 * before its load ended, and {@code close.max.wait.ms} has passed: no further attempt is made,
 * since the partitions' new owner loads those records again, and an attempt of the old owner
 * landing later would load them twice. Only this batch ends; the task and its other loads go on.
 */
public final class BatchRevokedException extends InterruptedException {

    private static final long serialVersionUID = 1L;

    public BatchRevokedException(String message) {
        super(message);
    }
}
