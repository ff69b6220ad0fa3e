package io.streamload.emulator.load;

import io.streamload.emulator.table.TableData;
import io.streamload.emulator.table.TableDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Databases, tables, labels and error logs: everything the FE and BEs share. A label is unique per
 * database for the retention window once its load finished; a failed (ABORTED) label is free at once.
 */
public final class Catalog {
    private static final Pattern LABEL = Pattern.compile("[-_A-Za-z0-9]{1,128}");

    private final Map<String, Map<String, TableData>> tables = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LoadRecord>> labels = new ConcurrentHashMap<>();
    private final Map<String, String> errorLogs = new ConcurrentHashMap<>();
    /** Databases made by CREATE DATABASE; a database also exists once it holds a table. */
    private final java.util.Set<String> databases = ConcurrentHashMap.newKeySet();
    private final AtomicLong txnIds = new AtomicLong(1000);
    private final Duration labelRetention;

    public Catalog(Duration labelRetention) {
        this.labelRetention = labelRetention;
    }

    public void createTable(TableDefinition def) {
        tables.computeIfAbsent(def.database(), d -> new ConcurrentHashMap<>())
                .put(def.table().toLowerCase(Locale.ROOT), new TableData(def));
    }

    public boolean dropTable(String db, String table) {
        Map<String, TableData> t = tables.get(db);
        return t != null && t.remove(table.toLowerCase(Locale.ROOT)) != null;
    }

    public boolean hasDatabase(String db) {
        return tables.containsKey(db) || databases.contains(db);
    }

    public void createDatabase(String db) {
        databases.add(db);
    }

    /** Every database, sorted. */
    public List<String> databases() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(databases);
        all.addAll(tables.keySet());
        return new ArrayList<>(all);
    }

    /** The table, or null. */
    public TableData table(String db, String table) {
        Map<String, TableData> t = tables.get(db);
        return t == null || table == null ? null : t.get(table.toLowerCase(Locale.ROOT));
    }

    public List<TableDefinition> definitions() {
        List<TableDefinition> out = new ArrayList<>();
        tables.values().forEach(m -> m.values().forEach(t -> out.add(t.definition())));
        out.sort(Comparator.comparing(TableDefinition::database).thenComparing(TableDefinition::table));
        return out;
    }

    public static boolean validLabel(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    /**
     * Claims a label for a new load.
     *
     * @throws LabelAlreadyExists when a load that has not failed holds it
     */
    public LoadRecord begin(String db, String table, String label, LoadRecord.Kind kind) throws LabelAlreadyExists {
        Map<String, LoadRecord> byLabel = labels.computeIfAbsent(db, d -> new LinkedHashMap<>());
        synchronized (byLabel) {
            purgeExpired(byLabel);
            LoadRecord existing = byLabel.get(label);
            if (existing != null && existing.state() != LoadState.ABORTED) {
                throw new LabelAlreadyExists(existing);
            }
            LoadRecord r = new LoadRecord(db, table, label, txnIds.incrementAndGet(), kind);
            byLabel.remove(label); // re-insert keeps the listing in start order
            byLabel.put(label, r);
            return r;
        }
    }

    /** The record under a label, or null when unknown (never used or expired). */
    public LoadRecord find(String db, String label) {
        Map<String, LoadRecord> byLabel = labels.get(db);
        if (byLabel == null || label == null) {
            return null;
        }
        synchronized (byLabel) {
            purgeExpired(byLabel);
            return byLabel.get(label);
        }
    }

    public LoadRecord findByTxnId(String db, long txnId) {
        Map<String, LoadRecord> byLabel = labels.get(db);
        if (byLabel == null) {
            return null;
        }
        synchronized (byLabel) {
            return byLabel.values().stream().filter(r -> r.txnId() == txnId).findFirst().orElse(null);
        }
    }

    /** Every load in start order, all databases. */
    public List<LoadRecord> loads() {
        List<LoadRecord> out = new ArrayList<>();
        for (Map<String, LoadRecord> byLabel : labels.values()) {
            synchronized (byLabel) {
                out.addAll(byLabel.values());
            }
        }
        out.sort(Comparator.comparingLong(LoadRecord::txnId));
        return out;
    }

    private void purgeExpired(Map<String, LoadRecord> byLabel) {
        long cutoff = System.currentTimeMillis() - labelRetention.toMillis();
        byLabel.values().removeIf(r -> r.state().finished() && r.finishedMillis() < cutoff);
    }

    public void putErrorLog(String file, String text) {
        errorLogs.put(file, text);
    }

    public String errorLog(String file) {
        return errorLogs.get(file);
    }
}
