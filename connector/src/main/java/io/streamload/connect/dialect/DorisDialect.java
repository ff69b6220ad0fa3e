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
 * Apache Doris' Stream Load. Where it differs from StarRocks:
 * <ul>
 *   <li>CSV rows end with {@code line_delimiter} (not {@code row_delimiter}).</li>
 *   <li>JSON bodies are sent one object per line with {@code read_json_by_line: true}, Doris'
 *   own streaming form: one malformed row filters one row instead of failing the array.</li>
 *   <li>Deletes: the hidden column {@code __DORIS_DELETE_SIGN__} (1 = delete), made readable by
 *   {@code hidden_columns}, or appended to a {@code columns} list when there is one.</li>
 *   <li>Partial updates are {@code partial_columns}; the conditional replace is the sequence
 *   column ({@code function_column.sequence_col}).</li>
 *   <li>Replies add {@code TwoPhaseCommit} (a string) and {@code Comment}, and prefix failure
 *   messages with a code ({@code [DATA_QUALITY_ERROR]too many filtered rows}); FE errors come
 *   in lower case ({@code status}/{@code msg}); {@code get_load_state} puts the state in
 *   {@code data}.</li>
 *   <li>The FE's 307 Location embeds {@code user:password@}; the client strips it and never logs it.</li>
 *   <li>Labels are kept 12 hours (StarRocks: 3 days), which bounds how late a retry is recognised.</li>
 * </ul>
 */
public final class DorisDialect implements StreamLoadDialect {

    static final String DELETE_SIGN = "__DORIS_DELETE_SIGN__";
    private static final String DEFAULT_COLUMN_SEPARATOR = "\t";
    private static final String DEFAULT_LINE_DELIMITER = "\n";

    @Override
    public String name() {
        return "Doris";
    }

    @Override
    public Map<String, String> formatHeaders(String format, String columnSeparator, String rowDelimiter) {
        Map<String, String> headers = new LinkedHashMap<>();
        if ("json".equals(format)) {
            headers.put("format", "json");
            headers.put("read_json_by_line", "true");
        } else {
            headers.put("format", "csv");
            if (!DEFAULT_COLUMN_SEPARATOR.equals(columnSeparator)) {
                headers.put("column_separator", Separators.toHeaderValue(columnSeparator));
            }
            if (!DEFAULT_LINE_DELIMITER.equals(rowDelimiter)) {
                headers.put("line_delimiter", Separators.toHeaderValue(rowDelimiter));
            }
        }
        return headers;
    }

    /**
     * {@code compress_type} for either format: {@code gz}, {@code lz4} (LZ4 frames)
     * ({@code LoadUtil::parse_format} in {@code be/src/util/load_util.cpp}). CSV bodies since
     * apache/doris#5463 (2021); JSON bodies since 3.0.5 (apache/doris#48990, on branch-3.0 as #49044).
     * zstd is read only since apache/doris#64711 (June 2026): a Doris without it refuses a zstd CSV
     * body as an unknown format and parses a zstd JSON body as plain JSON, so it is refused here.
     * Two-phase commit is a stream load with one more header, so it reads the same.
     */
    @Override
    public Optional<String> compressionRefusal(String format, BodyCodec codec, boolean transactional) {
        if (codec != BodyCodec.ZSTD) {
            return Optional.empty();
        }
        return Optional.of("Doris reads compress_type=zstd only from apache/doris#64711 (2026) on, and a Doris "
                + "without it refuses or misreads such a body; use gzip or lz4_frame");
    }

    @Override
    public void addCompressionHeaders(Map<String, String> headers, String format, BodyCodec codec) {
        switch (codec) {
            case GZIP -> headers.put("compress_type", "gz");
            case LZ4_FRAME -> headers.put("compress_type", "lz4");
            case NONE -> {
            }
            default -> throw new IllegalArgumentException(codec.settingName() + " is not a compress_type of Doris");
        }
    }

    @Override
    public BodyFraming framing(String format, String rowDelimiter) {
        return "json".equals(format) ? BodyFraming.delimited("\n") : BodyFraming.delimited(rowDelimiter);
    }

    @Override
    public String deleteSignField() {
        return DELETE_SIGN;
    }

    @Override
    public void addDeleteSignHeaders(Map<String, String> headers) {
        if (!ColumnsHeader.appendIfPresent(headers, DELETE_SIGN)) {
            headers.put("hidden_columns", DELETE_SIGN);
        }
    }

    @Override
    public void addPartialUpdateHeaders(Map<String, String> headers, List<String> columns) {
        headers.put("partial_columns", "true");
        headers.put("columns", ColumnsHeader.of(columns));
    }

    @Override
    public void addMergeConditionHeaders(Map<String, String> headers, String column) {
        headers.put("function_column.sequence_col", column);
    }

    @Override
    public Optional<String> tableModelPath(String database, String table) {
        return Optional.of(StreamLoadPaths.tableSchema(database, table));
    }

    /** {@code {"msg":"success","code":0,"data":{"properties":[...],"keysType":"UNIQUE_KEYS"}}}. */
    @Override
    public Optional<TableModel> parseTableModel(String body) {
        JsonNode root = ReplyJson.parseObject(body);
        JsonNode data = root == null ? null : root.get("data");
        String keysType = data == null || !data.isObject() ? null : ReplyJson.text(data, "keysType");
        if (keysType == null) {
            return Optional.empty();
        }
        return switch (keysType.trim().toUpperCase(Locale.ROOT)) {
            case "UNIQUE_KEYS", "PRIMARY_KEYS" -> Optional.of(TableModel.KEYED);
            case "DUP_KEYS" -> Optional.of(TableModel.DUPLICATE);
            case "AGG_KEYS" -> Optional.of(TableModel.AGGREGATE);
            default -> Optional.empty();
        };
    }

    /**
     * {@code UNIQUE KEY(...)}: keyed (merge-on-write or not, both apply the delete sign);
     * {@code DUPLICATE KEY(...)}; {@code AGGREGATE KEY(...)}. Doris has no PRIMARY KEY model.
     */
    @Override
    public Optional<TableModel> parseCreateTable(String statement) {
        String ddl = statement.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (ddl.matches(".*\\bUNIQUE KEY ?\\(.*")) {
            return Optional.of(TableModel.KEYED);
        }
        if (ddl.matches(".*\\bDUPLICATE KEY ?\\(.*")) {
            return Optional.of(TableModel.DUPLICATE);
        }
        if (ddl.matches(".*\\bAGGREGATE KEY ?\\(.*")) {
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
        return Optional.of(ReplyJson.loadReply(root, status(rawStatus), rawStatus,
                ReplyJson.text(root, "Message", "msg")));
    }

    /**
     * A two-phase load answers like a Stream Load; {@code _stream_load_2pc} answers
     * {@code {"status": "Success"|"Fail", "msg": ...}} ({@code LoadAction.java}).
     */
    @Override
    public Optional<LoadReply> parseStepReply(LoadStep step, String body) {
        return parseLoadReply(body);
    }

    @Override
    public TransactionSteps transactionSteps(StreamLoadClient client, String database) {
        return new DorisTwoPhaseCommit(this, client, database);
    }

    /** Doris' {@code Status} words ({@code TStatusCode} names as the BE's stream load writes them). */
    private static LoadStatus status(String rawStatus) {
        return switch (rawStatus.trim().toLowerCase(Locale.ROOT)) {
            case "success" -> LoadStatus.SUCCESS;
            case "publish timeout" -> LoadStatus.PUBLISH_TIMEOUT;
            case "label already exists" -> LoadStatus.LABEL_ALREADY_EXISTS;
            case "fail", "failed" -> LoadStatus.FAIL;
            default -> LoadStatus.UNRECOGNISED;
        };
    }

    /** {@code {"msg":"success","code":0,"data":"VISIBLE","count":0}}. */
    @Override
    public Optional<LabelState> parseLabelState(String body) {
        JsonNode root = ReplyJson.parseObject(body);
        if (root == null) {
            return Optional.empty();
        }
        JsonNode data = root.get("data");
        if (data != null && data.isTextual()) {
            return LabelState.parse(data.asText());
        }
        return LabelState.parse(ReplyJson.text(root, "state"));
    }

    /**
     * Group commit (2.1+, group commit manual) in {@code sync_mode}: the answer comes once the
     * internal load is committed and visible. The window is the table's {@code group_commit_interval_ms}.
     */
    @Override
    public Map<String, String> mergeCommitHeaders(MergeCommitSettings settings) {
        return Map.of("group_commit", "sync_mode");
    }

    /** {@code label and group_commit can't be set at the same time} (BE {@code _handle_group_commit}). */
    @Override
    public boolean labelsMergedLoads() {
        return false;
    }

    @Override
    public io.streamload.connect.schema.TableDdl tableDdl(int buckets, java.util.Map<String, String> properties) {
        return new io.streamload.connect.schema.TableDdl(true, buckets, properties);
    }

    @Override
    public String keyedModelName() {
        return "unique key";
    }
}
