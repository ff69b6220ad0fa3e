package io.streamload.connect.dialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.streamload.connect.buffer.BodyCodec;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.config.MergeCommitSettings;
import io.streamload.connect.config.Separators;
import io.streamload.connect.load.LoadStep;
import io.streamload.connect.load.StreamLoadClient;

/**
 * StarRocks' Stream Load: {@code PUT /api/{db}/{table}/_stream_load}, replies with
 * {@code Status}/{@code Message}/{@code ExistingJobStatus}, label state at
 * {@code GET /api/{db}/get_load_state?label=}. JSON bodies are sent as one array with
 * {@code strip_outer_array: true}, the form every StarRocks version reads.
 *
 * <p>Deletes: a JSON load into a primary key table reads an {@code __op} field of each object
 * (0 upsert, 1 delete) when {@code columns} does not name {@code __op} (StarRocks' load planner
 * adds the op column itself for JSON stream loads), so no column list is needed; when the user
 * gives a {@code columns} list, {@code __op} is appended to it.
 */
public final class StarRocksDialect implements StreamLoadDialect {

    static final String OP_COLUMN = "__op";
    private static final String DEFAULT_COLUMN_SEPARATOR = "\t";
    private static final String DEFAULT_ROW_DELIMITER = "\n";

    @Override
    public String name() {
        return "StarRocks";
    }

    @Override
    public Map<String, String> formatHeaders(String format, String columnSeparator, String rowDelimiter) {
        Map<String, String> headers = new LinkedHashMap<>();
        if ("json".equals(format)) {
            headers.put("format", "json");
            headers.put("strip_outer_array", "true");
        } else {
            headers.put("format", "csv");
            // Sent only when not the default, in the hex form for anything a header cannot carry.
            if (!DEFAULT_COLUMN_SEPARATOR.equals(columnSeparator)) {
                headers.put("column_separator", Separators.toHeaderValue(columnSeparator));
            }
            if (!DEFAULT_ROW_DELIMITER.equals(rowDelimiter)) {
                headers.put("row_delimiter", Separators.toHeaderValue(rowDelimiter));
            }
        }
        return headers;
    }

    /**
     * Every codec, both formats, both delivery modes. CSV: the compressed-CSV value of
     * {@code format} ({@code gzip}, {@code lz4} for LZ4 frames, {@code zstd}: {@code parse_format}
     * in {@code be/src/http/action/stream_load.cpp}, the same values in the transaction API's
     * {@code transaction_stream_load.cpp}). JSON: the {@code compression} header ({@code gzip},
     * {@code lz4_frame}, {@code zstd}), read since 3.2.7 (PR 43732, issue 44642; STREAM LOAD docs);
     * StarRocks' own Stream Load SDK sends it in transaction loads too.
     */
    @Override
    public Optional<String> compressionRefusal(String format, BodyCodec codec, boolean transactional) {
        return Optional.empty();
    }

    @Override
    public void addCompressionHeaders(Map<String, String> headers, String format, BodyCodec codec) {
        if (codec == BodyCodec.NONE) {
            return;
        }
        if ("json".equals(format)) {
            headers.put("compression", codec.settingName());
        } else {
            headers.put("format", codec == BodyCodec.LZ4_FRAME ? "lz4" : codec.settingName());
        }
    }

    @Override
    public BodyFraming framing(String format, String rowDelimiter) {
        return "json".equals(format) ? BodyFraming.of("[", ",", "]") : BodyFraming.delimited(rowDelimiter);
    }

    @Override
    public String deleteSignField() {
        return OP_COLUMN;
    }

    @Override
    public void addDeleteSignHeaders(Map<String, String> headers) {
        ColumnsHeader.appendIfPresent(headers, OP_COLUMN);
    }

    @Override
    public void addPartialUpdateHeaders(Map<String, String> headers, List<String> columns) {
        headers.put("partial_update", "true");
        headers.put("columns", ColumnsHeader.of(columns));
    }

    @Override
    public void addMergeConditionHeaders(Map<String, String> headers, String column) {
        headers.put("merge_condition", column);
    }

    /**
     * StarRocks tells a table's key model only in its DDL ({@code GET /api/_get_ddl}); its
     * {@code _schema} lists columns without keys. The DDL call needs the admin role, so a load
     * user may be refused: then the model stays unknown.
     */
    @Override
    public Optional<String> tableModelPath(String database, String table) {
        return Optional.of(StreamLoadPaths.tableDdl(database, table));
    }

    @Override
    public Optional<TableModel> parseTableModel(String body) {
        JsonNode root = ReplyJson.parseObject(body);
        JsonNode statements = root == null ? null : root.get("TABLE");
        if (statements == null || !statements.isArray() || statements.isEmpty()) {
            return Optional.empty();
        }
        return parseCreateTable(statements.get(0).asText());
    }

    /** {@code PRIMARY KEY(...)}: keyed; {@code DUPLICATE KEY(...)}; {@code AGGREGATE KEY} and the older {@code UNIQUE KEY}. */
    @Override
    public Optional<TableModel> parseCreateTable(String statement) {
        String ddl = statement.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (ddl.contains("PRIMARY KEY(") || ddl.contains("PRIMARY KEY (")) {
            return Optional.of(TableModel.KEYED);
        }
        if (ddl.matches(".*\\bDUPLICATE KEY ?\\(.*")) {
            return Optional.of(TableModel.DUPLICATE);
        }
        if (ddl.matches(".*\\b(AGGREGATE|UNIQUE) KEY ?\\(.*")) {
            // StarRocks applies __op only to primary key tables, not to its older unique key model,
            // which keeps the last row of a key like an aggregate table's REPLACE column.
            return Optional.of(TableModel.AGGREGATE);
        }
        return Optional.empty();
    }

    @Override
    public Optional<LoadReply> parseLoadReply(String body) {
        JsonNode root = ReplyJson.parseObject(body);
        if (root == null) {
            return Optional.empty();
        }
        String rawStatus = ReplyJson.text(root, "Status", "status");
        if (rawStatus == null) {
            return Optional.empty();
        }
        return Optional.of(ReplyJson.loadReply(root, status(rawStatus), rawStatus, ReplyJson.text(root, "Message", "msg")));
    }

    /**
     * The transaction interface answers {@code OK} where a Stream Load says {@code Success}, and a
     * code name ({@code TXN_NOT_EXISTS}, {@code TXN_IN_PROCESSING}, {@code INVALID_ARGUMENT}) or
     * {@code FAILED} where it fails ({@code StreamLoadContext::to_resp_json},
     * {@code TransactionLoadAction}).
     */
    @Override
    public Optional<LoadReply> parseStepReply(LoadStep step, String body) {
        if (step == LoadStep.LOAD || step == LoadStep.MERGED_LOAD) {
            return parseLoadReply(body);
        }
        JsonNode root = ReplyJson.parseObject(body);
        String rawStatus = root == null ? null : ReplyJson.text(root, "Status");
        if (rawStatus == null) {
            return Optional.empty();
        }
        LoadStatus status = switch (rawStatus.trim().toUpperCase(Locale.ROOT)) {
            case "OK" -> LoadStatus.SUCCESS;
            case "LABEL_ALREADY_EXISTS" -> LoadStatus.LABEL_ALREADY_EXISTS;
            default -> LoadStatus.FAIL;
        };
        return Optional.of(ReplyJson.loadReply(root, status, rawStatus, ReplyJson.text(root, "Message")));
    }

    @Override
    public TransactionSteps transactionSteps(StreamLoadClient client, String database) {
        return new StarRocksTransactions(client, database);
    }

    @Override
    public Optional<LabelState> parseLabelState(String body) {
        JsonNode root = ReplyJson.parseObject(body);
        if (root == null) {
            return Optional.empty();
        }
        return LabelState.parse(ReplyJson.text(root, "state", "State"));
    }

    private static LoadStatus status(String rawStatus) {
        return switch (rawStatus.trim().toLowerCase(Locale.ROOT)) {
            case "success" -> LoadStatus.SUCCESS;
            case "publish timeout" -> LoadStatus.PUBLISH_TIMEOUT;
            case "label already exists" -> LoadStatus.LABEL_ALREADY_EXISTS;
            case "fail", "failed" -> LoadStatus.FAIL;
            default -> LoadStatus.UNRECOGNISED;
        };
    }

    /**
     * Merge commit (3.4+, STREAM LOAD docs "Merge Commit parameters"): sync mode, so the answer
     * comes once the merged transaction is visible, and sequential loads of one client land in order.
     */
    @Override
    public Map<String, String> mergeCommitHeaders(MergeCommitSettings settings) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("enable_merge_commit", "true");
        headers.put("merge_commit_async", "false");
        headers.put("merge_commit_interval_ms", Long.toString(settings.interval().toMillis()));
        headers.put("merge_commit_parallel", Integer.toString(settings.parallel()));
        return headers;
    }

    /** The label comes back as {@code RequestId}: it ties the target's log lines to the batch. */
    @Override
    public boolean labelsMergedLoads() {
        return true;
    }

    @Override
    public io.streamload.connect.schema.TableDdl tableDdl(int buckets, java.util.Map<String, String> properties) {
        return new io.streamload.connect.schema.TableDdl(false, buckets, properties);
    }

    @Override
    public String keyedModelName() {
        return "primary key";
    }
}
