package io.streamload.connect.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Picks the FE for the next request and tracks each FE's health the way nginx's
 * {@code max_fails}/{@code fail_timeout} do: {@code maxFails} consecutive failures mark an FE
 * down for {@code failTimeout}; then it gets one request again, and one more failure marks it
 * down again at once, while a success makes it healthy. Requests go round robin over the
 * healthy FEs, so a dead FE costs a few requests per {@code failTimeout}, not every other one.
 *
 * <p>When every FE is down this does not refuse (that would be nginx's "no live upstreams"): it
 * returns the FE whose down period ends first, so the caller keeps trying, paced by its backoff,
 * until its retry budget is spent. What counts as a failure is the caller's call: an FE that
 * could not be reached or answered with a server error.
 *
 * <p>Thread safe; simple synchronized state, as loads are few and long compared to this.
 */
public final class FeSelector {

    /** nginx's defaults. */
    public static final int DEFAULT_MAX_FAILS = 3;
    public static final Duration DEFAULT_FAIL_TIMEOUT = Duration.ofSeconds(60);

    private final List<Fe> fes = new ArrayList<>();
    private final int maxFails;
    private final long failTimeoutNanos;
    private final LongSupplier nanoClock;
    private int next;

    public FeSelector(List<URI> fes) {
        this(fes, DEFAULT_MAX_FAILS, DEFAULT_FAIL_TIMEOUT, System::nanoTime);
    }

    /**
     * @param maxFails consecutive failures that mark an FE down; 0 never marks one down
     * @param failTimeout how long an FE stays down before it is tried again
     * @param nanoClock the time source, {@link System#nanoTime()} outside tests
     */
    public FeSelector(List<URI> fes, int maxFails, Duration failTimeout, LongSupplier nanoClock) {
        if (fes.isEmpty()) {
            throw new IllegalArgumentException("no FE to send loads to");
        }
        fes.forEach(uri -> this.fes.add(new Fe(uri)));
        this.maxFails = maxFails;
        this.failTimeoutNanos = failTimeout.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The next healthy FE in turn; when all are down, the one that comes back first. */
    public synchronized URI next() {
        return pick(List.of());
    }

    /**
     * Like {@link #next()}, skipping the FEs in {@code tried} while any other is left: a request
     * that could not reach one FE goes on to a different one.
     */
    public synchronized URI next(Collection<URI> tried) {
        return pick(tried);
    }

    /** The FE answered: it is healthy again. */
    public synchronized void succeeded(URI uri) {
        Fe fe = find(uri);
        if (fe != null) {
            fe.consecutiveFailures = 0;
            fe.downUntilNanos = 0;
        }
    }

    /**
     * The FE could not be reached or answered with a server error.
     *
     * @param error what went wrong, for the message shown when every FE is down (no credentials)
     */
    public synchronized void failed(URI uri, String error) {
        Fe fe = find(uri);
        if (fe == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean probing = fe.downUntilNanos != 0 && now - fe.downUntilNanos >= 0;
        fe.consecutiveFailures++;
        fe.totalFailures++;
        fe.lastError = error;
        if (maxFails > 0 && (probing || fe.consecutiveFailures >= maxFails)) {
            fe.downUntilNanos = now + failTimeoutNanos;
            if (fe.downUntilNanos == 0) {
                fe.downUntilNanos = 1;
            }
        }
    }

    /** True when every FE is marked down now. */
    public synchronized boolean allDown() {
        long now = nanoClock.getAsLong();
        return fes.stream().noneMatch(fe -> fe.isUp(now));
    }

    /** Every FE's state now, in {@code load.urls} order. */
    public synchronized List<FeHealth> health() {
        long now = nanoClock.getAsLong();
        List<FeHealth> states = new ArrayList<>();
        for (Fe fe : fes) {
            states.add(new FeHealth(fe.uri, fe.isUp(now), fe.consecutiveFailures, fe.totalFailures, fe.lastError));
        }
        return states;
    }

    /** One line naming every FE, whether it is up, and its last error; for failure messages. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (FeHealth fe : health()) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(fe.uri()).append(fe.up() ? " up" : " down")
                    .append(" (consecutive failures ").append(fe.consecutiveFailures())
                    .append(", last error: ").append(fe.lastError() == null ? "none" : fe.lastError()).append(')');
        }
        return text.toString();
    }

    public List<URI> all() {
        return fes.stream().map(fe -> fe.uri).toList();
    }

    private URI pick(Collection<URI> tried) {
        long now = nanoClock.getAsLong();
        int size = fes.size();
        for (int i = 0; i < size; i++) {
            Fe fe = fes.get(Math.floorMod(next + i, size));
            if (fe.isUp(now) && !tried.contains(fe.uri)) {
                next = Math.floorMod(next + i + 1, size);
                return fe.uri;
            }
        }
        // Every FE not yet tried is down: take the one whose down period ends first.
        Fe soonest = null;
        for (Fe fe : fes) {
            if (!tried.contains(fe.uri) && (soonest == null || fe.downUntilNanos - soonest.downUntilNanos < 0)) {
                soonest = fe;
            }
        }
        if (soonest == null) {
            // All tried: start over in turn.
            soonest = fes.get(Math.floorMod(next, size));
            next = Math.floorMod(next + 1, size);
        }
        return soonest.uri;
    }

    private Fe find(URI uri) {
        for (Fe fe : fes) {
            if (fe.uri.equals(uri)) {
                return fe;
            }
        }
        return null;
    }

    /**
     * One FE's state.
     *
     * @param up false while marked down
     * @param consecutiveFailures failures since its last success
     * @param totalFailures failures since the task started
     * @param lastError the last failure, or null
     */
    public record FeHealth(URI uri, boolean up, int consecutiveFailures, long totalFailures, String lastError) {
    }

    private static final class Fe {
        final URI uri;
        int consecutiveFailures;
        long totalFailures;
        String lastError;
        /** 0 when never marked down; else when the down period ends (it may be over). */
        long downUntilNanos;

        Fe(URI uri) {
            this.uri = uri;
        }

        boolean isUp(long now) {
            return downUntilNanos == 0 || now - downUntilNanos >= 0;
        }
    }
}
