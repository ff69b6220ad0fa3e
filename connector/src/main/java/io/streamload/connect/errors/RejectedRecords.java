package io.streamload.connect.errors;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.routing.TargetTable;
import io.streamload.warnings.LoadErrorEntry;
import io.streamload.warnings.WarningsWriter;

/**
 * Where every record the connector does not load goes: Connect's {@link ErrantRecordReporter}
 * (the dead letter queue, with the original record and Connect's error headers), the warnings
 * store ({@code load_errors}, best effort) and one WARN line.
 *
 * <p>With {@code errors.tolerance=none} a rejected record fails the task instead, and only the
 * rows a committed load filtered (within {@code max_filter_ratio}) come here: they have no
 * reporter then, so they reach the warnings store and the log only. Without a reporter under
 * {@code all} (no dead letter queue topic and no error log configured) a record is skipped with
 * the WARN line and the warnings store row, as Connect itself does.
 */
public final class RejectedRecords {

    private static final Logger log = LoggerFactory.getLogger(RejectedRecords.class);
    static final int EXCERPT_CHARS = 1024;

    private final ErrantRecordReporter reporter;
    private final WarningsWriter warnings;
    private final String database;
    private final String targetName;
    private final Duration reportTimeout;
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param reporter Connect's reporter, or null when the worker has none for this connector
     * @param targetName the target's name for messages, for example {@code StarRocks}
     * @param reportTimeout how long a load thread waits for the dead letter queue to take its records
     */
    public RejectedRecords(ErrantRecordReporter reporter, WarningsWriter warnings, String database,
                           String targetName, Duration reportTimeout) {
        this.reporter = reporter;
        this.warnings = warnings;
        this.database = database;
        this.targetName = targetName;
        this.reportTimeout = reportTimeout;
    }

    /**
     * Reports one rejection without waiting for the dead letter queue: whoever confirms the
     * record's offset afterwards waits first ({@link #awaitTaken}).
     */
    public Future<Void> report(Rejection rejection) {
        rejected.incrementAndGet();
        String message = messageOf(rejection);
        log.warn("Not loaded: {}", message);
        LoadErrorEntry.Builder entry = LoadErrorEntry.builder()
                .jobId(rejection.txnId())
                .label(rejection.label() == null ? "" : rejection.label())
                .database(database)
                .table(rejection.table())
                .errorMessage(rejection.reason())
                .rowExcerpt(rejection.rowExcerpt());
        if (rejection.topic() != null) {
            entry.source(rejection.topic(), rejection.partition(), rejection.offset());
        }
        warnings.recordRejectedRow(entry.build());
        if (reporter == null || rejection.record() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return reporter.report(rejection.record(), new RejectedRecordException(message));
    }

    /**
     * Reports the rejections and waits until the dead letter queue has taken them. For load
     * threads: the batch's offsets are confirmed afterwards, so they are never committed before
     * the records they skip are safely in the dead letter queue.
     *
     * @throws RejectedRecordException when the dead letter queue did not take them in time
     */
    public void reportAndWait(List<Rejection> rejections) throws InterruptedException {
        List<Future<Void>> pending = new ArrayList<>(rejections.size());
        for (Rejection rejection : rejections) {
            pending.add(report(rejection));
        }
        awaitTaken(pending);
    }

    /**
     * Waits until the dead letter queue has taken what {@link #report} sent, before the offsets of
     * those records can be confirmed.
     *
     * @throws RejectedRecordException when the dead letter queue did not take them in time
     */
    public void awaitTaken(List<Future<Void>> pending) throws InterruptedException {
        long deadline = System.nanoTime() + reportTimeout.toNanos();
        for (Future<Void> future : pending) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new RejectedRecordException("Could not write a rejected record to the dead letter queue: "
                        + e.getCause() + ". Its offset is not committed; check the errors.deadletterqueue.* settings");
            } catch (TimeoutException e) {
                throw new RejectedRecordException("The dead letter queue did not take the rejected records within "
                        + reportTimeout.toSeconds() + " s; their offsets are not committed");
            }
        }
    }

    /** Records reported since the task started. */
    public long count() {
        return rejected.get();
    }

    /**
     * The message for the user: the reason, the load's coordinates ({@code label=}, {@code txn_id=},
     * {@code table=}, read back by {@code warnings-reporter dlq backfill}) and the record's source.
     */
    String messageOf(Rejection rejection) {
        StringBuilder message = new StringBuilder();
        if (rejection.label() != null) {
            message.append(targetName).append(" rejected the row: ");
        } else {
            message.append("The record cannot be loaded: ");
        }
        message.append(rejection.reason()).append("; ");
        if (rejection.label() != null) {
            message.append("label=").append(rejection.label()).append(", txn_id=").append(rejection.txnId())
                    .append(", ");
        }
        message.append("table=").append(TargetTable.resolve(database, rejection.table()))
                .append("; record ").append(rejection.source());
        return message.toString();
    }

    /** The start of a row, as text, for the warnings store. */
    public static String excerpt(byte[] row) {
        String text = new String(row, 0, Math.min(row.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8);
        return text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) : text;
    }
}
