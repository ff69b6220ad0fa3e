package io.streamload.connect.load;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the FE for the next request: round robin over {@code load.urls}, so successive attempts
 * (and retries) spread over the FEs and a dead FE costs one attempt, not all of them.
 */
public final class FeSelector {

    private final List<URI> fes;
    private final AtomicInteger next = new AtomicInteger();

    public FeSelector(List<URI> fes) {
        if (fes.isEmpty()) {
            throw new IllegalArgumentException("no FE to send loads to");
        }
        this.fes = List.copyOf(fes);
    }

    public URI next() {
        return fes.get(Math.floorMod(next.getAndIncrement(), fes.size()));
    }

    public List<URI> all() {
        return fes;
    }
}
