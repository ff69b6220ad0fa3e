package io.streamload.emulator.load;

import java.util.ArrayList;
import java.util.List;

/** One load or transaction under a label: its state, counters, and rows waiting for commit. */
public final class LoadRecord {
    public enum Kind {
        STREAM_LOAD, TRANSACTION,
        /** The one transaction the server made of the loads it merged (merge commit, group commit). */
        MERGED
    }

    private final String database;
    private final String table;
    private final String label;
    private final long txnId;
    private final Kind kind;
    private final long createdMillis = System.currentTimeMillis();
    private LoadState state = LoadState.PREPARE;
    private boolean twoPhase;
    private String message = "";
    private String errorUrl;
    private long totalRows;
    private long loadedRows;
    private long filteredRows;
    private long unselectedRows;
    private long loadBytes;
    private long finishedMillis;
    private long lastActivityMillis = createdMillis;
    private long preparedMillis;
    private long timeoutMillis = 600_000;
    private long idleTimeoutMillis = 600_000;
    private long preparedTimeoutMillis = 86_400_000;
    private boolean inUse;
    private double maxFilterRatio;
    private final List<Row> pendingRows = new ArrayList<>();
    private long pendingCountedRows;

    public LoadRecord(String database, String table, String label, long txnId, Kind kind) {
        this.database = database;
        this.table = table;
        this.label = label;
        this.txnId = txnId;
        this.kind = kind;
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }

    public String label() {
        return label;
    }

    public long txnId() {
        return txnId;
    }

    public Kind kind() {
        return kind;
    }

    public synchronized LoadState state() {
        return state;
    }

    public synchronized void state(LoadState s) {
        state = s;
        lastActivityMillis = System.currentTimeMillis();
        if (s == LoadState.PREPARED) {
            preparedMillis = lastActivityMillis;
        }
        if (s.finished() || s == LoadState.ABORTED) {
            finishedMillis = lastActivityMillis;
        }
    }

    public synchronized boolean twoPhase() {
        return twoPhase;
    }

    public synchronized void twoPhase(boolean v) {
        twoPhase = v;
    }

    public synchronized String message() {
        return message;
    }

    public synchronized void message(String m) {
        message = m;
    }

    public synchronized String errorUrl() {
        return errorUrl;
    }

    public synchronized void errorUrl(String url) {
        errorUrl = url;
    }

    public synchronized void addCounts(long total, long loaded, long filtered, long unselected, long bytes) {
        totalRows += total;
        loadedRows += loaded;
        filteredRows += filtered;
        unselectedRows += unselected;
        loadBytes += bytes;
        lastActivityMillis = System.currentTimeMillis();
    }

    public synchronized long totalRows() {
        return totalRows;
    }

    public synchronized long loadedRows() {
        return loadedRows;
    }

    public synchronized long filteredRows() {
        return filteredRows;
    }

    public synchronized long unselectedRows() {
        return unselectedRows;
    }

    public synchronized long loadBytes() {
        return loadBytes;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public synchronized long finishedMillis() {
        return finishedMillis;
    }

    public synchronized long lastActivityMillis() {
        return lastActivityMillis;
    }

    public synchronized long preparedMillis() {
        return preparedMillis;
    }

    /**
     * @param totalMillis begin to PREPARED, however busy the transaction is ({@code timeout})
     * @param idleMillis without any request ({@code idle_transaction_timeout})
     * @param preparedMillis PREPARED to COMMITTED ({@code prepared_timeout})
     */
    public synchronized void timeouts(long totalMillis, long idleMillis, long preparedMillis) {
        if (totalMillis > 0) {
            this.timeoutMillis = totalMillis;
        }
        if (idleMillis > 0) {
            this.idleTimeoutMillis = idleMillis;
        }
        if (preparedMillis > 0) {
            this.preparedTimeoutMillis = preparedMillis;
        }
    }

    public synchronized long timeoutMillis() {
        return timeoutMillis;
    }

    public synchronized long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public synchronized long preparedTimeoutMillis() {
        return preparedTimeoutMillis;
    }

    public synchronized double maxFilterRatio() {
        return maxFilterRatio;
    }

    public synchronized void maxFilterRatio(double ratio) {
        maxFilterRatio = ratio;
    }

    /** Marks the transaction busy; false when another request holds it (TXN_IN_PROCESSING). */
    public synchronized boolean acquire() {
        if (inUse) {
            return false;
        }
        inUse = true;
        return true;
    }

    public synchronized void release() {
        inUse = false;
        lastActivityMillis = System.currentTimeMillis();
    }

    public synchronized void addPending(List<Row> rows, long countedRows) {
        pendingRows.addAll(rows);
        pendingCountedRows += countedRows;
    }

    public synchronized List<Row> takePending() {
        List<Row> out = new ArrayList<>(pendingRows);
        pendingRows.clear();
        return out;
    }

    public synchronized long takePendingCounted() {
        long n = pendingCountedRows;
        pendingCountedRows = 0;
        return n;
    }

    public synchronized void dropPending() {
        pendingRows.clear();
        pendingCountedRows = 0;
    }
}
