package io.streamload.emulator.dialect;

import static io.streamload.emulator.load.HeaderRules.iequals;
import static io.streamload.emulator.load.HeaderRules.trueOrFalse;

import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.load.BodyCompression;
import io.streamload.emulator.load.ErrorCode;
import io.streamload.emulator.load.LoadFailure;
import io.streamload.emulator.load.LoadOptions.Format;
import io.streamload.emulator.load.LoadState;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.TableModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** StarRocks: PascalCase fields, plain messages, credential-free redirects. */
public final class StarRocksDialect implements ServerDialect {
    @Override
    public String name() {
        return "starrocks";
    }

    @Override
    public String loadResponse(LoadReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Status", r.status());
        if (r.existingJobStatus() != null) {
            m.put("ExistingJobStatus", r.existingJobStatus());
        }
        m.put("Message", r.message());
        r.putCountersAndTimes(m, "StreamLoadPlanTimeMs");
        return Json.write(m);
    }

    /**
     * {@code StreamLoadContext::to_merge_commit_json} (3.4+): the merged transaction's id and label,
     * the client's label as {@code RequestId}, and timings; no row counts and no ErrorURL.
     * Every failure, a publish timeout included, is Status {@code Fail}.
     */
    @Override
    public String mergedLoadResponse(MergedReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Status", "Success".equals(r.status()) ? "Success" : "Fail");
        m.put("Message", r.message());
        m.put("RequestId", r.requestId());
        m.put("LoadBytes", r.loadBytes());
        m.put("LoadTimeMs", r.loadTimeMs());
        m.put("ReadDataTimeMs", 0);
        m.put("PendingTimeMs", 0);
        m.put("WaitPlanTimeMs", 0);
        m.put("WriteDataTimeMs", 0);
        m.put("WaitFinishTimeMs", r.waitMs());
        m.put("LeftMergeTimeMs", r.waitMs());
        return Json.write(m);
    }

    @Override
    public String mergedLabel() {
        return "merge_commit_" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public String feFailure(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", "FAILED");
        m.put("Message", "class com.starrocks.common.DdlException: " + message);
        return Json.write(m);
    }

    @Override
    public String loadStateResponse(String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "OK");
        m.put("code", "0");
        m.put("msg", "Success");
        m.put("message", "OK");
        m.put("state", state);
        return Json.write(m);
    }

    @Override
    public String stateName(LoadState state) {
        return state == null ? "UNKNOWN" : state.name();
    }

    @Override
    public String existingJobStatus(LoadState state) {
        return state.finished() ? "FINISHED" : "RUNNING";
    }

    @Override
    public String redirectLocation(String beBaseUrl, String pathAndQuery, String user, String password) {
        return beBaseUrl + pathAndQuery;
    }

    @Override
    public String errorLogLine(String reason, String row) {
        return "Error: " + reason + ". Row: " + (row == null ? "" : row);
    }

    /**
     * StarRocks' {@code be/src/runtime/runtime_state.cpp}: {@code MAX_ERROR_NUM = 50}, and a row is
     * written while the count before it is at most that, so 51 rows (the CSV scanner stops at 50
     * before that, {@code REPORT_ERROR_MAX_NUMBER}). Nothing marks the cut.
     */
    static final int MAX_ERROR_LOG_ROWS = 51;

    @Override
    public String errorLog(List<String> lines) {
        StringBuilder log = new StringBuilder();
        lines.stream().limit(MAX_ERROR_LOG_ROWS).forEach(line -> log.append(line).append('\n'));
        return log.toString();
    }

    /**
     * {@code DeltaWriter::_init} in {@code be/src/storage/delta_writer.cpp} (3.x), a
     * {@code Status::ServiceUnavailable}; the trailing comma is StarRocks' own.
     */
    @Override
    public String tooManyVersions(long tabletId, int versions, int limit) {
        return "Failed to load data into tablet " + tabletId + ", because of too many versions, current/limit: "
                + versions + "/" + limit + ". You can reduce the loading job concurrency, or increase loading data "
                + "batch size. If you are loading data with Routine Load, you can increase FE configs "
                + "routine_load_task_consume_second and max_routine_load_batch_size,";
    }

    @Override
    public String versionLimitSetting() {
        return "tablet_max_versions";
    }

    @Override
    public boolean supportsTwoPhaseStreamLoad() {
        return false;
    }

    /** StarRocks' {@code TableSchemaAction}: columns only, no key model. */
    @Override
    public String tableSchemaResponse(TableDefinition table) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", 200);
        m.put("properties", DorisDialect.schemaProperties(table));
        return Json.write(m);
    }

    /** StarRocks' {@code GetDdlStmtAction}: {@code {"TABLE":[ddl],"PARTITION":[],"ROLLUP":[]}}. */
    @Override
    public String tableDdlResponse(TableDefinition table) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE `").append(table.table()).append("` (\n");
        for (int i = 0; i < table.columns().size(); i++) {
            io.streamload.emulator.table.Column c = table.columns().get(i);
            ddl.append("  `").append(c.name()).append("` ").append(c.type().declared().toLowerCase(java.util.Locale.ROOT))
                    .append(c.nullable() ? " NULL" : " NOT NULL").append(i + 1 < table.columns().size() ? ",\n" : "\n");
        }
        String keys = table.keys().stream().map(k -> "`" + k + "`").collect(java.util.stream.Collectors.joining(", "));
        ddl.append(") ENGINE=OLAP \n").append(table.model() == TableModel.PRIMARY_KEY ? "PRIMARY KEY(" : "DUPLICATE KEY(")
                .append(keys).append(")\nDISTRIBUTED BY HASH(").append(keys).append(");");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TABLE", java.util.List.of(ddl.toString()));
        m.put("PARTITION", java.util.List.of());
        m.put("ROLLUP", java.util.List.of());
        return Json.write(m);
    }

    @Override
    public boolean readsOpFromJsonRows() {
        return true;
    }

    /**
     * {@code format} names CSV, JSON or a compressed CSV, ignoring case: {@code gzip}, {@code bzip2},
     * {@code lz4} (the LZ4 frame format), {@code deflate}, {@code zstd} ({@code parse_format} in
     * {@code be/src/http/action/stream_load.cpp}). {@code compression} or {@code Content-Encoding},
     * not both, names the codec of a body of either format by the FE's names, ignoring case
     * ({@code CompressionUtils.findTCompressionByName}, checked in {@code StreamLoadInfo}); the codec
     * it names is the one used ({@code FileScanner::create_sequential_file} prefers it to the one the
     * format implies).
     */
    @Override
    public BodyFormat bodyFormat(HttpRequest r) throws LoadFailure {
        String f = r.header("format");
        Format format = Format.CSV;
        BodyCompression byFormat = null;
        if (f != null && !f.isEmpty()) {
            switch (f.toLowerCase(Locale.ROOT)) {
                case "csv" -> { }
                case "json" -> format = Format.JSON;
                case "gzip" -> byFormat = BodyCompression.GZIP;
                case "bzip2" -> byFormat = BodyCompression.BZIP2;
                case "lz4" -> byFormat = BodyCompression.LZ4_FRAME;
                case "deflate" -> byFormat = BodyCompression.DEFLATE;
                case "zstd" -> byFormat = BodyCompression.ZSTD;
                default -> throw new LoadFailure(ErrorCode.INTERNAL_ERROR, "unknown data format, format=" + f);
            }
        }
        String contentEncoding = r.header("content-encoding");
        String compression = r.header("compression");
        boolean byContentEncoding = contentEncoding != null && !contentEncoding.isEmpty();
        if (byContentEncoding && compression != null && !compression.isEmpty()) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT,
                    "Only one of http header content-encoding and compression can be set");
        }
        String named = byContentEncoding ? contentEncoding : compression;
        if (named == null || named.isEmpty()) {
            return new BodyFormat(format, byFormat);
        }
        BodyCompression payload = switch (named.toUpperCase(Locale.ROOT)) {
            case "NO_COMPRESSION" -> null;
            case "GZIP" -> BodyCompression.GZIP;
            case "DEFLATE" -> BodyCompression.DEFLATE;
            case "BZIP2" -> BodyCompression.BZIP2;
            case "LZ4_FRAME" -> BodyCompression.LZ4_FRAME;
            case "ZSTD" -> BodyCompression.ZSTD;
            // Names the FE knows but whose bodies this server does not decode: LZ4 blocks and zlib have
            // no stream decompressor in the BE, and its SNAPPY stream has a framing of its own.
            case "LZ4", "ZLIB", "SNAPPY" -> throw new LoadFailure(ErrorCode.INVALID_ARGUMENT,
                    "Compression type " + named + " is not emulated");
            default -> throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Unsupported compression type: " + named);
        };
        return new BodyFormat(format, payload != null ? payload : byFormat);
    }

    /** {@code true} or {@code false} in any case, else refused ({@code _process_put} in stream_load.cpp). */
    @Override
    public boolean strictMode(HttpRequest r) throws LoadFailure {
        return trueOrFalse(r.header("strict_mode"), "Invalid strict mode format. Must be bool type");
    }

    /** {@code partial_update}: {@code true} or {@code false} in any case, else refused (stream_load.cpp). */
    @Override
    public boolean partialUpdate(HttpRequest r) throws LoadFailure {
        return trueOrFalse(r.header("partial_update"), "Invalid partial update flag format. Must be bool type");
    }

    /** {@code true} in any case; any other value is false, without complaint (stream_load.cpp). */
    @Override
    public boolean stripOuterArray(HttpRequest r) {
        return iequals(r.header("strip_outer_array"), "true");
    }

    /** StarRocks has no such header: its JSON reader takes one object after another anyway. */
    @Override
    public boolean readJsonByLine(HttpRequest r) {
        return false;
    }

    /**
     * StarRocks' stream load does not read {@code two_phase_commit} (its two-phase loads are the
     * transaction API); the emulator reads it, as {@code true} in any case, only to refuse it.
     */
    @Override
    public boolean twoPhaseCommit(HttpRequest r) {
        return iequals(r.header("two_phase_commit"), "true");
    }

    /**
     * The FE resolves the where against the target table's columns, after the columns mapping
     * ({@code LoadScanNode.initWhereExpr}).
     */
    @Override
    public LoadFailure whereUnknownColumn(String column) {
        return new LoadFailure(ErrorCode.ANALYSIS_ERROR, "unknown column in where statement. the column '" + column
                + "' in where clause must be in the target table.");
    }

    /**
     * The FE parses the header alone with its SQL parser ({@code StreamLoadInfo.setWhereExpr}) and
     * passes the parser's message on: ANTLR's 0-based column and what it would have taken there (the
     * emulator's list of those is shorter than the real parser's).
     */
    @Override
    public LoadFailure whereSyntaxError(String where, int position, String found, String expected) {
        return new LoadFailure(ErrorCode.ANALYSIS_ERROR, "Getting syntax error at line 1, column " + position
                + ". Detail message: Unexpected input '" + found + "', the most similar input is {" + expected + "}.");
    }
}
