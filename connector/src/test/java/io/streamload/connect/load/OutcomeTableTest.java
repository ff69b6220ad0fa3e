package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.ConnectTimeoutException;
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
    void connectRefusedIsRetriableNothingWasSent() {
        expect(noReply(new ConnectException("Connection refused"), TransportFailure.CONNECT_REFUSED),
                OutcomeKind.RETRIABLE, "connect refused (nothing sent)");
    }

    @Test
    void connectTimeoutIsRetriableNothingWasSent() {
        expect(noReply(new ConnectTimeoutException("Connect timed out"), TransportFailure.CONNECT_TIMEOUT),
                OutcomeKind.RETRIABLE, "connect timeout (nothing sent)");
    }

    @Test
    void tlsHandshakeFailureIsPermanent() {
        expect(noReply(new SSLHandshakeException("PKIX path building failed"), TransportFailure.TLS_HANDSHAKE),
                OutcomeKind.PERMANENT, "TLS handshake failed (nothing sent)");
    }

    @Test
    void aFeSilentAfterTheHeadIsRetriableNothingWasSent() {
        expect(noReply(new ContinueTimeoutException(Duration.ofSeconds(3)), TransportFailure.NO_CONTINUE),
                OutcomeKind.RETRIABLE, "FE silent after the request head (nothing sent)");
    }

    @Test
    void resetWhileSendingIsUnknown() {
        expect(noReply(new SocketException("Connection reset"), TransportFailure.RESET_WHILE_SENDING),
                OutcomeKind.UNKNOWN, "connection reset while sending the body");
    }

    @Test
    void resetWhileReadingIsUnknown() {
        expect(noReply(new SocketException("Connection reset"), TransportFailure.RESET_WHILE_READING),
                OutcomeKind.UNKNOWN, "connection reset while reading the reply");
    }

    @Test
    void readTimeoutIsUnknown() {
        expect(noReply(new SocketTimeoutException("Read timed out"), TransportFailure.READ_TIMEOUT),
                OutcomeKind.UNKNOWN, "read timeout (no reply within load.socket.timeout.ms)");
    }

    @Test
    void loadTimeoutIsUnknown() {
        expect(noReply(new SocketException("Socket closed"), TransportFailure.LOAD_TIMEOUT),
                OutcomeKind.UNKNOWN, "load timeout (the request outlived load.timeout.ms)");
    }

    @Test
    void noReplyOfUnknownCauseIsUnknown() {
        expect(new LoadResponse("http://fe:8030", -1, null, "", new IOException("?"), null, true),
                OutcomeKind.UNKNOWN, "no reply, cause not known");
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
        LoadOutcome outcome = expect(http(404, "<html>Not Found</html>"), OutcomeKind.PERMANENT,
                "HTTP 404 Not Found (unknown database or table, or not a Stream Load endpoint)");
        assertTrue(outcome.advice().contains("does not know this database and table"), outcome.advice());
    }

    @Test
    void proxyBodyLimitIsTooLarge() {
        expect(http(413, "<html>413 Request Entity Too Large</html>"), OutcomeKind.TOO_LARGE,
                "HTTP 413 Payload Too Large (a proxy's body limit)");
    }

    @Test
    void throttledOrUnavailableIsRetriable() {
        expect(http(429, ""), OutcomeKind.RETRIABLE, "HTTP 429 Too Many Requests, 503 Service Unavailable (not processed)");
        expect(http(503, "<html>503 Service Temporarily Unavailable</html>"), OutcomeKind.RETRIABLE,
                "HTTP 429 Too Many Requests, 503 Service Unavailable (not processed)");
    }

    @Test
    void serverErrorsAreUnknown() {
        for (int status : new int[] {500, 502, 504, 599}) {
            expect(http(status, "<html>" + status + " Bad Gateway</html>"), OutcomeKind.UNKNOWN,
                    "HTTP 500, 502, 504 and other 5xx (from the FE or a proxy; may have loaded)");
        }
    }

    @Test
    void redirectNotFollowedIsRetriable() {
        expect(http(307, ""), OutcomeKind.RETRIABLE,
                "HTTP 307 without Location, or too many redirects (nothing reached a BE)");
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
        String row = "Status Label Already Exists, job FINISHED (or its transaction COMMITTED or VISIBLE)";
        expect(reply("Label Already Exists", "Label [l] has already been used.", "FINISHED"), OutcomeKind.LOADED,
                row);
        expect(LoadStep.BEGIN, starRocksStep(LoadStep.BEGIN, "{\"Status\": \"LABEL_ALREADY_EXISTS\", "
                + "\"ExistingJobStatus\": \"VISIBLE\", \"Message\": \"Label [l] has already been used.\"}"),
                OutcomeKind.LOADED, row);
        expect(LoadStep.PREPARE, dorisStep(LoadStep.PREPARE, "{\"Status\": \"Label Already Exists\", "
                + "\"ExistingJobStatus\": \"COMMITTED\", \"Message\": \"Label [l] has already been used.\"}"),
                OutcomeKind.LOADED, row);
    }

    // The transaction steps, with the answers of StarRocks' TransactionLoadAction and BE
    // transaction_stream_load, and of Doris' _stream_load_2pc (LoadAction.java).

    @Test
    void beginLoadAndPrepareThatSucceedLetTheLoadGoOn() {
        String row = "Begin, load or prepare done";
        expect(LoadStep.BEGIN, starRocksStep(LoadStep.BEGIN,
                "{\"Status\": \"OK\", \"Message\": \"\", \"Label\": \"l\", \"TxnId\": 7}"),
                OutcomeKind.STEP_DONE, row);
        expect(LoadStep.TXN_LOAD, starRocksStep(LoadStep.TXN_LOAD,
                "{\"Status\": \"OK\", \"Message\": \"\", \"Label\": \"l\", \"TxnId\": 7}"),
                OutcomeKind.STEP_DONE, row);
        expect(LoadStep.PREPARE, dorisStep(LoadStep.PREPARE,
                "{\"TxnId\": 7, \"Label\": \"l\", \"TwoPhaseCommit\": \"true\", \"Status\": \"Success\", "
                        + "\"Message\": \"OK\", \"NumberLoadedRows\": 3}"), OutcomeKind.STEP_DONE, row);
        // The same answer to a plain load makes it visible: loaded.
        expect(LoadStep.LOAD, dorisStep(LoadStep.LOAD, "{\"Status\": \"Success\", \"Message\": \"OK\"}"),
                OutcomeKind.LOADED, "Status Success");
    }

    @Test
    void aCommitOfACommittedTransactionIsLoaded() {
        String row = "Commit: the transaction is already committed";
        expect(LoadStep.COMMIT, dorisStep(LoadStep.COMMIT, "{\"status\": \"Fail\", \"msg\": \"errCode = 2, "
                + "detailMessage = transaction [7] is already VISIBLE, not pre-committed.\"}"), OutcomeKind.LOADED, row);
        expect(LoadStep.COMMIT, starRocksStep(LoadStep.COMMIT, "{\"Status\": \"FAILED\", \"Message\": "
                + "\"Transaction 7 has already committed, label is l\"}"), OutcomeKind.LOADED, row);
    }

    @Test
    void aCommitOfARolledBackOrUnknownTransactionIsRolledBack() {
        String row = "Commit: the transaction is rolled back, or the target has none under the label";
        expect(LoadStep.COMMIT, starRocksStep(LoadStep.COMMIT, "{\"Status\": \"FAILED\", \"Message\": \"class "
                + "com.starrocks.common.StarRocksException: Can not commit ABORTED transaction 7, label is l\"}"),
                OutcomeKind.ROLLED_BACK, row);
        expect(LoadStep.COMMIT, starRocksStep(LoadStep.COMMIT, "{\"Status\": \"TXN_NOT_EXISTS\", \"Message\": "
                + "\"transaction with label l not exists\"}"), OutcomeKind.ROLLED_BACK, row);
        expect(LoadStep.COMMIT, dorisStep(LoadStep.COMMIT, "{\"status\": \"Fail\", \"msg\": \"errCode = 2, "
                + "detailMessage = transaction [7] is already aborted. abort reason: timeout\"}"),
                OutcomeKind.ROLLED_BACK, row);
        // Not the rollback's row: "not exists" at a rollback means there is nothing to roll back.
        expect(LoadStep.COMMIT, dorisStep(LoadStep.COMMIT, "{\"status\": \"Fail\", \"msg\": \"errCode = 2, "
                + "detailMessage = transaction [7] is not pre-committed yet\"}"), OutcomeKind.RETRIABLE,
                "Fail: any other message");
    }

    @Test
    void aRollbackThatRolledBackOrFoundNothingIsRolledBack() {
        String row = "Rollback: done, already done, or nothing to roll back";
        expect(LoadStep.ABORT, starRocksStep(LoadStep.ABORT, "{\"Status\": \"OK\", \"Message\": \"\"}"),
                OutcomeKind.ROLLED_BACK, row);
        expect(LoadStep.ABORT, starRocksStep(LoadStep.ABORT, "{\"Status\": \"TXN_NOT_EXISTS\", \"Message\": "
                + "\"transaction with label l not exists\"}"), OutcomeKind.ROLLED_BACK, row);
        expect(LoadStep.ABORT, dorisStep(LoadStep.ABORT, "{\"status\": \"Success\", \"msg\": "
                + "\"transaction [7] abort successfully.\"}"), OutcomeKind.ROLLED_BACK, row);
    }

    @Test
    void aRollbackOfAVisibleTransactionIsLoaded() {
        String row = "Rollback: the transaction is already committed";
        expect(LoadStep.ABORT, starRocksStep(LoadStep.ABORT, "{\"Status\": \"FAILED\", \"Message\": \"class "
                + "com.starrocks.common.StarRocksException: Can not abort VISIBLE transaction 7, label is l\"}"),
                OutcomeKind.LOADED, row);
        expect(LoadStep.ABORT, dorisStep(LoadStep.ABORT, "{\"status\": \"Fail\", \"msg\": \"errCode = 2, "
                + "detailMessage = transaction [7] is already VISIBLE, could not abort.\"}"), OutcomeKind.LOADED, row);
    }

    @Test
    void aBusyTransactionIsRetriedAtAnyStep() {
        for (LoadStep step : List.of(LoadStep.BEGIN, LoadStep.TXN_LOAD, LoadStep.PREPARE, LoadStep.COMMIT,
                LoadStep.ABORT)) {
            expect(step, starRocksStep(step, "{\"Status\": \"TXN_IN_PROCESSING\", \"Label\": \"l\", "
                    + "\"Message\": \"Transaction in processing, please retry later\"}"), OutcomeKind.RETRIABLE,
                    "Fail: target busy (concurrency limit, running transactions, shutting down, no backend)");
        }
    }

    // Merged loads (load.mode=merge_commit): StarRocks' answers in the shape of
    // StreamLoadContext::to_merge_commit_json, with the messages of
    // IsomorphicBatchWrite::_wait_for_load_status and BatchWriteMgr; Doris' of _handle_group_commit.

    private static LoadResponse starRocksMerged(String status, String message) {
        return starRocksStep(LoadStep.MERGED_LOAD, "{\"TxnId\": 9, \"Label\": \"merge_commit_x\", \"Status\": \""
                + status + "\", \"Message\": \"" + message + "\", \"RequestId\": \"l\", \"LoadBytes\": 10}");
    }

    private static LoadResponse dorisMerged(String status, String message) {
        return dorisStep(LoadStep.MERGED_LOAD, "{\"TxnId\": 9, \"Label\": \"group_commit_a_b\", \"Comment\": \"\", "
                + "\"GroupCommit\": true, \"Status\": \"" + status + "\", \"Message\": \"" + message + "\"}");
    }

    @Test
    void aMergedLoadThatSucceededIsLoadedAndSaysItWasMerged() {
        LoadResponse starRocks = starRocksMerged("Success", "OK");
        expect(LoadStep.MERGED_LOAD, starRocks, OutcomeKind.LOADED, "Status Success");
        assertTrue(starRocks.reply().merged());
        assertEquals("merge_commit_x", starRocks.reply().label());
        LoadResponse doris = dorisMerged("Success", "OK");
        expect(LoadStep.MERGED_LOAD, doris, OutcomeKind.LOADED, "Status Success");
        assertTrue(doris.reply().merged());
        assertFalse(reply("Success", "OK", null).reply().merged(), "a plain load's answer is not merged");
    }

    @Test
    void aMergedLoadCommittedButNotPublishedIsLoaded() {
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Load has not been published before timeout"),
                OutcomeKind.LOADED, "Merged load: committed, not yet published");
        // The same words from a plain load are not the merge commit's: retried as any Fail.
        expect(LoadStep.LOAD, reply("Fail", "Load has not been published before timeout", null),
                OutcomeKind.RETRIABLE, "Fail: any other message");
    }

    @Test
    void aMergedLoadWhoseWindowTimedOutIsUnknown() {
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "load timeout, txn status: PREPARE"),
                OutcomeKind.UNKNOWN, "Merged load: the window timed out before its transaction committed");
    }

    @Test
    void aMergedTransactionAbortedForRejectedRowsIsRejectedRows() {
        LoadOutcome outcome = expect(LoadStep.MERGED_LOAD,
                starRocksMerged("Fail", "Load is aborted, reason: too many filtered rows"),
                OutcomeKind.REJECTED_ROWS, "Merged load: the merged transaction was aborted for rejected rows");
        assertTrue(outcome.advice().contains("another writer"), outcome.advice());
    }

    @Test
    void aMergedTransactionRefusedForTooManyVersionsSaysSlowDown() {
        // StarRocks: _wait_for_load_status's prefix on the aborted merged transaction, then the
        // tablet writer's reason (be/src/storage/delta_writer.cpp)
        LoadOutcome outcome = expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Load is aborted, reason: Failed to "
                        + "load data into tablet 10012, because of too many versions, current/limit: 1001/1000. You can "
                        + "reduce the loading job concurrency, or increase loading data batch size."),
                OutcomeKind.SLOW_DOWN, "Merged load: the merged transaction was aborted for too many tablet versions");
        assertTrue(outcome.advice().contains("tablet_max_versions"), outcome.advice());
        // Doris: the group commit's internal load status, as a plain load gets it
        expect(LoadStep.MERGED_LOAD, dorisMerged("Fail", "[TOO_MANY_VERSION]failed to init rowset builder. version "
                        + "count: 2001, exceed limit: 2000, tablet: 10012."),
                OutcomeKind.SLOW_DOWN, "Fail: too many tablet versions (loads come faster than compaction merges them)");
    }

    @Test
    void aMergedTransactionAbortedForAnotherReasonIsRetriable() {
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Load is aborted, reason: cancelled by user"),
                OutcomeKind.RETRIABLE, "Merged load: the merged transaction was aborted");
    }

    @Test
    void aLabelRefusedWithGroupCommitIsPermanent() {
        expect(LoadStep.MERGED_LOAD, dorisMerged("Fail", "[INVALID_ARGUMENT]label and group_commit can't be set at "
                + "the same time"), OutcomeKind.PERMANENT, "Merged load: the target refuses a label with group commit");
    }

    @Test
    void refusedMergeSettingsArePermanent() {
        String row = "Merged load: the target refuses the merge settings";
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Batch write interval must be set positive, but is null"),
                OutcomeKind.PERMANENT, row);
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Batch write parallel must be set positive, but is 0"),
                OutcomeKind.PERMANENT, row);
        expect(LoadStep.MERGED_LOAD, starRocksMerged("Fail", "Invalid parameter enable_merge_commit. The value must "
                + "be bool type, but is yes"), OutcomeKind.PERMANENT, row);
        expect(LoadStep.MERGED_LOAD, dorisMerged("Fail", "[INVALID_ARGUMENT]group_commit can only be [async_mode, "
                + "sync_mode, off_mode]"), OutcomeKind.PERMANENT, row);
    }

    @Test
    void aTableBlockedBySchemaChangeIsRetriedWithMergedLoads() {
        expect(LoadStep.MERGED_LOAD, dorisMerged("Fail", "insert table t is blocked on schema change"),
                OutcomeKind.RETRIABLE, "Merged load: the table is blocked by a schema change");
    }

    @Test
    void aMergedLoadWithoutAnAnswerIsUnknownAsAnyLoad() {
        expect(LoadStep.MERGED_LOAD, http(502, "<html>502 Bad Gateway</html>"), OutcomeKind.UNKNOWN,
                "HTTP 500, 502, 504 and other 5xx (from the FE or a proxy; may have loaded)");
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
    void unknownDatabaseOrTableIsUnknownTable() {
        expect(reply("FAILED", "class com.starrocks.common.UserException: unknown database, database=nope", null),
                OutcomeKind.UNKNOWN_TABLE, "Fail: unknown database or table");
        expect(reply("Fail", "unknown table, tableName=nope", null),
                OutcomeKind.UNKNOWN_TABLE, "Fail: unknown database or table");
        expect(reply("Fail", "Table [nope] does not exist", null),
                OutcomeKind.UNKNOWN_TABLE, "Fail: unknown database or table");
        expect(reply("Fail", "Unknown table 'db.nope': create it first (PUT /_emulator/tables/db/nope)", null),
                OutcomeKind.UNKNOWN_TABLE, "Fail: unknown database or table");
    }

    @Test
    void aRefusedMaxFilterRatioIsPermanent() {
        LoadOutcome outcome = expect(reply("Fail", "Invalid max_filter_ratio: 'abc'. Use a number from 0 to 1", null),
                OutcomeKind.PERMANENT, "Fail: max_filter_ratio refused");
        assertTrue(outcome.advice().contains("load.properties.max_filter_ratio"), outcome.advice());
    }

    @Test
    void aRefusedTimeoutIsPermanent() {
        String row = "Fail: timeout refused";
        expect(reply("Fail", "Invalid timeout format", null), OutcomeKind.PERMANENT, row);
        expect(reply("Fail", "Invalid timeout format, stoi", null), OutcomeKind.PERMANENT, row);
        LoadOutcome outcome = expect(reply("Fail", "Invalid timeout: '10m'. Use whole seconds", null),
                OutcomeKind.PERMANENT, row);
        assertTrue(outcome.advice().contains("load.properties.timeout"), outcome.advice());
        expect(reply("Fail", "Timeout by txn manager: the load took longer than its timeout of 1 s", null),
                OutcomeKind.RETRIABLE, "Fail: any other message");
    }

    @Test
    void aRefusedTrueOrFalseHeaderIsPermanent() {
        String row = "Fail: a true/false header refused (strict_mode, partial_update, trim_space)";
        expect(reply("Fail", "Invalid strict mode format. Must be bool type", null), OutcomeKind.PERMANENT, row);
        expect(reply("Fail", "Invalid partial update flag format. Must be bool type", null), OutcomeKind.PERMANENT,
                row);
        expect(reply("Fail", "Invalid trim space format. Must be bool type", null), OutcomeKind.PERMANENT, row);
    }

    @Test
    void anotherRefusedHeaderIsPermanent() {
        String row = "Fail: another load header refused (skip_header, memory limits, load_dop, merge_type, "
                + "compression, partitions, format)";
        for (String message : List.of("Invalid csv load skip_header format",
                "skip_header must be equal or greater than 0", "Invalid load mem limit format",
                "load_mem_limit must be equal or greater than 0", "exec_mem_limit must be greater than 0",
                "Invalid load_dop format", "Invalid merge_type: UPSERT. Use APPEND, DELETE or MERGE",
                "Unsupported compression type: rar", "Can not specify both partitions and temporary partitions",
                "unknown data format, format=parquet")) {
            expect(reply("Fail", message, null), OutcomeKind.PERMANENT, row);
        }
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
    void tooManyVersionsSaysSlowDown() {
        String row = "Fail: too many tablet versions (loads come faster than compaction merges them)";
        // StarRocks 3.x, be/src/storage/delta_writer.cpp
        expect(reply("Fail", "Failed to load data into tablet 10012, because of too many versions, current/limit: "
                + "1001/1000. You can reduce the loading job concurrency, or increase loading data batch size. If you "
                + "are loading data with Routine Load, you can increase FE configs routine_load_task_consume_second "
                + "and max_routine_load_batch_size,", null), OutcomeKind.SLOW_DOWN, row);
        // StarRocks up to 2.5
        expect(reply("Fail", "Too many versions. tablet_id: 10012, version_count: 1001, limit: 1000", null),
                OutcomeKind.SLOW_DOWN, row);
        // Doris master, be/src/olap/rowset_builder.cpp, with its status code as prefix
        expect(reply("Fail", "[TOO_MANY_VERSION]failed to init rowset builder. version count: 2001, exceed limit: "
                + "2000, tablet: 10012. Please reduce the frequency of loading data or adjust the "
                + "max_tablet_version_num or time_series_max_tablet_version_num in be.conf to a larger value.", null),
                OutcomeKind.SLOW_DOWN, row);
        // Doris 1.x: only the code, as DTStack/chunjun#870 shows it
        expect(reply("Fail", "wait close failed. NodeChannel[1539524-10008], add batch req success but status isn't "
                + "ok, err: tablet writer write failed, tablet_id=1539539, txn_id=38873401, err=-235", null),
                OutcomeKind.SLOW_DOWN, row);
    }

    @Test
    void otherFailIsRetriable() {
        expect(reply("Fail", "something nobody has seen before", null), OutcomeKind.RETRIABLE, "Fail: any other message");
    }

    @Test
    void unknownStatusIsUnknown() {
        expect(reply("Weird", "?", null), OutcomeKind.UNKNOWN, "Status not known to this connector");
    }

    private static LoadOutcome expect(LoadResponse response, OutcomeKind kind, String row) {
        return expect(LoadStep.LOAD, response, kind, row);
    }

    private static LoadOutcome expect(LoadStep step, LoadResponse response, OutcomeKind kind, String row) {
        LoadOutcome outcome = OutcomeTable.classify(step, response);
        assertEquals(row, outcome.rule(), response.describe());
        assertEquals(kind, outcome.kind(), response.describe());
        ROWS_SEEN.add(row);
        return outcome;
    }

    private static LoadResponse noReply(IOException error, TransportFailure failure) {
        return LoadResponse.noReply("http://fe:8030", error, failure, true);
    }

    private static LoadResponse http(int status, String body) {
        return new LoadResponse("http://fe:8030", status,
                status == 200 ? DIALECT.parseLoadReply(body).orElse(null) : null, body, null);
    }

    private static LoadResponse starRocksStep(LoadStep step, String body) {
        return new LoadResponse("http://fe:8030", 200, DIALECT.parseStepReply(step, body).orElseThrow(), body, null);
    }

    private static LoadResponse dorisStep(LoadStep step, String body) {
        return new LoadResponse("http://fe:8030", 200, new io.streamload.connect.dialect.DorisDialect()
                .parseStepReply(step, body).orElseThrow(), body, null);
    }

    private static LoadResponse reply(String status, String message, String existingJobStatus) {
        String body = "{\"TxnId\": -1, \"Label\": \"l\", \"Status\": \"" + status + "\", "
                + (existingJobStatus == null ? "" : "\"ExistingJobStatus\": \"" + existingJobStatus + "\", ")
                + "\"Message\": \"" + message + "\", \"NumberTotalRows\": 0, \"NumberLoadedRows\": 0}";
        return http(200, body);
    }
}
