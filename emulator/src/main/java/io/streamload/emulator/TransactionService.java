package io.streamload.emulator;

import io.streamload.emulator.dialect.Json;
import io.streamload.emulator.http.Exchange;
import io.streamload.emulator.http.HttpListener;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import io.streamload.emulator.load.BodyParser;
import io.streamload.emulator.load.Catalog;
import io.streamload.emulator.load.LabelAlreadyExists;
import io.streamload.emulator.load.LoadFailure;
import io.streamload.emulator.load.LoadOptions;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.load.ParsedBatch;
import io.streamload.emulator.table.TableData;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * StarRocks' transaction interface ({@code /api/transaction/begin|load|prepare|commit|rollback}) and
 * Doris' {@code _stream_load_2pc}. A transaction collects rows over several loads and applies them
 * in one step at commit; any error before commit rolls it back.
 *
 * <p>Who answers what, as in StarRocks (FE: {@code TransactionLoadAction},
 * {@code TransactionLoadCoordinatorMgr}, {@code TransactionWithoutChannelHandler}; BE:
 * {@code transaction_stream_load.cpp}, {@code transaction_mgr.cpp}): the BE that serves a
 * {@code begin} keeps the transaction's stream context, and only that BE can take its data, prepare
 * it, commit it or roll it back while it is open (PREPARE). The FE redirects every step of a label to
 * that BE. Once prepared, the BE has let go of the context: the FE itself commits or rolls back a
 * PREPARED transaction, and answers a commit or rollback of a finished one from its state.
 */
final class TransactionService {
    private final LoadService loads;
    private final Catalog catalog;
    /**
     * The coordinator of each transaction: the BE that began it (the FE keeps it in the transaction's
     * state). Weak keys: a record the catalog has forgotten takes its entry along.
     */
    private final Map<LoadRecord, HttpListener> coordinators = Collections.synchronizedMap(new WeakHashMap<>());

    TransactionService(LoadService loads) {
        this.loads = loads;
        this.catalog = loads.catalog();
    }

    /**
     * Where the FE sends a transaction request: {@code byFe}, its own answer (null when a fault reset
     * the connection instead), or else a redirect to {@code backend}.
     */
    record Route(boolean byFe, HttpResponse answer, HttpListener backend) {
        static Route answer(HttpResponse answer) {
            return new Route(true, answer, null);
        }

        /** To {@code backend}, or to any live BE when null. */
        static Route to(HttpListener backend) {
            return new Route(false, null, backend);
        }
    }

    /**
     * The FE's part of {@code /api/transaction/{op}} (StarRocks' {@code TransactionLoadAction}):
     * {@code begin} goes to a live BE, which becomes the transaction's coordinator (a label still open
     * on a live BE goes back to it); {@code load} and {@code prepare} go to the coordinator, whether or
     * not it is up. {@code commit} and {@code rollback} of an open transaction go there too; the FE
     * answers them itself for a transaction that is prepared (it commits or aborts it), finished or
     * aborted. A label it knows nothing of is answered with a {@code FAILED} body.
     */
    Route route(String op, HttpRequest request, Exchange exchange) {
        String db = request.header("db");
        String label = request.header("label");
        if (db == null || db.isBlank()) {
            return Route.answer(feFailed("No database selected."));
        }
        if (label == null || label.isBlank()) {
            return Route.answer(feFailed("Empty label."));
        }
        if (!catalog.hasDatabase(db)) {
            return Route.answer(feFailed("Database[" + db + "] does not exist."));
        }
        LoadRecord r = catalog.find(db, label);
        HttpListener owner = r == null ? null : coordinators.get(r);
        switch (op) {
            case "begin":
                return Route.to(r != null && r.state() == LoadState.PREPARE && owner != null && owner.isRunning()
                        ? owner : null);
            case "load":
                if (r == null) {
                    return Route.answer(feFailed("Can't find the transaction with db [" + db + "] and label[" + label
                            + "]. The possible reasons: 1. FE leader is started or switched; "
                            + "2. The transaction timeouts and is cleaned."));
                }
                return Route.to(owner);
            default:
                break;
        }
        if (r == null) {
            return Route.answer(feFailed("No transaction found with db[" + db + "] and label[" + label + "]"));
        }
        if (op.equals("prepare") || r.state() == LoadState.PREPARE) {
            return Route.to(owner);
        }
        return Route.answer(op.equals("commit") ? feCommit(db, r, request, exchange) : feRollback(r));
    }

    /** Commit on the FE: a prepared transaction is committed, a finished one said to be, an aborted one refused. */
    private HttpResponse feCommit(String db, LoadRecord r, HttpRequest request, Exchange exchange) {
        if (r.state() == LoadState.PREPARED) {
            holdOnFe(r);
            try {
                if (r.state() == LoadState.PREPARED) {
                    TableData data = catalog.table(db, r.table());
                    if (data == null) {
                        loads.abort(r, "table dropped");
                        return feFailed(LoadService.unknownTableMessage(db, r.table()));
                    }
                    return loads.commitPending(r, data, request, exchange, publishTimeout -> feOk(r, ""));
                }
            } finally {
                r.release();
            }
        }
        LoadState state = r.state();
        if (state.finished()) {
            return feOk(r, "Transaction " + r.txnId() + " has already committed, label is " + r.label());
        }
        return feFailed("Can not commit " + state + " transaction " + r.txnId() + ", label is " + r.label());
    }

    /** Rollback on the FE: a prepared transaction is aborted, an aborted one said to be, a finished one refused. */
    private HttpResponse feRollback(LoadRecord r) {
        if (r.state() == LoadState.PREPARED) {
            holdOnFe(r);
            try {
                if (r.state() == LoadState.PREPARED) {
                    loads.abort(r, "User Aborted");
                    return feOk(r, "");
                }
            } finally {
                r.release();
            }
        }
        LoadState state = r.state();
        if (state == LoadState.ABORTED) {
            return feOk(r, "Transaction " + r.txnId() + " has already aborted, label is " + r.label());
        }
        return feFailed("Can not abort " + state + " transaction " + r.txnId() + ", label is " + r.label());
    }

    /**
     * The FE's transaction manager takes one change of a transaction at a time: wait for whatever else
     * holds a prepared transaction (the timeout sweep, another commit or rollback sent to the FE), which
     * never holds it for long.
     */
    private static void holdOnFe(LoadRecord r) {
        while (!r.acquire()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * The FE's own answer ({@code TransactionResult}: a {@code HashMap} written by Gson, so in the
     * map's order): Status, TxnId, Message, Label.
     */
    private static HttpResponse feOk(LoadRecord r, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "OK");
        m.put("TxnId", r.txnId());
        m.put("Message", message);
        m.put("Label", r.label());
        return HttpResponse.json(200, Json.write(m));
    }

    /** An FE-side error of the transaction interface: a {@code StarRocksException} caught by the action. */
    private static HttpResponse feFailed(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "FAILED");
        m.put("Message", "class com.starrocks.common.StarRocksException: " + message);
        return HttpResponse.json(200, Json.write(m));
    }

    /**
     * An answer in the shape of StarRocks' {@code StreamLoadContext::to_resp_json}: Status (the code
     * name) first, then ExistingJobStatus for LABEL_ALREADY_EXISTS or Label for TXN_IN_PROCESSING,
     * Message, and only on OK the Label, TxnId and the fields of the operation; ErrorURL last.
     */
    private static HttpResponse reply(String op, long txnId, String label, String status, String message,
                                      LoadRecord counters, String existingJobStatus) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status);
        if (existingJobStatus != null) {
            m.put("ExistingJobStatus", existingJobStatus);
        }
        if (status.equals("TXN_IN_PROCESSING")) {
            m.put("Label", label);
        }
        m.put("Message", message);
        if (status.equals("OK")) {
            m.put("Label", label);
            switch (op) {
                case "begin" -> {
                    m.put("TxnId", txnId);
                    m.put("BeginTxnTimeMs", 0);
                }
                case "prepare", "commit" -> {
                    m.put("TxnId", txnId);
                    m.put("NumberTotalRows", counters.totalRows());
                    m.put("NumberLoadedRows", counters.loadedRows());
                    m.put("NumberFilteredRows", counters.filteredRows());
                    m.put("NumberUnselectedRows", counters.unselectedRows());
                    m.put("LoadBytes", counters.loadBytes());
                    m.put("LoadTimeMs", Math.max(0, System.currentTimeMillis() - counters.createdMillis()));
                    m.put("StreamLoadPlanTimeMs", 0);
                    m.put("ReceivedDataTimeMs", 0);
                    m.put("WriteDataTimeMs", 0);
                    m.put("CommitAndPublishTimeMs", 0);
                }
                default -> {
                    // rollback: nothing more; load adds its own fields (see loaded()).
                }
            }
        }
        if (counters != null && counters.errorUrl() != null) {
            m.put("ErrorURL", counters.errorUrl());
        }
        return HttpResponse.json(200, Json.write(m));
    }

    /** The answer to one {@code load} call: the bytes of this request, not of the transaction. */
    private static HttpResponse loaded(LoadRecord r, String label, long requestBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "OK");
        m.put("Message", "");
        m.put("Label", label);
        m.put("TxnId", r.txnId());
        m.put("LoadBytes", requestBytes);
        m.put("StreamLoadPlanTimeMs", 0);
        m.put("ReceivedDataTimeMs", 0);
        if (r.errorUrl() != null) {
            m.put("ErrorURL", r.errorUrl());
        }
        return HttpResponse.json(200, Json.write(m));
    }

    private static HttpResponse error(String label, String status, String message) {
        return reply("", -1, label, status, message, null, null);
    }

    /** A BE without the transaction's stream context: never begun there, or no longer open. */
    private static HttpResponse txnNotExists(String label) {
        return error(label, "TXN_NOT_EXISTS", "transaction with label " + label + " not exists");
    }

    /** The same, as the BE's data path words it ({@code TransactionStreamLoadAction::on_header}). */
    private static HttpResponse loadTxnNotExists(String label) {
        return error(label, "TXN_NOT_EXISTS", "Transaction with label " + label + " not exists");
    }

    /** Whether {@code self} holds the transaction's stream context: it began it, and it is still open. */
    private boolean heldBy(LoadRecord r, HttpListener self) {
        return r != null && r.kind() == LoadRecord.Kind.TRANSACTION && r.state() == LoadState.PREPARE
                && coordinators.get(r) == self;
    }

    private static HttpResponse inProcessing(String label) {
        return error(label, "TXN_IN_PROCESSING", "Transaction in processing, please retry later");
    }

    /**
     * {@code /api/transaction/{op}} on the BE {@code self}, redirected there by the FE or sent there
     * directly: {@code begin} makes it the transaction's coordinator; the other steps need it to be.
     */
    HttpResponse handle(String op, HttpRequest request, Exchange exchange, HttpListener self) throws IOException {
        String label = request.header("label");
        String db = request.header("db");
        String table = request.header("table");
        if (label == null || db == null) {
            return error(label, "INVALID_ARGUMENT", "Missing header: the transaction API needs 'label' and 'db' headers"
                    + (op.equals("begin") || op.equals("load") ? " and 'table'" : ""));
        }
        return switch (op) {
            case "begin" -> begin(db, table, label, request, self);
            case "load" -> load(db, table, label, request, exchange, self);
            case "prepare" -> prepare(db, label, self);
            case "commit" -> commit(db, label, request, exchange, self);
            case "rollback" -> rollback(db, label, self);
            default -> HttpResponse.text(404, "unknown transaction operation '" + op + "'");
        };
    }

    private HttpResponse begin(String db, String table, String label, HttpRequest request, HttpListener self) {
        if (table == null) {
            return error(label, "INVALID_ARGUMENT", "Missing header 'table'");
        }
        if (catalog.table(db, table) == null) {
            return error(label, "FAILED", LoadService.unknownTableMessage(db, table));
        }
        if (!Catalog.validLabel(label)) {
            return error(label, "INVALID_ARGUMENT", "Invalid label format: '" + label + "'");
        }
        LoadRecord r;
        try {
            r = catalog.begin(db, table, label, LoadRecord.Kind.TRANSACTION);
        } catch (LabelAlreadyExists e) {
            return reply("begin", -1, label, "LABEL_ALREADY_EXISTS", e.getMessage(), null,
                    loads.dialect().existingJobStatus(e.existing().state()));
        }
        coordinators.put(r, self);
        r.timeouts(seconds(request.header("timeout"), 0), seconds(request.header("idle_transaction_timeout"), 0),
                seconds(request.header("prepared_timeout"), 0));
        return reply("begin", r.txnId(), label, "OK", "", r, null);
    }

    private static long seconds(String header, long dflt) {
        if (header == null) {
            return dflt;
        }
        try {
            return Long.parseLong(header.trim()) * 1000;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private HttpResponse load(String db, String table, String label, HttpRequest request, Exchange exchange,
                              HttpListener self) throws IOException {
        String selfUrl = self.url();
        LoadRecord r = catalog.find(db, label);
        if (!heldBy(r, self)) {
            return loadTxnNotExists(label);
        }
        if (table != null && !table.equalsIgnoreCase(r.table())) {
            return error(label, "INVALID_ARGUMENT", "Request table " + table + " not equal transaction table " + r.table());
        }
        if (!r.acquire()) {
            return inProcessing(label);
        }
        try {
            if (r.state() != LoadState.PREPARE) {
                return loadTxnNotExists(label); // rolled back while this request waited for the transaction
            }
            TableData data = catalog.table(db, r.table());
            if (data == null) {
                loads.abort(r, "unknown table");
                return error(label, "FAILED", LoadService.unknownTableMessage(db, r.table()));
            }
            LoadOptions options;
            try {
                options = LoadOptions.of(request, loads.dialect());
            } catch (LoadFailure e) {
                loads.abort(r, e.getMessage());
                return error(label, "INVALID_ARGUMENT", e.getMessage());
            }
            LoadService.Body body = loads.readBody(r, options, request, exchange, data.definition().table(),
                    data.definition().counting());
            if (body == null) {
                return null;
            }
            if (body.failure != null) {
                loads.abort(r, body.failure.getMessage());
                return error(label, "INVALID_ARGUMENT", body.failure.getMessage());
            }
            if (body.countedRows >= 0) {
                r.addPending(List.of(), body.countedRows);
                r.addCounts(body.countedRows, body.countedRows, 0, 0, body.receivedBytes);
            } else {
                ParsedBatch batch;
                try {
                    batch = BodyParser.parse(data.definition(), options, body.bytes, loads.dialect().readsOpFromJsonRows());
                } catch (LoadFailure e) {
                    loads.abort(r, e.getMessage());
                    return error(label, "INVALID_ARGUMENT", e.getMessage());
                }
                if (!batch.rejections.isEmpty()) {
                    r.errorUrl(loads.writeErrorLog(r, batch, selfUrl));
                }
                r.addPending(batch.rows, 0);
                r.addCounts(batch.total(), batch.rows.size(), batch.filtered(), batch.unselected, body.receivedBytes);
                r.maxFilterRatio(options.maxFilterRatio);
            }
            loads.delayIfAsked(request, data.definition().table(), label);
            return loaded(r, label, body.receivedBytes);
        } finally {
            r.release();
        }
    }

    private HttpResponse prepare(String db, String label, HttpListener self) {
        LoadRecord r = catalog.find(db, label);
        if (!heldBy(r, self)) {
            return txnNotExists(label);
        }
        if (!r.acquire()) {
            return inProcessing(label);
        }
        try {
            if (r.state() != LoadState.PREPARE) {
                return txnNotExists(label);
            }
            if (exceedsFilterRatio(r)) {
                loads.abort(r, "too many filtered rows");
                return reply("prepare", r.txnId(), label, "FAILED", "too many filtered rows", r, null);
            }
            r.state(LoadState.PREPARED);
            return reply("prepare", r.txnId(), label, "OK", "", r, null);
        } finally {
            r.release();
        }
    }

    private HttpResponse commit(String db, String label, HttpRequest request, Exchange exchange, HttpListener self) {
        LoadRecord r = catalog.find(db, label);
        if (!heldBy(r, self)) {
            return txnNotExists(label);
        }
        if (!r.acquire()) {
            return inProcessing(label);
        }
        try {
            if (r.state() != LoadState.PREPARE) {
                return txnNotExists(label);
            }
            if (exceedsFilterRatio(r)) {
                loads.abort(r, "too many filtered rows");
                return reply("commit", r.txnId(), label, "FAILED", "too many filtered rows", r, null);
            }
            TableData data = catalog.table(db, r.table());
            if (data == null) {
                loads.abort(r, "table dropped");
                return error(label, "FAILED", LoadService.unknownTableMessage(db, r.table()));
            }
            return loads.commitPending(r, data, request, exchange, publishTimeout ->
                    reply("commit", r.txnId(), label, "OK", publishTimeout ? "publish timeout" : "", r, null));
        } finally {
            r.release();
        }
    }

    private HttpResponse rollback(String db, String label, HttpListener self) {
        LoadRecord r = catalog.find(db, label);
        if (!heldBy(r, self)) {
            return txnNotExists(label);
        }
        // No waiting for a load in progress: the BE cancels it (rollback_transaction takes no lock).
        loads.abort(r, "transaction is aborted by user.");
        return reply("rollback", r.txnId(), label, "OK", "", null, null);
    }

    /** Doris {@code PUT /api/{db}/_stream_load_2pc} with {@code txn_id} or {@code label} and {@code txn_operation}. */
    HttpResponse dorisTwoPhase(String db, HttpRequest request, Exchange exchange) {
        String op = request.header("txn_operation");
        String txnId = request.header("txn_id");
        String label = request.header("label");
        LoadRecord r = null;
        if (txnId != null) {
            try {
                r = catalog.findByTxnId(db, Long.parseLong(txnId.trim()));
            } catch (NumberFormatException e) {
                return doris("Fail", "errCode = 2, detailMessage = invalid txn_id '" + txnId + "'");
            }
        } else if (label != null) {
            r = catalog.find(db, label);
        } else {
            return doris("Fail", "errCode = 2, detailMessage = txn_id or label is required");
        }
        if (op == null || !(op.equalsIgnoreCase("commit") || op.equalsIgnoreCase("abort"))) {
            return doris("Fail", "errCode = 2, detailMessage = txn_operation must be commit or abort");
        }
        String id = txnId != null ? txnId.trim() : r == null ? "-1" : Long.toString(r.txnId());
        if (r == null) {
            return doris("Fail", "errCode = 2, detailMessage = transaction [" + id + "] not found");
        }
        if (op.equalsIgnoreCase("abort")) {
            if (r.state().finished()) {
                return doris("Fail", "errCode = 2, detailMessage = transaction [" + id + "] is already "
                        + r.state() + ", could not abort.");
            }
            if (r.state() != LoadState.ABORTED) {
                loads.abort(r, "aborted by the client");
            }
            return doris("Success", "transaction [" + id + "] abort successfully.");
        }
        if (r.state() == LoadState.ABORTED) {
            return doris("Fail", "errCode = 2, detailMessage = transaction [" + id + "] is already aborted. abort reason: "
                    + r.message());
        }
        if (r.state().finished()) {
            return doris("Fail", "errCode = 2, detailMessage = transaction [" + id + "] is already " + r.state()
                    + ", not pre-committed.");
        }
        if (r.state() != LoadState.PREPARED) {
            return doris("Fail", "errCode = 2, detailMessage = transaction [" + id + "] is not pre-committed yet");
        }
        TableData data = catalog.table(db, r.table());
        if (data == null) {
            loads.abort(r, "table dropped");
            return doris("Fail", "errCode = 2, detailMessage = " + LoadService.unknownTableMessage(db, r.table()));
        }
        return loads.commitPending(r, data, request, exchange,
                publishTimeout -> doris("Success", "transaction [" + id + "] commit successfully."));
    }

    private static HttpResponse doris(String status, String msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("msg", msg);
        return HttpResponse.json(200, Json.write(m));
    }

    /** Rolls back transactions left idle or prepared past their timeouts, as the FE does. */
    void expireTransactions() {
        long now = System.currentTimeMillis();
        for (LoadRecord r : catalog.loads()) {
            LoadState s = r.state();
            if (s == LoadState.PREPARE && r.kind() == LoadRecord.Kind.TRANSACTION
                    && now - r.createdMillis() > r.timeoutMillis() && r.acquire()) {
                try {
                    loads.abort(r, "transaction is aborted by timeout.");
                } finally {
                    r.release();
                }
            } else if (s == LoadState.PREPARE && r.kind() == LoadRecord.Kind.TRANSACTION
                    && now - r.lastActivityMillis() > r.idleTimeoutMillis() && r.acquire()) {
                try {
                    loads.abort(r, "transaction is aborted by idle timeout.");
                } finally {
                    r.release();
                }
            } else if (s == LoadState.PREPARED && now - r.preparedMillis() > r.preparedTimeoutMillis() && r.acquire()) {
                try {
                    loads.abort(r, "prepared transaction timeout");
                } finally {
                    r.release();
                }
            }
        }
    }

    /**
     * Filtered rows over the rows the {@code where} selected, as both servers compute the ratio
     * ({@code stream_load_executor.cpp}); unselected rows are neither loaded nor filtered.
     */
    private static boolean exceedsFilterRatio(LoadRecord r) {
        long selected = r.totalRows() - r.unselectedRows();
        return selected > 0 && (double) r.filteredRows() / selected > r.maxFilterRatio();
    }
}
