package io.streamload.emulator;

import java.util.ArrayList;
import java.util.List;

/** The faults waiting to strike, in the order they were injected. */
public final class FaultPlan {
    private final List<Fault> faults = new ArrayList<>();

    public synchronized void add(Fault f) {
        faults.add(f);
    }

    public synchronized void clear() {
        faults.clear();
    }

    public synchronized List<Fault> pending() {
        faults.removeIf(f -> f.remaining() <= 0);
        return List.copyOf(faults);
    }

    /** The first fault of one of these kinds matching the request, consuming one occurrence; or null. */
    public synchronized Fault take(java.util.Set<FaultKind> kinds, String path, String table, String label) {
        for (Fault f : faults) {
            if (kinds.contains(f.kind()) && f.remaining() > 0 && f.matches(f.kind().stage(), path, table, label)
                    && f.consume()) {
                return f;
            }
        }
        return null;
    }

    /** The first fault of this stage matching the request, consuming one of its occurrences; or null. */
    public synchronized Fault take(FaultKind.Stage stage, String path, String table, String label) {
        for (Fault f : faults) {
            if (f.remaining() > 0 && f.matches(stage, path, table, label) && f.consume()) {
                return f;
            }
        }
        return null;
    }
}
