package io.streamload.benchmarks.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The settings every microbenchmark here shares (one thread, throughput, 3 warm-up and 5 measured
 * iterations of 2 s, one fork), and a second score next to JMH's: operations per CPU-second of
 * the benchmark thread, printed after each iteration as a {@code cpu:} line. On a machine shared
 * with other work JMH's wall-clock score drops whenever the thread waits for a core; the CPU-time
 * rate does not, and it is what "records per second per core" means.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class CpuTimedBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startCpuNanos;
    private long startOperations;

    /** Operations this benchmark's thread has done so far (records, rows, batches). */
    protected abstract long operations();

    @Setup(Level.Iteration)
    public void startCpuClock() {
        startCpuNanos = THREADS.getCurrentThreadCpuTime();
        startOperations = operations();
    }

    @TearDown(Level.Iteration)
    public void printCpuRate(BenchmarkParams params) {
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - startCpuNanos) / 1e9;
        String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.',
                params.getBenchmark().lastIndexOf('.') - 1) + 1);
        String form = params.getParamsKeys().contains("form") ? " " + params.getParam("form") : "";
        System.out.printf("%n  cpu: %s%s %,.0f ops per CPU-second (%.2f CPU-s)%n", benchmark, form,
                (operations() - startOperations) / cpuSeconds, cpuSeconds);
    }
}
