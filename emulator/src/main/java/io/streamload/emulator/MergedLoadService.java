package io.streamload.emulator;

import io.streamload.emulator.dialect.MergedReply;
import io.streamload.emulator.http.Exchange;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import io.streamload.emulator.load.BodyParser;
import io.streamload.emulator.load.ErrorCode;
import io.streamload.emulator.load.LoadFailure;
import io.streamload.emulator.load.LoadOptions;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.ParsedBatch;
import io.streamload.emulator.table.TableData;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A BE's side of a load the server merges with others (StarRocks merge commit, Doris group
 * commit): the body is read and its rows checked, the load joins the open window of its table
 * ({@link MergeWindows}), and in sync mode the answer waits until the window's transaction is
 * visible (StarRocks {@code IsomorphicBatchWrite::_wait_for_load_status}); in async mode it comes
 * once the rows are received. The answer names the window's transaction and its label, never the
 * client's label, which the server does not keep: a load sent again is merged again.
 */
final class MergedLoadService {
    private static final EnumSet<FaultKind> AFTER_COMMIT =
            EnumSet.of(FaultKind.HTTP_502_AFTER_COMMIT, FaultKind.RESET_AFTER_COMMIT, FaultKind.PUBLISH_TIMEOUT);

    private final LoadService loads;
    private final MergeWindows windows;

    MergedLoadService(LoadService loads, MergeWindows windows) {
        this.loads = loads;
        this.windows = windows;
    }

    /** Returns the answer, or null when the connection was reset instead. */
    HttpResponse load(String db, TableData table, MergeRequest merge, HttpRequest request, Exchange exchange,
                      String selfUrl) throws IOException {
        long started = System.nanoTime();
        String header = request.header("label");
        String requestId = header == null || header.isBlank() ? UUID.randomUUID().toString() : header;
        if (merge.refusal() != null) {
            return answer(MergedReply.fail(-1, "", requestId, merge.refusalCode(), merge.refusal(), 0, 0));
        }
        LoadOptions options;
        try {
            options = LoadOptions.of(request, loads.dialect());
        } catch (LoadFailure e) {
            return answer(MergedReply.fail(-1, "", requestId, e.code(), e.getMessage(), 0, 0));
        }
        String tableName = table.definition().table();
        // A record of this request only, outside the catalog: the server keeps no label of it.
        LoadRecord own = new LoadRecord(db, tableName, requestId, -1, LoadRecord.Kind.STREAM_LOAD);
        LoadService.Body body = loads.readBody(own, options, request, exchange, tableName, table.definition().counting());
        if (body == null) {
            return null;
        }
        if (body.failure != null) {
            return answer(MergedReply.fail(-1, "", requestId, body.failure.code(), body.failure.getMessage(),
                    body.receivedBytes, LoadService.elapsedMs(started)));
        }
        ParsedBatch batch = null;
        long total = body.countedRows;
        if (body.countedRows < 0) {
            try {
                batch = BodyParser.parse(table.definition(), options, body.bytes, loads.dialect().readsOpFromJsonRows());
            } catch (LoadFailure e) {
                return answer(MergedReply.fail(-1, "", requestId, e.code(), e.getMessage(), body.receivedBytes,
                        LoadService.elapsedMs(started)));
            }
            total = batch.total();
        }
        long filtered = batch == null ? 0 : batch.filtered();
        long unselected = batch == null ? 0 : batch.unselected;
        long loaded = total - filtered - unselected;
        boolean doris = loads.dialect().name().equals("doris");
        String errorUrl = null;
        if (doris && batch != null && !batch.rejections.isEmpty()) {
            // Doris checks each load's rows in its group commit sink and logs them for this load.
            errorUrl = loads.writeErrorLog(own, batch, selfUrl);
            long selected = total - unselected;
            if (selected > 0 && (double) filtered / selected > options.maxFilterRatio) {
                return answer(new MergedReply(-1, "", requestId, "Fail", "too many filtered rows",
                        ErrorCode.DATA_QUALITY_ERROR, total, loaded, filtered, unselected, body.receivedBytes,
                        LoadService.elapsedMs(started), 0, errorUrl));
            }
        }
        loads.delayIfAsked(request, tableName, header);
        MergeWindows.Member member = new MergeWindows.Member(batch == null ? List.of() : batch.rows,
                batch == null ? total : 0, total, doris ? 0 : filtered, unselected, body.receivedBytes,
                batch == null || doris ? List.of() : batch.rejections);
        MergeWindows.Window window = windows.join(db, table, merge, options.maxFilterRatio, member,
                (record, rejected) -> loads.writeErrorLog(record, rejected, selfUrl));
        long txnId = window.record.txnId();
        String label = window.record.label();
        if (merge.async()) {
            return answer(new MergedReply(txnId, label, requestId, "Success", "OK", null, total, loaded, filtered,
                    unselected, body.receivedBytes, LoadService.elapsedMs(started), 0, errorUrl));
        }
        long waitStarted = System.nanoTime();
        String failure;
        try {
            failure = window.committed.get(options.timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return answer(MergedReply.fail(txnId, label, requestId, ErrorCode.TIMEOUT,
                    "load timeout, txn status: PREPARE", body.receivedBytes, LoadService.elapsedMs(started)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            failure = String.valueOf(e.getCause());
        }
        long waited = LoadService.elapsedMs(waitStarted);
        if (failure != null) {
            // StarRocks IsomorphicBatchWrite::_wait_for_load_status on an ABORTED transaction; Doris
            // answers with the status of its internal load, the code its prefix.
            return answer(new MergedReply(txnId, label, requestId, "Fail",
                    doris ? failure : "Load is aborted, reason: " + failure, window.failureCode, total, 0, filtered,
                    unselected, body.receivedBytes, LoadService.elapsedMs(started), waited, null));
        }
        Fault after = loads.faults().take(AFTER_COMMIT, request.path(), tableName, header);
        if (after != null && after.kind() == FaultKind.HTTP_502_AFTER_COMMIT) {
            return LoadService.proxyPage(502);
        }
        if (after != null && after.kind() == FaultKind.RESET_AFTER_COMMIT) {
            exchange.reset();
            return null;
        }
        if (after != null && after.kind() == FaultKind.PUBLISH_TIMEOUT) {
            // Committed, its publish not yet confirmed: StarRocks answers Fail with this message
            // (_wait_for_load_status on COMMITTED), Doris as any load.
            return answer(doris
                    ? new MergedReply(txnId, label, requestId, "Publish Timeout", "transaction commit successfully, "
                            + "publish timeout", null, total, loaded, filtered, unselected, body.receivedBytes,
                            LoadService.elapsedMs(started), waited, errorUrl)
                    : MergedReply.fail(txnId, label, requestId, ErrorCode.TIMEOUT,
                            "Load has not been published before timeout", body.receivedBytes,
                            LoadService.elapsedMs(started)));
        }
        return answer(new MergedReply(txnId, label, requestId, "Success", "OK", null, total, loaded, filtered, unselected,
                body.receivedBytes, LoadService.elapsedMs(started), waited, errorUrl));
    }

    private HttpResponse answer(MergedReply reply) {
        return HttpResponse.json(200, loads.dialect().mergedLoadResponse(reply));
    }
}
