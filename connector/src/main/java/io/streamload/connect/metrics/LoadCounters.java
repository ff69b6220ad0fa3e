package io.streamload.connect.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters kept for a task and for each of its tables. The loaded ones (records, rows,
 * bytes, loads succeeded) move only when the target confirmed a load.
 */
final class LoadCounters {
    final AtomicLong recordsLoaded = new AtomicLong();
    final AtomicLong rowsLoaded = new AtomicLong();
    final AtomicLong rowsFiltered = new AtomicLong();
    final AtomicLong rowsUnselected = new AtomicLong();
    final AtomicLong bytesLoaded = new AtomicLong();
    final AtomicLong loadsSucceeded = new AtomicLong();
    final AtomicLong loadsFailed = new AtomicLong();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong slowDowns = new AtomicLong();
    final AtomicLong unknownOutcomes = new AtomicLong();
    final AtomicLong unknownResolvedLoaded = new AtomicLong();
    final AtomicLong unknownResolvedNotLoaded = new AtomicLong();
    final AtomicLong unknownUnresolved = new AtomicLong();
    final LatencyWindow latency = new LatencyWindow(1024);
}
