package io.streamload.connect.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Doris' header names and reply shapes, against bodies as Doris writes them. */
class DorisDialectTest {

    private final DorisDialect dialect = new DorisDialect();

    @Test
    void jsonIsSentOneObjectPerLine() {
        assertEquals(Map.of("format", "json", "read_json_by_line", "true"), dialect.formatHeaders("json", "\t", "\n"));
        assertEquals("", new String(dialect.framing("json", "\n").prefix()));
        assertEquals("\n", new String(dialect.framing("json", "\n").separator()));
    }

    @Test
    void csvUsesLineDelimiter() {
        assertEquals(Map.of("format", "csv", "column_separator", ",", "line_delimiter", "\\x01"),
                dialect.formatHeaders("csv", ",", "\u0001"));
    }

    @Test
    void deletesUseTheHiddenDeleteSign() {
        Map<String, String> headers = new LinkedHashMap<>();
        dialect.addDeleteSignHeaders(headers);
        assertEquals(Map.of("hidden_columns", "__DORIS_DELETE_SIGN__"), headers);
        assertEquals("__DORIS_DELETE_SIGN__", dialect.deleteSignField());

        Map<String, String> partial = new LinkedHashMap<>();
        dialect.addPartialUpdateHeaders(partial, List.of("id", "name"));
        dialect.addDeleteSignHeaders(partial);
        assertEquals(Map.of("partial_columns", "true", "columns", "`id`,`name`,__DORIS_DELETE_SIGN__"), partial);
    }

    @Test
    void mergeConditionIsTheSequenceColumn() {
        Map<String, String> headers = new LinkedHashMap<>();
        dialect.addMergeConditionHeaders(headers, "version");
        assertEquals(Map.of("function_column.sequence_col", "version"), headers);
    }

    @Test
    void readsALoadReplyWithCodePrefixedMessage() {
        LoadReply reply = dialect.parseLoadReply("{\"TxnId\":12,\"Label\":\"l\",\"Comment\":\"\",\"TwoPhaseCommit\":\"false\","
                + "\"Status\":\"Fail\",\"Message\":\"[DATA_QUALITY_ERROR]too many filtered rows\",\"NumberTotalRows\":3,"
                + "\"NumberLoadedRows\":0,\"NumberFilteredRows\":3,\"NumberUnselectedRows\":0,\"LoadBytes\":30,"
                + "\"LoadTimeMs\":1,\"BeginTxnTimeMs\":0,\"StreamLoadPutTimeMs\":1,\"ReadDataTimeMs\":0,"
                + "\"WriteDataTimeMs\":0,\"CommitAndPublishTimeMs\":0,\"ErrorURL\":\"http://be:8040/api/_load_error_log?file=x\"}")
                .orElseThrow();
        assertEquals(LoadStatus.FAIL, reply.status());
        assertEquals(12, reply.txnId());
        assertEquals(3, reply.filteredRows());
        assertEquals("http://be:8040/api/_load_error_log?file=x", reply.errorUrl());
        assertEquals(true, reply.messageContains("too many filtered rows"));
    }

    @Test
    void readsLabelAlreadyExistsWhilePrecommitted() {
        LoadReply reply = dialect.parseLoadReply("{\"TxnId\":-1,\"Label\":\"l\",\"Comment\":\"\",\"TwoPhaseCommit\":\"true\","
                + "\"Status\":\"Label Already Exists\",\"ExistingJobStatus\":\"PRECOMMITTED\","
                + "\"Message\":\"Label [l] has already been used.\"}").orElseThrow();
        assertEquals(LoadStatus.LABEL_ALREADY_EXISTS, reply.status());
        assertEquals("PRECOMMITTED", reply.existingJobStatus());
    }

    @Test
    void readsTheLowerCaseFeFailure() {
        LoadReply reply = dialect.parseLoadReply("{\"status\":\"FAILED\",\"msg\":\"There is no 100-continue header\"}")
                .orElseThrow();
        assertEquals(LoadStatus.FAIL, reply.status());
        assertEquals("There is no 100-continue header", reply.message());
    }

    @Test
    void labelStateIsInData() {
        assertEquals(Optional.of(LabelState.VISIBLE),
                dialect.parseLabelState("{\"msg\":\"success\",\"code\":0,\"data\":\"VISIBLE\",\"count\":0}"));
        assertEquals(Optional.of(LabelState.PRECOMMITTED),
                dialect.parseLabelState("{\"msg\":\"success\",\"code\":0,\"data\":\"PRECOMMITTED\",\"count\":0}"));
        assertEquals(Optional.empty(), dialect.parseLabelState("<html>502</html>"));
    }

    @Test
    void tableModelFromSchemaKeysType() {
        assertEquals("/api/db/t/_schema", dialect.tableModelPath("db", "t").orElseThrow());
        assertEquals("/api/other/t/_schema", dialect.tableModelPath("db", "other.t").orElseThrow());
        assertEquals(Optional.of(TableModel.KEYED), dialect.parseTableModel(
                "{\"msg\":\"success\",\"code\":0,\"data\":{\"properties\":[],\"keysType\":\"UNIQUE_KEYS\",\"status\":200},\"count\":0}"));
        assertEquals(Optional.of(TableModel.DUPLICATE), dialect.parseTableModel(
                "{\"msg\":\"success\",\"code\":0,\"data\":{\"properties\":[],\"keysType\":\"DUP_KEYS\",\"status\":200},\"count\":0}"));
        assertEquals(Optional.of(TableModel.AGGREGATE), dialect.parseTableModel(
                "{\"msg\":\"success\",\"code\":0,\"data\":{\"properties\":[],\"keysType\":\"AGG_KEYS\",\"status\":200},\"count\":0}"));
        assertEquals(Optional.empty(), dialect.parseTableModel("{\"msg\":\"Unauthorized\",\"code\":401}"));
    }

    @Test
    void qualifiedTablesLoadIntoTheirDatabase() {
        assertEquals("/api/db/t/_stream_load", dialect.streamLoadPath("db", "t"));
        assertEquals("/api/sales/orders/_stream_load", dialect.streamLoadPath("db", "sales.orders"));
    }
}
