package io.streamload.emulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The data versions of each table's tablet, the reason a target refuses loads that come too
 * often. Every committed load adds one version (a rowset); background compaction merges them
 * away at a set rate; a load into a tablet holding more versions than the limit is refused
 * before it writes anything (StarRocks {@code DeltaWriter::_init} against {@code tablet_max_versions},
 * Doris {@code RowsetBuilder::check_tablet_version_count} against {@code max_tablet_version_num}).
 *
 * <p>Each table is one tablet here (one bucket, one replica). A new tablet holds one version, the
 * one its creation writes, as on both servers. Compaction spends its budget on the tablets with
 * the most versions first and never takes a tablet below one version; the rate is this model's
 * knob, not a server setting, since real compaction speed depends on threads, disks and data.
 *
 * <p>The limit and the rate can change while the emulator runs (admin API), so tests and
 * benchmarks can squeeze a target that is already serving.
 */
final class TabletVersions {

    /** A refusal: the tablet, and its versions and the limit when the load arrived. */
    record Refusal(long tabletId, int versions, int limit) {
    }

    /** One table's tablet as the admin API shows it. */
    record TabletView(String database, String table, long tabletId, int versions, int peak, long refused) {
    }

    private static final long FIRST_TABLET_ID = 10_001;

    // Guarded by this.
    private final Map<String, Tablet> tablets = new HashMap<>();
    private long nextTabletId = FIRST_TABLET_ID;
    private int limit;
    private double compactionPerSecond;
    private double compactionCarry;
    private long lastCompactionNanos;
    private int peak;
    private long refused;

    TabletVersions(int limit, double compactionPerSecond) {
        settings(limit, compactionPerSecond);
        this.lastCompactionNanos = System.nanoTime();
    }

    /** Changes the limit and the compaction rate; a value below zero leaves that one as it is. */
    synchronized void settings(int newLimit, double newCompactionPerSecond) {
        if (newLimit == 0) {
            throw new IllegalArgumentException("the version limit must be at least 1 (or below 0 to keep it)");
        }
        if (newLimit > 0) {
            this.limit = newLimit;
        }
        if (newCompactionPerSecond >= 0) {
            this.compactionPerSecond = newCompactionPerSecond;
        }
    }

    synchronized int limit() {
        return limit;
    }

    synchronized double compactionPerSecond() {
        return compactionPerSecond;
    }

    /**
     * Whether a load into the table may write: null when it may, else why not. Both servers
     * compare with {@code >}: a tablet may hold the limit and one more before loads are refused.
     */
    synchronized Refusal check(String database, String table) {
        Tablet t = tablet(database, table);
        if (t.versions <= limit) {
            return null;
        }
        // Counted here: the refused load's label is free again, and its retry replaces its record.
        t.refused++;
        refused++;
        return new Refusal(t.id, t.versions, limit);
    }

    /** A load into the table committed: one more version. */
    synchronized void added(String database, String table) {
        Tablet t = tablet(database, table);
        t.versions++;
        t.peak = Math.max(t.peak, t.versions);
        peak = Math.max(peak, t.versions);
    }

    /** The table was dropped or replaced: its tablet goes with it. */
    synchronized void forget(String database, String table) {
        tablets.remove(key(database, table));
    }

    /** Merges away the versions compaction had time for since the last call, fullest tablets first. */
    synchronized void compact(long nowNanos) {
        double elapsedSeconds = (nowNanos - lastCompactionNanos) / 1e9;
        lastCompactionNanos = nowNanos;
        compactionCarry += compactionPerSecond * Math.max(0, elapsedSeconds);
        int budget = (int) Math.min(Integer.MAX_VALUE, Math.floor(compactionCarry));
        if (budget <= 0) {
            return;
        }
        PriorityQueue<Tablet> fullest = new PriorityQueue<>(Comparator.comparingInt((Tablet t) -> t.versions).reversed());
        for (Tablet t : tablets.values()) {
            if (t.versions > 1) {
                fullest.add(t);
            }
        }
        int spent = 0;
        while (spent < budget && !fullest.isEmpty()) {
            Tablet t = fullest.poll();
            t.versions--;
            spent++;
            if (t.versions > 1) {
                fullest.add(t);
            }
        }
        // Budget left over with nothing to merge is not saved up for a later burst.
        compactionCarry = fullest.isEmpty() ? 0 : compactionCarry - spent;
    }

    /** Versions of the table's tablet now (1 for a table never loaded). */
    synchronized int versions(String database, String table) {
        return tablet(database, table).versions;
    }

    /** The most versions the table's tablet has held. */
    synchronized int peak(String database, String table) {
        return tablet(database, table).peak;
    }

    /** Loads into the table refused for too many versions. */
    synchronized long refused(String database, String table) {
        return tablet(database, table).refused;
    }

    /** Loads refused for too many versions, over all tablets. */
    synchronized long refused() {
        return refused;
    }

    /** The most versions any tablet has held. */
    synchronized int peak() {
        return Math.max(peak, tablets.isEmpty() ? 0 : 1);
    }

    synchronized List<TabletView> tablets() {
        List<TabletView> out = new ArrayList<>();
        for (Tablet t : tablets.values()) {
            out.add(new TabletView(t.database, t.table, t.id, t.versions, t.peak, t.refused));
        }
        out.sort(Comparator.comparing(TabletView::database).thenComparing(TabletView::table));
        return out;
    }

    private Tablet tablet(String database, String table) {
        return tablets.computeIfAbsent(key(database, table), k -> new Tablet(nextTabletId++, database, table));
    }

    private static String key(String database, String table) {
        return database + '.' + table.toLowerCase(Locale.ROOT);
    }

    private static final class Tablet {
        final long id;
        final String database;
        final String table;
        int versions = 1;
        int peak = 1;
        long refused;

        Tablet(long id, String database, String table) {
            this.id = id;
            this.database = database;
            this.table = table;
        }
    }
}
