package io.streamload.emulator;

import io.streamload.emulator.dialect.LoadReply;
import io.streamload.emulator.http.Exchange;
import io.streamload.emulator.http.HttpHandler;
import io.streamload.emulator.http.HttpListener;
import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.http.HttpResponse;
import io.streamload.emulator.load.ErrorCode;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.regex.Matcher;

/**
 * A BE: executes the loads the FE redirected here (or that were sent here directly), serves the
 * transactions it coordinates (StarRocks) and Doris' 2PC commits and aborts, and the rejected-rows
 * logs its ErrorURLs point to. A BE does not send 401: a load without usable
 * credentials gets a {@code Fail} body.
 */
final class BackendHandler implements HttpHandler {
    private final LoadService loads;
    private final TransactionService transactions;
    private final Supplier<HttpListener> self;

    BackendHandler(LoadService loads, TransactionService transactions, Supplier<HttpListener> self) {
        this.loads = loads;
        this.transactions = transactions;
        this.self = self;
    }

    @Override
    public HttpResponse handle(HttpRequest request, Exchange exchange) throws IOException {
        String path = request.path();
        String selfUrl = self.get().url();
        if (path.equals(Routes.ERROR_LOG)) {
            return loads.errorLog(request.queryParam("file"));
        }
        Matcher m;
        if ((m = Routes.match(Routes.STREAM_LOAD, path)) != null) {
            String label = request.header("label");
            HttpResponse denied = authenticate(request, label);
            if (denied != null) {
                return denied;
            }
            HttpResponse fault = loads.arrivalFault(request, m.group(2), label);
            return fault != null ? fault : loads.streamLoad(m.group(1), m.group(2), request, exchange, selfUrl);
        }
        if ((m = Routes.match(Routes.TRANSACTION, path)) != null && loads.dialect().name().equals("starrocks")) {
            HttpResponse denied = authenticate(request, request.header("label"));
            if (denied != null) {
                return denied;
            }
            HttpResponse fault = loads.arrivalFault(request, request.header("table"), request.header("label"));
            return fault != null ? fault : transactions.handle(m.group(1), request, exchange, self.get());
        }
        if (((m = Routes.match(Routes.DORIS_2PC, path)) != null || (m = Routes.match(Routes.DORIS_2PC_TABLE, path)) != null)
                && loads.dialect().supportsTwoPhaseStreamLoad()) {
            HttpResponse denied = authenticate(request, request.header("label"));
            if (denied != null) {
                return denied;
            }
            return transactions.dorisTwoPhase(m.group(1), request, exchange);
        }
        return HttpResponse.text(404, "Not Found: " + path);
    }

    private HttpResponse authenticate(HttpRequest request, String label) {
        String[] creds = request.basicCredentials().orElse(null);
        EmulatorSettings s = loads.settings();
        if (creds == null) {
            return HttpResponse.json(200, loads.dialect().loadResponse(
                    LoadReply.fail(-1, label, ErrorCode.NOT_AUTHORIZED, "no valid Basic authorization"))).closeConnection();
        }
        if (!creds[0].equals(s.user()) || !creds[1].equals(s.password())) {
            return HttpResponse.json(200, loads.dialect().loadResponse(LoadReply.fail(-1, label, ErrorCode.NOT_AUTHORIZED,
                    "Access denied for user '" + creds[0] + "'"))).closeConnection();
        }
        return null;
    }
}
