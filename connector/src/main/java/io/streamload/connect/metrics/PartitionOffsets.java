package io.streamload.connect.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.kafka.common.MetricName;

/**
 * One partition's offset gauges: the offset after the last record the task received (the
 * worker's consumer position) and the last offset committed. Each gauge is registered with its
 * first value, so that no series ever shows an offset the task has not seen: a partition that
 * has not been committed yet has no committed gauge, rather than a -1 that would read as lag.
 */
final class PartitionOffsets {

    /** Registers a gauge and returns its name. */
    @FunctionalInterface
    interface Registrar {
        MetricName register(String name, String description, LongSupplier value);
    }

    private final Registrar registrar;
    private final AtomicLong received = new AtomicLong(-1);
    private final AtomicLong committed = new AtomicLong(-1);
    private final List<MetricName> names = new ArrayList<>();

    PartitionOffsets(Registrar registrar) {
        this.registrar = registrar;
    }

    synchronized void received(long nextOffset) {
        if (received.getAndSet(nextOffset) < 0) {
            names.add(registrar.register("received-offset",
                    "The offset after the last record the task received from the partition: the worker's consumer "
                            + "position.", received::get));
        }
    }

    synchronized void committed(long offset) {
        if (committed.getAndSet(offset) < 0) {
            names.add(registrar.register("last-committed-offset",
                    "The last offset committed for the partition: every record before it is confirmed loaded.",
                    committed::get));
        }
    }

    synchronized List<MetricName> names() {
        return List.copyOf(names);
    }
}
