package io.streamload.emulator;

import java.time.Duration;

/**
 * A fault for the next {@code times} matching requests. Matching is by path substring, table and
 * label prefix, all optional; without a path, only data-carrying requests match (stream loads and
 * transaction calls), never label-state queries or the admin API.
 */
public final class Fault {
    private final FaultKind kind;
    private String path;
    private String table;
    private String labelPrefix;
    private Duration delay = Duration.ZERO;
    private int remaining = 1;

    private Fault(FaultKind kind) {
        this.kind = kind;
    }

    public static Fault of(FaultKind kind) {
        return new Fault(kind);
    }

    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        this.remaining = n;
        return this;
    }

    public Fault path(String pathSubstring) {
        this.path = pathSubstring;
        return this;
    }

    public Fault table(String tableName) {
        this.table = tableName;
        return this;
    }

    public Fault label(String prefix) {
        this.labelPrefix = prefix;
        return this;
    }

    public Fault delay(Duration d) {
        this.delay = d;
        return this;
    }

    public FaultKind kind() {
        return kind;
    }

    public Duration delay() {
        return delay;
    }

    public String pathFilter() {
        return path;
    }

    public String tableFilter() {
        return table;
    }

    public String labelFilter() {
        return labelPrefix;
    }

    public synchronized int remaining() {
        return remaining;
    }

    boolean matches(FaultKind.Stage stage, String requestPath, String requestTable, String requestLabel) {
        if (kind.stage() != stage) {
            return false;
        }
        if (path != null) {
            if (requestPath == null || !requestPath.contains(path)) {
                return false;
            }
        } else if (requestPath == null || !(requestPath.contains("_stream_load") || requestPath.contains("/api/transaction/"))) {
            return false;
        }
        if (table != null && (requestTable == null || !table.equalsIgnoreCase(requestTable))) {
            return false;
        }
        return labelPrefix == null || requestLabel != null && requestLabel.startsWith(labelPrefix);
    }

    /** Uses one occurrence; false when none is left. */
    synchronized boolean consume() {
        if (remaining <= 0) {
            return false;
        }
        remaining--;
        return true;
    }

    @Override
    public String toString() {
        return kind + "{times=" + remaining() + (path == null ? "" : ", path=" + path)
                + (table == null ? "" : ", table=" + table) + (labelPrefix == null ? "" : ", label=" + labelPrefix)
                + (delay.isZero() ? "" : ", delay=" + delay.toMillis() + "ms") + "}";
    }
}
