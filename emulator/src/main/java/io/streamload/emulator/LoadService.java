package io.streamload.emulator;

import io.streamload.emulator.dialect.LoadReply;
import io.streamload.emulator.dialect.ServerDialect;
import io.streamload.emulator.http.Exchange;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import io.streamload.emulator.load.BodyParser;
import io.streamload.emulator.load.Catalog;
import io.streamload.emulator.load.ErrorCode;
import io.streamload.emulator.load.LabelAlreadyExists;
import io.streamload.emulator.load.LoadFailure;
import io.streamload.emulator.load.LoadOptions;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.load.ParsedBatch;
import io.streamload.emulator.load.Row;
import io.streamload.emulator.load.RowCounter;
import io.streamload.emulator.table.TableData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Executes stream loads, the two-phase commit of Doris, and the label-state query: the work a BE
 * does once the FE has redirected a load to it. Every load is all or nothing: rows are applied to the
 * table in one step at commit, and a failure leaves the label free for a retry.
 */
final class LoadService {
    private static final EnumSet<FaultKind> AFTER_COMMIT =
            EnumSet.of(FaultKind.HTTP_502_AFTER_COMMIT, FaultKind.RESET_AFTER_COMMIT, FaultKind.PUBLISH_TIMEOUT);

    private final Catalog catalog;
    private final ServerDialect dialect;
    private final FaultPlan faults;
    private final EmulatorSettings settings;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger activeLoads = new AtomicInteger();
    private final MergedLoadService merged;
    private final TabletVersions versions;

    LoadService(Catalog catalog, ServerDialect dialect, FaultPlan faults, EmulatorSettings settings,
                ScheduledExecutorService scheduler, TabletVersions versions) {
        this.versions = versions;
        this.catalog = catalog;
        this.dialect = dialect;
        this.faults = faults;
        this.settings = settings;
        this.scheduler = scheduler;
        this.merged = new MergedLoadService(this, new MergeWindows(catalog, dialect, scheduler, versions));
    }

    Catalog catalog() {
        return catalog;
    }

    ServerDialect dialect() {
        return dialect;
    }

    FaultPlan faults() {
        return faults;
    }

    EmulatorSettings settings() {
        return settings;
    }

    static HttpResponse proxyPage(int status) {
        String reason = switch (status) {
            case 502 -> "502 Bad Gateway";
            case 503 -> "503 Service Temporarily Unavailable";
            case 504 -> "504 Gateway Time-out";
            default -> status + " Error";
        };
        return HttpResponse.html(status, "<html>\r\n<head><title>" + reason + "</title></head>\r\n<body>\r\n<center><h1>"
                + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n").closeConnection();
    }

    /**
     * Faults that strike as a request arrives, before anything is loaded. Returns the answer to send
     * instead of handling the request, or null.
     */
    HttpResponse arrivalFault(HttpRequest request, String table, String label) {
        Fault f = faults.take(FaultKind.Stage.ARRIVAL, request.path(), table, label);
        if (f == null) {
            return null;
        }
        return switch (f.kind()) {
            case HTTP_502_BEFORE_LOAD -> proxyPage(502);
            case HTTP_503_BEFORE_LOAD -> proxyPage(503);
            case HTTP_504_BEFORE_LOAD -> proxyPage(504);
            case THROTTLE_CONCURRENT_LIMIT -> failReply(label, ErrorCode.TOO_MANY_TASKS,
                    "Stream Load exceed http cuncurrent limit " + settings.maxConcurrentLoads() + ", please try again later");
            case SERVICE_SHUTTING_DOWN -> failReply(label, ErrorCode.INTERNAL_ERROR, "Service is shutting down, please retry later!");
            case RUNNING_TXNS_LIMIT -> failReply(label, ErrorCode.TOO_MANY_TASKS,
                    "current running txns on db " + dbOf(request) + " is 1000, larger than limit 1000");
            default -> null;
        };
    }

    private static String dbOf(HttpRequest request) {
        if (request.header("db") != null) {
            return request.header("db"); // transaction calls name the database in a header, not the path
        }
        String[] parts = request.path().split("/");
        return parts.length > 2 ? parts[2] : "unknown";
    }

    private HttpResponse failReply(String label, ErrorCode code, String message) {
        return HttpResponse.json(200, dialect.loadResponse(LoadReply.fail(-1, label, code, message)));
    }

    /** {@code PUT /api/{db}/{table}/_stream_load} on a BE. Returns null when the connection was reset. */
    HttpResponse streamLoad(String db, String tableName, HttpRequest request, Exchange exchange, String selfUrl)
            throws IOException {
        long started = System.nanoTime();
        String label = request.header("label");
        if (label == null || label.isBlank()) {
            label = "auto_" + UUID.randomUUID().toString().replace('-', '_');
        }
        TableData table = catalog.table(db, tableName);
        if (table == null) {
            return failReply(label, ErrorCode.NOT_FOUND, unknownTableMessage(db, tableName));
        }
        MergeRequest merge = MergeRequest.of(dialect.name(), request, db, tableName, settings.mergesLoads(),
                settings.groupCommitInterval());
        if (merge.merged() || merge.refusal() != null) {
            if (activeLoads.incrementAndGet() > settings.maxConcurrentLoads()) {
                activeLoads.decrementAndGet();
                return failReply(label, ErrorCode.TOO_MANY_TASKS, "Stream Load exceed http cuncurrent limit "
                        + settings.maxConcurrentLoads() + ", please try again later");
            }
            try {
                return merged.load(db, table, merge, request, exchange, selfUrl);
            } finally {
                activeLoads.decrementAndGet();
            }
        }
        if (!Catalog.validLabel(label)) {
            return failReply(label, ErrorCode.INVALID_ARGUMENT, "Invalid label format: '" + label
                    + "'. A label has 1 to 128 characters from [-_A-Za-z0-9]");
        }
        LoadOptions options;
        try {
            options = LoadOptions.of(request, dialect);
        } catch (LoadFailure e) {
            return failReply(label, e.code(), e.getMessage());
        }
        if (options.twoPhaseCommit && !dialect.supportsTwoPhaseStreamLoad()) {
            return failReply(label, ErrorCode.INVALID_ARGUMENT,
                    "two_phase_commit is not supported by stream load here; use /api/transaction/*");
        }
        long declared = request.contentLength();
        if (declared > settings.maxBodyBytes()) {
            return failReply(label, ErrorCode.INVALID_ARGUMENT,
                    "body size " + declared + " exceed limit: " + settings.maxBodyBytes());
        }
        LoadRecord record;
        try {
            record = catalog.begin(db, table.definition().table(), label, LoadRecord.Kind.STREAM_LOAD);
        } catch (LabelAlreadyExists e) {
            return labelExists(e.existing());
        }
        if (activeLoads.incrementAndGet() > settings.maxConcurrentLoads()) {
            activeLoads.decrementAndGet();
            abort(record, "too many concurrent loads");
            return failReply(label, ErrorCode.TOO_MANY_TASKS, "Stream Load exceed http cuncurrent limit "
                    + settings.maxConcurrentLoads() + ", please try again later");
        }
        try {
            return executeStreamLoad(record, table, options, request, exchange, selfUrl, started);
        } catch (IOException | RuntimeException e) {
            abort(record, "load failed: " + e.getMessage());
            throw e;
        } finally {
            activeLoads.decrementAndGet();
        }
    }

    private HttpResponse executeStreamLoad(LoadRecord record, TableData table, LoadOptions options, HttpRequest request,
                                           Exchange exchange, String selfUrl, long started) throws IOException {
        String label = record.label();
        String tableName = table.definition().table();
        Body body = readBody(record, options, request, exchange, tableName, table.definition().counting());
        if (body == null) {
            return null; // reset while reading
        }
        if (body.failure != null) {
            abort(record, body.failure.getMessage());
            return failReply(label, body.failure.code(), body.failure.getMessage());
        }
        TabletVersions.Refusal tooMany = versions.check(table.definition().database(), tableName);
        if (tooMany != null) {
            // The tablet writer refuses to open before any row is written: nothing loads, the label stays free.
            String message = dialect.tooManyVersions(tooMany.tabletId(), tooMany.versions(), tooMany.limit());
            abort(record, message);
            return HttpResponse.json(200, dialect.loadResponse(new LoadReply(record.txnId(), label, "Fail", null,
                    message, ErrorCode.TOO_MANY_VERSION, 0, 0, 0, 0, body.receivedBytes, elapsedMs(started), false,
                    null)));
        }
        ParsedBatch batch = null;
        long total;
        long filtered;
        if (body.countedRows >= 0) {
            total = body.countedRows;
            filtered = 0;
        } else {
            try {
                batch = BodyParser.parse(table.definition(), options, body.bytes, dialect().readsOpFromJsonRows());
            } catch (LoadFailure e) {
                abort(record, e.getMessage());
                return failReply(label, e.code(), e.getMessage());
            }
            total = batch.total();
            filtered = batch.filtered();
        }
        long loaded = total - filtered - (batch == null ? 0 : batch.unselected);
        String errorUrl = batch == null || batch.rejections.isEmpty() ? null : writeErrorLog(record, batch, selfUrl);
        record.errorUrl(errorUrl);
        // The ratio is of the rows the where selected (stream_load_executor.cpp, both targets).
        long selected = total - (batch == null ? 0 : batch.unselected);
        if (selected > 0 && (double) filtered / selected > options.maxFilterRatio) {
            abort(record, "too many filtered rows");
            return HttpResponse.json(200, dialect.loadResponse(new LoadReply(record.txnId(), label, "Fail", null,
                    "too many filtered rows", ErrorCode.DATA_QUALITY_ERROR, total, loaded, filtered,
                    batch == null ? 0 : batch.unselected, body.receivedBytes, elapsedMs(started), false, errorUrl)));
        }
        record.addCounts(total, loaded, filtered, batch == null ? 0 : batch.unselected, body.receivedBytes);
        delayIfAsked(request, tableName, label);
        if (elapsedMs(started) > TimeUnit.SECONDS.toMillis(options.timeoutSeconds)) {
            // A load that outlives its timeout is cancelled before commit: nothing is written.
            abort(record, "load timeout");
            return failReply(label, ErrorCode.TIMEOUT, "Timeout by txn manager: the load took longer than its timeout of "
                    + options.timeoutSeconds + " s");
        }
        if (batch != null) {
            record.addPending(batch.rows, 0);
        } else {
            record.addPending(List.of(), total);
        }
        if (options.twoPhaseCommit) {
            record.twoPhase(true);
            record.state(LoadState.PREPARED);
            return HttpResponse.json(200, dialect.loadResponse(new LoadReply(record.txnId(), label, "Success", null, "OK",
                    null, total, loaded, filtered, batch == null ? 0 : batch.unselected, body.receivedBytes,
                    elapsedMs(started), true, errorUrl)));
        }
        long unselected = batch == null ? 0 : batch.unselected;
        return commitPending(record, table, request, exchange, publishTimeout -> HttpResponse.json(200,
                dialect.loadResponse(new LoadReply(record.txnId(), label,
                        publishTimeout ? "Publish Timeout" : "Success", null,
                        publishTimeout ? "transaction commit successfully, publish timeout" : "OK", null, total, loaded,
                        filtered, unselected, body.receivedBytes, elapsedMs(started), false, errorUrl))));
    }

    /**
     * Commits what the record holds (its pending rows, or the row count of a counting table) and
     * makes it visible, later when publishing "times out". Then an after-commit fault may replace
     * the answer the client gets; otherwise {@code answer} builds it, told whether publishing timed
     * out. Returns null when the connection was reset instead of answering.
     */
    HttpResponse commitPending(LoadRecord record, TableData table, HttpRequest request, Exchange exchange,
                               Function<Boolean, HttpResponse> answer) {
        Fault after = faults.take(AFTER_COMMIT, request.path(), table.definition().table(), record.label());
        boolean publishTimeout = after != null && after.kind() == FaultKind.PUBLISH_TIMEOUT;
        long countedRows = record.takePendingCounted();
        List<Row> rows = record.takePending();
        long bytes = record.loadBytes();
        versions.added(table.definition().database(), table.definition().table());
        Runnable apply = () -> {
            if (table.definition().counting()) {
                table.count(countedRows, bytes);
            } else {
                table.apply(rows, bytes);
            }
            record.state(LoadState.VISIBLE);
        };
        if (publishTimeout) {
            record.state(LoadState.COMMITTED);
            scheduler.schedule(apply, settings.publishDelay().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            apply.run();
        }
        if (after != null && after.kind() == FaultKind.HTTP_502_AFTER_COMMIT) {
            return proxyPage(502);
        }
        if (after != null && after.kind() == FaultKind.RESET_AFTER_COMMIT) {
            exchange.reset();
            return null;
        }
        return answer.apply(publishTimeout);
    }

    void delayIfAsked(HttpRequest request, String tableName, String label) {
        Fault delay = faults.take(EnumSet.of(FaultKind.DELAY), request.path(), tableName, label);
        if (delay != null) {
            try {
                Thread.sleep(delay.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void abort(LoadRecord record, String why) {
        record.message(why);
        record.dropPending();
        record.state(LoadState.ABORTED);
    }

    static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    static String unknownTableMessage(String db, String table) {
        return "Unknown table '" + db + "." + table + "': create it first (PUT /_emulator/tables/" + db + "/" + table + ")";
    }

    HttpResponse labelExists(LoadRecord existing) {
        return HttpResponse.json(200, dialect.loadResponse(new LoadReply(-1, existing.label(), "Label Already Exists",
                dialect.existingJobStatus(existing.state()), "Label [" + existing.label() + "] has already been used.",
                ErrorCode.LABEL_ALREADY_EXISTS, 0, 0, 0, 0, 0, 0, existing.twoPhase(), null)));
    }

    String writeErrorLog(LoadRecord record, ParsedBatch batch, String selfUrl) {
        List<String> lines = new ArrayList<>(batch.rejections.size());
        for (ParsedBatch.Rejection r : batch.rejections) {
            if (r.row() == null) {
                continue; // beyond the CSV scanner's limit: filtered, but not logged
            }
            lines.add(dialect.errorLogLine(r.reason(), r.row()));
        }
        String file = String.format("error_log_%016x_%016x", record.txnId(), ThreadLocalRandom.current().nextLong());
        catalog.putErrorLog(file, dialect.errorLog(lines));
        return selfUrl + "/api/_load_error_log?file=" + file;
    }

    /** The received body, or the counts of a counting table, or why it could not be read. */
    static final class Body {
        byte[] bytes;
        long receivedBytes;
        long countedRows = -1;
        LoadFailure failure;
    }

    /** Reads (and decompresses) the body; null when a fault reset the connection mid-body. */
    Body readBody(LoadRecord record, LoadOptions options, HttpRequest request, Exchange exchange, String tableName,
                  boolean counting) throws IOException {
        Body body = new Body();
        InputStream raw = request.body();
        Fault reset = faults.take(FaultKind.Stage.BODY, request.path(), tableName, record.label());
        if (reset != null) {
            long half = Math.max(1, request.contentLength() / 2);
            raw.readNBytes((int) Math.min(half, 1 << 20));
            abort(record, "connection reset while reading the body");
            exchange.reset();
            return null;
        }
        CountingInputStream counted = new CountingInputStream(raw, settings.maxBodyBytes());
        InputStream in;
        try {
            in = options.compression == null ? counted : options.compression.decode(counted);
        } catch (CountingInputStream.TooLarge e) {
            body.failure = new LoadFailure(ErrorCode.INVALID_ARGUMENT,
                    "body size " + e.size + " exceed limit: " + settings.maxBodyBytes());
            return body;
        } catch (IOException e) {
            // Most decoders read their header at once: a body that is not in the announced format
            // fails here, and must get a Fail answer, not an HTTP 500.
            counted.skipAll();
            body.failure = decompressionFailure(options, e);
            body.receivedBytes = counted.count();
            return body;
        }
        try {
            if (counting) {
                body.countedRows = RowCounter.count(in, options);
            } else {
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(256, Math.min(request.contentLength(), 64 << 20)));
                in.transferTo(out);
                body.bytes = out.toByteArray();
            }
            counted.skipAll();
        } catch (CountingInputStream.TooLarge e) {
            body.failure = new LoadFailure(ErrorCode.INVALID_ARGUMENT,
                    "body size " + e.size + " exceed limit: " + settings.maxBodyBytes());
        } catch (IOException e) {
            if (options.compression == null) {
                throw e; // the connection failed, not the data
            }
            counted.skipAll();
            body.failure = decompressionFailure(options, e);
        } finally {
            if (options.compression != null) {
                closeQuietly(in); // the decoder only: the request body stays open
            }
        }
        body.receivedBytes = counted.count();
        return body;
    }

    private static void closeQuietly(InputStream decoder) {
        try {
            decoder.close();
        } catch (IOException e) {
            // its native memory is freed; what it would say about the data was said while reading
        }
    }

    private LoadFailure decompressionFailure(LoadOptions options, IOException e) {
        return new LoadFailure(ErrorCode.INTERNAL_ERROR, options.compression.failureMessage(e, dialect));
    }

    /** {@code GET /api/{db}/get_load_state?label=}. */
    HttpResponse loadState(String db, String label) {
        LoadRecord r = catalog.find(db, label);
        return HttpResponse.json(200, dialect.loadStateResponse(dialect.stateName(r == null ? null : r.state())));
    }

    /** {@code GET /api/_load_error_log?file=}. */
    HttpResponse errorLog(String file) {
        String text = file == null ? null : catalog.errorLog(file);
        if (text == null) {
            return HttpResponse.text(404, "no error log named '" + file + "'");
        }
        return HttpResponse.text(200, text);
    }
}
