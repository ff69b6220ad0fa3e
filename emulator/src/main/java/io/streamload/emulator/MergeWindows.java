package io.streamload.emulator;

import io.streamload.emulator.dialect.ServerDialect;
import io.streamload.emulator.load.Catalog;
import io.streamload.emulator.load.ErrorCode;
import io.streamload.emulator.load.LabelAlreadyExists;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.load.ParsedBatch;
import io.streamload.emulator.load.Row;
import io.streamload.emulator.table.TableData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The merge windows of a server that merges loads: the loads of one table with the same
 * parameters that arrive while a window is open share its one transaction (one id, one label the
 * server makes, one new version of the table), committed when the window closes, its interval
 * after the first load arrived (StarRocks {@code merge_commit_interval_ms}, Doris' table property
 * {@code group_commit_interval_ms}).
 *
 * <p>A window is all or nothing, as the servers' merged transactions are: StarRocks aborts the
 * whole transaction when its rows are over {@code max_filter_ratio} ("If one request contains data
 * quality issues, all requests in the transaction will fail", STREAM LOAD docs 3.4), and every
 * load in it fails. Doris checks each load's rows as they arrive (its group commit sink), so there
 * a load over the ratio fails alone and never joins a window.
 *
 * <p>A window's transaction is one load to the tablet writers, so it adds one tablet version
 * ({@link TabletVersions}) however many loads it merged, and it is refused, every load in it, when
 * the table's tablet holds too many versions as the window opens: the merged load writes through
 * the same tablet writers as any load, whose open checks the limit (StarRocks: the coordinator BE
 * runs the merged load as a load plan, PR 52124, whose {@code DeltaWriter::_init} checks
 * {@code tablet_max_versions}; Doris: group commit's internal load writes through the table sink and
 * {@code RowsetBuilder::check_tablet_version_count}, "Group Commit" docs 2.1).
 */
final class MergeWindows {

    /** One load's part of a window. */
    record Member(List<Row> rows, long countedRows, long totalRows, long filteredRows, long unselectedRows, long bytes,
                  List<ParsedBatch.Rejection> rejections) {
    }

    /** One open or closed window. {@link #committed} completes with null once visible, or with why it failed. */
    static final class Window {
        final LoadRecord record;
        final TableData table;
        final double maxFilterRatio;
        final List<Member> members = new ArrayList<>();
        final CompletableFuture<String> committed = new CompletableFuture<>();
        /** Why the window failed, set before {@link #committed} completes with a reason. */
        volatile ErrorCode failureCode = ErrorCode.DATA_QUALITY_ERROR;

        Window(LoadRecord record, TableData table, double maxFilterRatio) {
            this.record = record;
            this.table = table;
            this.maxFilterRatio = maxFilterRatio;
        }
    }

    private final Catalog catalog;
    private final ServerDialect dialect;
    private final ScheduledExecutorService scheduler;
    private final TabletVersions versions;
    private final Map<String, Window> open = new HashMap<>();

    MergeWindows(Catalog catalog, ServerDialect dialect, ScheduledExecutorService scheduler, TabletVersions versions) {
        this.catalog = catalog;
        this.dialect = dialect;
        this.scheduler = scheduler;
        this.versions = versions;
    }

    /**
     * Adds a load to the open window of its key, opening one (a new transaction under a label the
     * server makes) when none is. A window refused for too many tablet versions as it opens is
     * failed at once and stays closed: the next load opens another, which checks again.
     *
     * @param errorLogUrl writes a window's rejected rows to an error log and returns its URL
     */
    synchronized Window join(String db, TableData table, MergeRequest request, double maxFilterRatio, Member member,
                             java.util.function.BiFunction<LoadRecord, ParsedBatch, String> errorLogUrl) {
        Window window = open.get(request.key());
        if (window == null) {
            LoadRecord record = begin(db, table.definition().table());
            window = new Window(record, table, maxFilterRatio);
            TabletVersions.Refusal tooMany = versions.check(db, table.definition().table());
            if (tooMany != null) {
                // The merged load's tablet writer refuses to open: nothing of it is written.
                String message = dialect.tooManyVersions(tooMany.tabletId(), tooMany.versions(), tooMany.limit());
                window.members.add(member);
                record.message(message);
                record.state(LoadState.ABORTED);
                window.failureCode = ErrorCode.TOO_MANY_VERSION;
                window.committed.complete(message);
                return window;
            }
            open.put(request.key(), window);
            Window closing = window;
            scheduler.schedule(() -> close(request.key(), closing, errorLogUrl), request.interval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        window.members.add(member);
        return window;
    }

    private LoadRecord begin(String db, String table) {
        while (true) {
            try {
                return catalog.begin(db, table, dialect.mergedLabel(), LoadRecord.Kind.MERGED);
            } catch (LabelAlreadyExists e) {
                // a label the server made twice: make another
            }
        }
    }

    private void close(String key, Window window, java.util.function.BiFunction<LoadRecord, ParsedBatch, String> errorLogUrl) {
        synchronized (this) {
            open.remove(key, window);
        }
        List<Row> rows = new ArrayList<>();
        ParsedBatch rejected = new ParsedBatch();
        long counted = 0;
        long total = 0;
        long filtered = 0;
        long unselected = 0;
        long bytes = 0;
        for (Member m : window.members) {
            rows.addAll(m.rows());
            rejected.rejections.addAll(m.rejections());
            counted += m.countedRows();
            total += m.totalRows();
            filtered += m.filteredRows();
            unselected += m.unselectedRows();
            bytes += m.bytes();
        }
        LoadRecord record = window.record;
        if (!rejected.rejections.isEmpty()) {
            record.errorUrl(errorLogUrl.apply(record, rejected));
        }
        long selected = total - unselected;
        if (selected > 0 && (double) filtered / selected > window.maxFilterRatio) {
            record.message("too many filtered rows");
            record.state(LoadState.ABORTED);
            window.committed.complete("too many filtered rows");
            return;
        }
        record.addCounts(total, total - filtered - unselected, filtered, unselected, bytes);
        versions.added(record.database(), window.table.definition().table());
        if (window.table.definition().counting()) {
            window.table.count(counted, bytes, window.members.size());
        } else {
            window.table.apply(rows, bytes, window.members.size());
        }
        record.state(LoadState.VISIBLE);
        window.committed.complete(null);
    }
}
