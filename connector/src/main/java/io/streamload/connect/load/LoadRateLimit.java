package io.streamload.connect.load;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.streamload.connect.buffer.Batch;

/**
 * {@code load.max.rate}: at most this many loads per second per task, every attempt counted (a
 * retry is a load the target has to take as well). Each attempt reserves the next free slot, one
 * every {@code 1/rate} seconds, in the order attempts ask, and waits for it: first come, first
 * served, so the batch sealed first (the oldest, whichever table it is for) goes first and no
 * table starves behind a busy one. No burst is saved up while idle.
 *
 * <p>A {@link LoadProtocol} around the real one, so both delivery modes are limited alike.
 */
public final class LoadRateLimit implements LoadProtocol {

    private final LoadProtocol protocol;
    private final long slotNanos;
    private final TaskClock clock;

    // Guarded by this.
    private long nextSlotNanos;

    /**
     * @param loadsPerSecond the most loads per second; must be above zero
     */
    public LoadRateLimit(LoadProtocol protocol, double loadsPerSecond, TaskClock clock) {
        if (!(loadsPerSecond > 0)) {
            throw new IllegalArgumentException("load.max.rate must be above 0 to limit, not " + loadsPerSecond);
        }
        this.protocol = protocol;
        this.slotNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / loadsPerSecond));
        this.clock = clock;
        this.nextSlotNanos = clock.nanoTime();
    }

    /** The protocol as it is when {@code loadsPerSecond} is 0 (no limit), else limited. */
    public static LoadProtocol around(LoadProtocol protocol, double loadsPerSecond, TaskClock clock) {
        return loadsPerSecond > 0 ? new LoadRateLimit(protocol, loadsPerSecond, clock) : protocol;
    }

    @Override
    public Attempt send(Batch batch, Map<String, String> headers) throws InterruptedException {
        return send(batch, headers, Guard.NONE);
    }

    @Override
    public Attempt send(Batch batch, Map<String, String> headers, Guard guard) throws InterruptedException {
        awaitSlot();
        return protocol.send(batch, headers, guard);
    }

    /** As the limited protocol: limiting the rate changes nothing about what a retry may do. */
    @Override
    public boolean labelDecidesRetries() {
        return protocol.labelDecidesRetries();
    }

    /** Waits for this attempt's slot. */
    void awaitSlot() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = clock.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + slotNanos;
            waitNanos = slot - now;
        }
        if (waitNanos > 0) {
            clock.sleep(TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
        }
    }
}
