package io.streamload.emulator;

import io.streamload.emulator.dialect.Json;
import io.streamload.emulator.http.Exchange;
import io.streamload.emulator.http.HttpHandler;
import io.streamload.emulator.http.HttpListener;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * The FE: authenticates, insists on {@code Expect: 100-continue} for data, and redirects loads to a
 * live BE with a 307 (closing the connection, as the FE does). StarRocks' transaction calls go to
 * the BE that coordinates the label, except a commit or rollback the FE settles itself (see
 * {@link TransactionService#route}); Doris' 2PC calls go to any live BE. Label state queries are
 * answered here. The admin API lives under {@code /_emulator/}.
 */
final class FrontendHandler implements HttpHandler {
    private final LoadService loads;
    private final TransactionService transactions;
    private final List<HttpListener> backends;
    private final AdminApi admin;
    private final AtomicInteger nextBackend = new AtomicInteger();

    FrontendHandler(LoadService loads, TransactionService transactions, List<HttpListener> backends, AdminApi admin) {
        this.loads = loads;
        this.transactions = transactions;
        this.backends = backends;
        this.admin = admin;
    }

    @Override
    public HttpResponse handle(HttpRequest request, Exchange exchange) throws IOException {
        String path = request.path();
        if (path.startsWith("/_emulator/")) {
            return admin.handle(request);
        }
        Matcher m;
        if ((m = Routes.match(Routes.STREAM_LOAD, path)) != null) {
            return dataRequest(request, m.group(1), m.group(2), request.header("label"));
        }
        if ((m = Routes.match(Routes.TRANSACTION, path)) != null) {
            if (!loads.dialect().name().equals("starrocks")) {
                return HttpResponse.text(404, "Not Found: " + path);
            }
            return transactionRequest(m.group(1), request, exchange);
        }
        if ((m = Routes.match(Routes.LOAD_STATE, path)) != null) {
            HttpResponse denied = authenticate(request);
            if (denied != null) {
                return denied;
            }
            HttpResponse fault = loads.arrivalFault(request, null, request.queryParam("label"));
            return fault != null ? fault : loads.loadState(m.group(1), request.queryParam("label"));
        }
        if (((m = Routes.match(Routes.DORIS_2PC, path)) != null || (m = Routes.match(Routes.DORIS_2PC_TABLE, path)) != null)
                && loads.dialect().supportsTwoPhaseStreamLoad()) {
            return dorisTwoPhase(request);
        }
        boolean metadata = loads.settings().tableMetadataOverHttp();
        if (metadata && (m = Routes.match(Routes.TABLE_SCHEMA, path)) != null) {
            return tableMetadata(request, m.group(1), m.group(2), false);
        }
        if (metadata && path.equals(Routes.GET_DDL) && loads.dialect().name().equals("starrocks")) {
            return tableMetadata(request, request.queryParam("db"), request.queryParam("tbl"), true);
        }
        return HttpResponse.text(404, "Not Found: " + path);
    }

    /** Table schema ({@code _schema}) and DDL ({@code _get_ddl}) queries; the emulator's one user may read both. */
    private HttpResponse tableMetadata(HttpRequest request, String db, String table, boolean ddl) {
        HttpResponse denied = authenticate(request);
        if (denied != null) {
            return denied;
        }
        io.streamload.emulator.table.TableData data = db == null || table == null ? null : loads.catalog().table(db, table);
        io.streamload.emulator.table.TableDefinition definition = data == null ? null : data.definition();
        if (definition == null) {
            return HttpResponse.json(404, Json.write(java.util.Map.of("status", 404,
                    "exception", "Table [" + table + "] does not exists")));
        }
        return HttpResponse.json(200, ddl ? loads.dialect().tableDdlResponse(definition)
                : loads.dialect().tableSchemaResponse(definition));
    }

    /**
     * StarRocks' {@code /api/transaction/{op}} ({@code TransactionLoadAction}): a 307 to the BE that
     * coordinates the label, or to a live BE for a {@code begin}, or the FE's own answer. Steps
     * without a body need no {@code Expect}.
     */
    private HttpResponse transactionRequest(String op, HttpRequest request, Exchange exchange) {
        HttpResponse denied = authenticate(request);
        if (denied != null) {
            return denied;
        }
        HttpResponse fault = loads.arrivalFault(request, request.header("table"), request.header("label"));
        if (fault != null) {
            return fault;
        }
        if (op.equals("load") && request.isHttp11() && !request.expectsContinue()) {
            return HttpResponse.json(200, loads.dialect().noContinueHeader()).closeConnection();
        }
        TransactionService.Route route = transactions.route(op, request, exchange);
        if (route.byFe()) {
            return route.answer();
        }
        HttpListener be = route.backend() != null ? route.backend() : pickBackend();
        return be == null ? noBackend() : redirect(request, be);
    }

    /**
     * Doris' {@code PUT /api/{db}[/{table}]/_stream_load_2pc} ({@code LoadAction.executeStreamLoad2PC}):
     * checked here, then a 307 to any live BE, which commits or aborts it.
     */
    private HttpResponse dorisTwoPhase(HttpRequest request) {
        HttpResponse denied = authenticate(request);
        if (denied != null) {
            return denied;
        }
        HttpResponse fault = loads.arrivalFault(request, null, request.header("label"));
        if (fault != null) {
            return fault;
        }
        if (isBlank(request.header("txn_id")) && isBlank(request.header("label"))) {
            return HttpResponse.json(200, loads.dialect().feFailure("No transaction id or label selected."));
        }
        if (isBlank(request.header("txn_operation"))) {
            return HttpResponse.json(200, loads.dialect().feFailure(
                    "No transaction operation('commit' or 'abort') selected."));
        }
        HttpListener be = pickBackend();
        return be == null ? noBackend() : redirect(request, be);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The 307 to {@code be}: the same path and query, credentials in it only for Doris; the FE closes. */
    private HttpResponse redirect(HttpRequest request, HttpListener be) {
        EmulatorSettings s = loads.settings();
        String location = loads.dialect().redirectLocation(be.url(), request.target(), s.user(), s.password());
        return HttpResponse.empty(307).header("Location", location).closeConnection();
    }

    private HttpResponse noBackend() {
        return HttpResponse.json(200, loads.dialect().feFailure("No backend alive.")).closeConnection();
    }

    /** Stream loads: checked here, executed by a BE after the redirect. */
    private HttpResponse dataRequest(HttpRequest request, String db, String table, String label) {
        HttpResponse denied = authenticate(request);
        if (denied != null) {
            return denied;
        }
        HttpResponse fault = loads.arrivalFault(request, table, label);
        if (fault != null) {
            return fault;
        }
        if (request.isHttp11() && !request.expectsContinue()) {
            return HttpResponse.json(200, loads.dialect().noContinueHeader()).closeConnection();
        }
        if (db != null && table != null && loads.catalog().table(db, table) == null) {
            return HttpResponse.json(200, loads.dialect().feFailure(LoadService.unknownTableMessage(db, table)))
                    .closeConnection();
        }
        MergeRequest merge = MergeRequest.of(loads.dialect().name(), request, db, table,
                loads.settings().mergesLoads(), loads.settings().groupCommitInterval());
        // StarRocks' FE sends a merged load to one of the BEs that coordinate its table's windows,
        // as many as merge_commit_parallel allows (BatchWriteMgr.requestCoordinatorBackends).
        HttpListener be = merge.merged() ? pickBackend(Math.min(merge.parallel(), backends.size())) : pickBackend();
        return be == null ? noBackend() : redirect(request, be);
    }

    private HttpListener pickBackend() {
        return pickBackend(backends.size());
    }

    /** The next live BE among the first {@code among}, round robin; any live BE when none of those is. */
    private HttpListener pickBackend(int among) {
        for (int i = 0; i < among; i++) {
            HttpListener be = backends.get(Math.floorMod(nextBackend.getAndIncrement(), among));
            if (be.isRunning()) {
                return be;
            }
        }
        if (among < backends.size()) {
            return pickBackend(backends.size());
        }
        return null;
    }

    /** HTTP 401 with a Basic challenge for a missing or wrong user/password, as the FE answers. */
    private HttpResponse authenticate(HttpRequest request) {
        String[] creds = request.basicCredentials().orElse(null);
        EmulatorSettings s = loads.settings();
        if (creds != null && creds[0].equals(s.user()) && creds[1].equals(s.password())) {
            return null;
        }
        return HttpResponse.text(401, "Unauthorized").header("WWW-Authenticate", "Basic realm=\"\"").closeConnection();
    }
}
