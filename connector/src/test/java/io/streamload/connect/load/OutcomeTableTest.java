package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.streamload.connect.dialect.StarRocksDialect;

/** One test per row of {@link OutcomeTable}, with the replies StarRocks and proxies really send. */
class OutcomeTableTest {

    private static final StarRocksDialect DIALECT = new StarRocksDialect();
    private static final Set<String> ROWS_SEEN = new HashSet<>();

    @AfterAll
    static void everyRowHasATest() {
        Set<String> rows = new HashSet<>();
        OutcomeTable.ROWS.forEach(row -> rows.add(row.name()));
        rows.removeAll(ROWS_SEEN);
        assertEquals(Set.of(), rows, "rows of the outcome table without a test");
    }

    @Test
    void noReplyIsUnknown() {
        expect(LoadResponse.noReply("fe", new ConnectException("Connection refused")), OutcomeKind.UNKNOWN,
                "no reply (connection refused or reset, timeout)");
        expect(LoadResponse.noReply("fe", new SocketException("Connection reset")), OutcomeKind.UNKNOWN,
                "no reply (connection refused or reset, timeout)");
        expect(LoadResponse.noReply("fe", new SocketTimeoutException("Read timed out")), OutcomeKind.UNKNOWN,
                "no reply (connection refused or reset, timeout)");
    }

    @Test
    void unauthorizedIsPermanent() {
        expect(http(401, ""), OutcomeKind.PERMANENT, "HTTP 401 Unauthorized");
    }

    @Test
    void forbiddenIsPermanent() {
        expect(http(403, ""), OutcomeKind.PERMANENT, "HTTP 403 Forbidden");
    }

    @Test
    void notFoundIsPermanent() {
        expect(http(404, "<html>Not Found</html>"), OutcomeKind.PERMANENT, "HTTP 404 Not Found");
    }

    @Test
    void proxyBodyLimitIsPermanent() {
        expect(http(413, "<html>413 Request Entity Too Large</html>"), OutcomeKind.PERMANENT,
                "HTTP 413 Payload Too Large (a proxy's body limit)");
    }

    @Test
    void tooManyRequestsIsRetriable() {
        expect(http(429, ""), OutcomeKind.RETRIABLE, "HTTP 429 Too Many Requests");
    }

    @Test
    void serverErrorsAreUnknown() {
        for (int status : new int[] {500, 502, 503, 504}) {
            expect(http(status, "<html>" + status + " Bad Gateway</html>"), OutcomeKind.UNKNOWN,
                    "HTTP 5xx (from the FE or a proxy)");
        }
    }

    @Test
    void redirectNotFollowedIsUnknown() {
        expect(http(307, ""), OutcomeKind.UNKNOWN, "HTTP 3xx not followed (no Location, or too many redirects)");
    }

    @Test
    void otherStatusIsPermanent() {
        expect(http(400, "Bad Request"), OutcomeKind.PERMANENT, "HTTP status other than 200");
    }

    @Test
    void okWithoutStreamLoadReplyIsUnknown() {
        expect(http(200, "<html>welcome to nginx</html>"), OutcomeKind.UNKNOWN, "HTTP 200 without a Stream Load reply");
        expect(http(200, ""), OutcomeKind.UNKNOWN, "HTTP 200 without a Stream Load reply");
        expect(http(200, "{\"TxnId\": 1"), OutcomeKind.UNKNOWN, "HTTP 200 without a Stream Load reply");
    }

    @Test
    void successIsLoaded() {
        expect(reply("Success", "OK", null), OutcomeKind.LOADED, "Status Success");
    }

    @Test
    void publishTimeoutIsLoaded() {
        expect(reply("Publish Timeout", "publish timeout", null), OutcomeKind.LOADED,
                "Status Publish Timeout (committed, not yet visible)");
    }

    @Test
    void labelAlreadyExistsFinishedIsLoaded() {
        expect(reply("Label Already Exists", "Label [l] has already been used.", "FINISHED"), OutcomeKind.LOADED,
                "Status Label Already Exists, job FINISHED");
    }

    @Test
    void labelAlreadyExistsRunningAsksTheLabelState() {
        expect(reply("Label Already Exists", "Label [l] has already been used.", "RUNNING"),
                OutcomeKind.LABEL_IN_USE, "Status Label Already Exists, job not finished");
        expect(reply("Label Already Exists", "Label [l] has already been used.", null),
                OutcomeKind.LABEL_IN_USE, "Status Label Already Exists, job not finished");
    }

    @Test
    void tooManyFilteredRowsIsRejectedRows() {
        expect(reply("Fail", "too many filtered rows", null), OutcomeKind.REJECTED_ROWS, "Fail: too many filtered rows");
    }

    @Test
    void accessDeniedIsPermanent() {
        expect(reply("Fail", "Access denied; you need (at least one of) the INSERT privilege(s)", null),
                OutcomeKind.PERMANENT, "Fail: Access denied");
    }

    @Test
    void unknownDatabaseOrTableIsPermanent() {
        expect(reply("FAILED", "class com.starrocks.common.UserException: unknown database, database=nope", null),
                OutcomeKind.PERMANENT, "Fail: unknown database or table");
        expect(reply("Fail", "unknown table, tableName=nope", null),
                OutcomeKind.PERMANENT, "Fail: unknown database or table");
        expect(reply("Fail", "Table [nope] does not exist", null),
                OutcomeKind.PERMANENT, "Fail: unknown database or table");
    }

    @Test
    void missingExpectHeaderIsPermanent() {
        expect(reply("FAILED", "class com.starrocks.common.DdlException: There is no 100-continue header", null),
                OutcomeKind.PERMANENT, "Fail: There is no 100-continue header");
    }

    @Test
    void bodyTooLargeIsPermanent() {
        expect(reply("Fail", "body size 11811160064 exceed limit: 10737418240", null),
                OutcomeKind.PERMANENT, "Fail: body size exceeds the target's limit");
    }

    @Test
    void tableShapeMismatchIsPermanent() {
        expect(reply("Fail", "Only primary key table support partial update", null), OutcomeKind.PERMANENT,
                "Fail: the table does not accept this load (unknown column, partial update, key size)");
        expect(reply("Fail", "primary key size exceed the limit.", null), OutcomeKind.PERMANENT,
                "Fail: the table does not accept this load (unknown column, partial update, key size)");
    }

    @Test
    void transactionStatusUnknownIsUnknown() {
        expect(reply("Fail", "Transaction status unknown, you can retry with same label", null), OutcomeKind.UNKNOWN,
                "Fail: Transaction status unknown");
    }

    @Test
    void busyTargetIsRetriable() {
        String row = "Fail: target busy (concurrency limit, running transactions, shutting down, no backend)";
        expect(reply("Fail", "Stream Load exceed http cuncurrent limit 64, please try again later", null),
                OutcomeKind.RETRIABLE, row);
        expect(reply("Fail", "current running txns on db 10002 is 1000, larger than limit 1000", null),
                OutcomeKind.RETRIABLE, row);
        expect(reply("Fail", "Service is shutting down, please retry later!", null), OutcomeKind.RETRIABLE, row);
        expect(reply("FAILED", "No backend alive.", null), OutcomeKind.RETRIABLE, row);
    }

    @Test
    void otherFailIsRetriable() {
        expect(reply("Fail", "something nobody has seen before", null), OutcomeKind.RETRIABLE, "Fail: any other message");
    }

    @Test
    void unknownStatusIsUnknown() {
        expect(reply("Weird", "?", null), OutcomeKind.UNKNOWN, "Status not known to this connector");
    }

    private static void expect(LoadResponse response, OutcomeKind kind, String row) {
        LoadOutcome outcome = OutcomeTable.classify(response);
        assertEquals(row, outcome.rule(), response.describe());
        assertEquals(kind, outcome.kind(), response.describe());
        ROWS_SEEN.add(row);
    }

    private static LoadResponse http(int status, String body) {
        return new LoadResponse("http://fe:8030", status,
                status == 200 ? DIALECT.parseLoadReply(body).orElse(null) : null, body, null);
    }

    private static LoadResponse reply(String status, String message, String existingJobStatus) {
        String body = "{\"TxnId\": -1, \"Label\": \"l\", \"Status\": \"" + status + "\", "
                + (existingJobStatus == null ? "" : "\"ExistingJobStatus\": \"" + existingJobStatus + "\", ")
                + "\"Message\": \"" + message + "\", \"NumberTotalRows\": 0, \"NumberLoadedRows\": 0}";
        return http(200, body);
    }
}
