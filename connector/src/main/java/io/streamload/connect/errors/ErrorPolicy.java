package io.streamload.connect.errors;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.streamload.connect.load.LoadFailedException;
import io.streamload.connect.routing.RecordPosition;
import io.streamload.warnings.WarningsWriter;

/**
 * The one place that applies Connect's {@code errors.tolerance} to bad records, wherever they are
 * found: a record that cannot be encoded ({@code put()}), rows the target refuses, a record too
 * large for any load, a table only records named that the target does not know. With
 * {@code none} (the default) each of them fails the task with a message that says what to
 * change; with {@code all} the records are reported (dead letter queue, warnings store, a WARN
 * line) and the task goes on. Either way nothing is lost: a bad record's offset is committed only
 * once it is reported.
 */
public final class ErrorPolicy {

    /** Finds the bad records of a refused load (and loads the others); runs only when they are tolerated. */
    @FunctionalInterface
    public interface Isolation<T> {
        T run() throws LoadFailedException, InterruptedException;
    }

    private final ErrorTolerance tolerance;
    private final RejectedRecords records;

    /**
     * The policy of a task with these properties. With {@code none} a rejected record fails the
     * task and is never handed to Connect's reporter (which would fail the task with a less
     * helpful message), so the reporter is asked for only with {@code all}.
     *
     * @param reporter Connect's reporter of bad records, or null when the worker has none
     * @param targetName the target's name for messages, for example {@code StarRocks}
     */
    public static ErrorPolicy of(Map<String, String> props, Supplier<ErrantRecordReporter> reporter,
                                 WarningsWriter warnings, String database, String targetName, Duration reportTimeout) {
        ErrorTolerance tolerance = ErrorTolerance.from(props);
        return new ErrorPolicy(tolerance, new RejectedRecords(tolerance == ErrorTolerance.ALL ? reporter.get() : null,
                warnings, database, targetName, reportTimeout));
    }

    /**
     * @param records where bad records are reported; with {@code none} it reports only the rows a
     *     committed load filtered (to the warnings store: they are not in the dead letter queue)
     */
    public ErrorPolicy(ErrorTolerance tolerance, RejectedRecords records) {
        this.tolerance = tolerance;
        this.records = records;
    }

    /** True with {@code errors.tolerance=all}: bad records are reported and skipped. */
    public boolean toleratesBadRecords() {
        return tolerance == ErrorTolerance.ALL;
    }

    /**
     * True when a batch must keep each record with its row until the load is confirmed, so that
     * any of them can be reported if the target refuses it.
     */
    public boolean keepsRecordsForReports() {
        return toleratesBadRecords();
    }

    /**
     * A record that cannot be turned into a row: fails the task, or reports it without waiting.
     * It is taken on the intake thread, after Connect's own wait for what {@code put()} reported,
     * so the caller waits ({@link #awaitReported}) before the record's offset can be confirmed.
     *
     * @param table the table it would go to, for the report
     * @return the dead letter queue's future for it
     */
    public Future<Void> unencodable(SinkRecord record, String table, Exception cause) {
        if (!toleratesBadRecords()) {
            throw new ConnectException("Cannot load the record at topic " + RecordPosition.topic(record)
                    + ", partition " + RecordPosition.kafkaPartition(record) + ", offset "
                    + RecordPosition.offset(record) + ": " + cause.getMessage()
                    + ". Offsets from this record on are not committed. Fix the record's producer or "
                    + "converter, or set errors.tolerance=all to report such records and go on.", cause);
        }
        return records.report(Rejection.unencodable(record, table, cause.getMessage()));
    }

    /**
     * Waits until the dead letter queue took the records {@link #unencodable} reported.
     *
     * @throws RejectedRecordException when it did not take them in time
     */
    public void awaitReported(List<Future<Void>> reports) throws InterruptedException {
        records.awaitTaken(reports);
    }

    /**
     * The target refused records of a load: fails the load with {@code failure}, or isolates the
     * bad records, reports them and waits until they are reported.
     *
     * @param rejectionsOf the rejections in what the isolation found
     */
    public <T> T refusedByTarget(Supplier<String> failure, Isolation<T> isolation,
                                 java.util.function.Function<T, List<Rejection>> rejectionsOf)
            throws LoadFailedException, InterruptedException {
        if (!toleratesBadRecords()) {
            throw new LoadFailedException(failure.get());
        }
        T found = isolation.run();
        report(rejectionsOf.apply(found));
        return found;
    }

    /**
     * Reports rows the target filtered out of a load it committed (within
     * {@code max_filter_ratio}): they are gone from the load whatever the tolerance, so they are
     * always reported; to the dead letter queue too with {@code all}.
     */
    public void filtered(List<Rejection> rejections) throws LoadFailedException, InterruptedException {
        report(rejections);
    }

    /** Bad records reported since the task started. */
    public long reportedCount() {
        return records.count();
    }

    private void report(List<Rejection> rejections) throws LoadFailedException, InterruptedException {
        try {
            records.reportAndWait(rejections);
        } catch (RejectedRecordException e) {
            throw new LoadFailedException(e.getMessage());
        }
    }
}
