package io.streamload.connect.load;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.offset.OffsetLedger;

/**
 * Whether the task may still load a batch's records. Not once the partitions they came from were
 * closed: a rebalance gave them to another owner, or to this task again, and then Kafka delivers
 * them again from the committed offset.
 */
public interface Ownership {

    /** Every batch stays owned: for a task whose partitions never move (tests). */
    Ownership ALWAYS = new Ownership() {
        @Override
        public boolean revoked(Batch whole) {
            return false;
        }

        @Override
        public boolean whileOwned(Batch whole, OffsetLedger.Action<InterruptedException> write)
                throws InterruptedException {
            write.run();
            return true;
        }
    };

    /** True when no new attempt of {@code whole} (a batch sealed from the buffers) may start. */
    boolean revoked(Batch whole);

    /**
     * Runs {@code write} unless {@code whole} is revoked, and keeps its partitions from being
     * closed until it returns: what it writes is there before any later owner of them looks.
     *
     * @return false, without running it, when {@code whole} is revoked
     */
    boolean whileOwned(Batch whole, OffsetLedger.Action<InterruptedException> write) throws InterruptedException;
}
