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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Doris: TwoPhaseCommit as a string, a Comment field, StreamLoadPutTimeMs, messages prefixed with a
 * code, lower-case FE bodies, PRECOMMITTED for prepared loads, and credentials in the redirect.
 */
public final class DorisDialect implements ServerDialect {
    /** compress_type values Doris reads but whose block formats this server does not decode. */
    private static final Set<String> UNDECODED_COMPRESS_TYPES = Set.of("lzo", "lzop", "lz4_block", "snappy_block");
    /** Formats Doris reads that this server does not parse. */
    private static final Set<String> UNPARSED_FORMATS = Set.of("csv_with_names", "csv_with_names_and_types",
            "hive_text", "parquet", "orc", "arrow", "wal");

    @Override
    public String name() {
        return "doris";
    }

    @Override
    public String loadResponse(LoadReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Comment", "");
        m.put("TwoPhaseCommit", Boolean.toString(r.twoPhaseCommit()));
        m.put("Status", r.status());
        if (r.existingJobStatus() != null) {
            m.put("ExistingJobStatus", r.existingJobStatus());
        }
        m.put("Message", r.code() == null ? r.message() : "[" + r.code() + "]" + r.message());
        r.putCountersAndTimes(m, "StreamLoadPutTimeMs");
        return Json.write(m);
    }

    /**
     * A group commit answer (group commit manual, 2.1): the usual fields with {@code GroupCommit:
     * true} after {@code Comment}, the label of the internal load ({@code group_commit_<hex>_<hex>}).
     */
    @Override
    public String mergedLoadResponse(MergedReply r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TxnId", r.txnId());
        m.put("Label", r.label());
        m.put("Comment", "");
        m.put("GroupCommit", true);
        m.put("Status", r.status());
        m.put("Message", r.code() == null ? r.message() : "[" + r.code() + "]" + r.message());
        m.put("NumberTotalRows", r.totalRows());
        m.put("NumberLoadedRows", r.loadedRows());
        m.put("NumberFilteredRows", r.filteredRows());
        m.put("NumberUnselectedRows", r.unselectedRows());
        m.put("LoadBytes", r.loadBytes());
        m.put("LoadTimeMs", r.loadTimeMs());
        m.put("StreamLoadPutTimeMs", 0);
        m.put("ReadDataTimeMs", 0);
        m.put("WriteDataTimeMs", r.waitMs());
        if (r.errorUrl() != null) {
            m.put("ErrorURL", r.errorUrl());
        }
        return Json.write(m);
    }

    @Override
    public String mergedLabel() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return String.format("group_commit_%016x_%016x", random.nextLong(), random.nextLong());
    }

    @Override
    public String feFailure(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "FAILED");
        m.put("msg", message);
        return Json.write(m);
    }

    @Override
    public String loadStateResponse(String state) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msg", "success");
        m.put("code", 0);
        m.put("data", state);
        m.put("count", 0);
        return Json.write(m);
    }

    @Override
    public String stateName(LoadState state) {
        if (state == null) {
            return "UNKNOWN";
        }
        return state == LoadState.PREPARED ? "PRECOMMITTED" : state.name();
    }

    @Override
    public String existingJobStatus(LoadState state) {
        if (state.finished()) {
            return "FINISHED";
        }
        return state == LoadState.PREPARED ? "PRECOMMITTED" : "RUNNING";
    }

    @Override
    public String redirectLocation(String beBaseUrl, String pathAndQuery, String user, String password) {
        int scheme = beBaseUrl.indexOf("://") + 3;
        String userInfo = percentEncode(user) + ":" + percentEncode(password) + "@";
        return beBaseUrl.substring(0, scheme) + userInfo + beBaseUrl.substring(scheme) + pathAndQuery;
    }

    /** URI percent-encoding: URLEncoder's form encoding turns a space into '+', which a URI keeps as '+'. */
    private static String percentEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String errorLogLine(String reason, String row) {
        return "Reason: " + reason + ". src line [" + (row == null ? "" : row) + "]; ";
    }

    /**
     * Doris' {@code be/src/runtime/runtime_state.cpp}: rows below {@code MAX_ERROR_NUM = 50} are
     * written, the next one becomes {@code TOO MUCH ERROR! already reach 50. show no more next error.},
     * and the rest are dropped.
     */
    static final int MAX_ERROR_LOG_ROWS = 50;

    @Override
    public String errorLog(List<String> lines) {
        StringBuilder log = new StringBuilder();
        lines.stream().limit(MAX_ERROR_LOG_ROWS).forEach(line -> log.append(line).append('\n'));
        if (lines.size() > MAX_ERROR_LOG_ROWS) {
            log.append("TOO MUCH ERROR! already reach ").append(MAX_ERROR_LOG_ROWS)
                    .append(". show no more next error.\n");
        }
        return log.toString();
    }

    /**
     * {@code RowsetBuilder::check_tablet_version_count} in {@code be/src/olap/rowset_builder.cpp}
     * (3.x and master), a {@code TOO_MANY_VERSION} status (-235): the code is the message's prefix.
     */
    @Override
    public String tooManyVersions(long tabletId, int versions, int limit) {
        return "failed to init rowset builder. version count: " + versions + ", exceed limit: " + limit
                + ", tablet: " + tabletId + ". Please reduce the frequency of loading data or adjust the "
                + "max_tablet_version_num or time_series_max_tablet_version_num in be.conf to a larger value.";
    }

    @Override
    public String versionLimitSetting() {
        return "max_tablet_version_num";
    }

    @Override
    public boolean supportsTwoPhaseStreamLoad() {
        return true;
    }

    /** Doris' {@code TableSchemaAction}: {@code data} holds the columns and {@code keysType}. */
    @Override
    public String tableSchemaResponse(TableDefinition table) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("properties", schemaProperties(table));
        data.put("keysType", table.model() == TableModel.PRIMARY_KEY ? "UNIQUE_KEYS" : "DUP_KEYS");
        data.put("status", 200);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("msg", "success");
        m.put("code", 0);
        m.put("data", data);
        m.put("count", 0);
        return Json.write(m);
    }

    @Override
    public String tableDdlResponse(TableDefinition table) {
        return null;
    }

    /** Doris reads the delete sign only when {@code hidden_columns} or {@code columns} names it. */
    @Override
    public boolean readsOpFromJsonRows() {
        return false;
    }

    static java.util.List<java.util.Map<String, Object>> schemaProperties(TableDefinition table) {
        java.util.List<java.util.Map<String, Object>> properties = new java.util.ArrayList<>();
        for (io.streamload.emulator.table.Column c : table.columns()) {
            java.util.Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", c.type().kind().name());
            p.put("name", c.name());
            p.put("comment", "");
            properties.add(p);
        }
        return properties;
    }

    /**
     * {@code format} and {@code compress_type}, both ignoring case ({@code LoadUtil::parse_format} in
     * {@code be/src/util/load_util.cpp}); {@code compression} and {@code Content-Encoding} are not
     * read. A CSV {@code compress_type} must be one Doris knows: {@code gz}, {@code bz2}, {@code lz4}
     * (the LZ4 frame format), {@code deflate}, {@code zstd} (apache/doris#64711), {@code lzo},
     * {@code lzop}, {@code lz4_block}, {@code snappy_block}, or the format is unknown. JSON takes the
     * same codecs (apache/doris#48990) and reads an unknown {@code compress_type} as no compression.
     */
    @Override
    public BodyFormat bodyFormat(HttpRequest r) throws LoadFailure {
        String formatHeader = r.header("format");
        String f = formatHeader == null || formatHeader.isEmpty() ? "csv" : formatHeader.toLowerCase(Locale.ROOT);
        String compressType = r.header("compress_type");
        String ct = compressType == null ? "" : compressType.toLowerCase(Locale.ROOT);
        BodyCompression codec = switch (ct) {
            case "gz" -> BodyCompression.GZIP;
            case "bz2" -> BodyCompression.BZIP2;
            case "lz4" -> BodyCompression.LZ4_FRAME;
            case "deflate" -> BodyCompression.DEFLATE;
            case "zstd" -> BodyCompression.ZSTD;
            default -> null;
        };
        if (UNDECODED_COMPRESS_TYPES.contains(ct)) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "compress_type " + compressType + " is not emulated");
        }
        if (f.equals("csv")) {
            if (ct.isEmpty() || codec != null) {
                return new BodyFormat(Format.CSV, codec);
            }
        } else if (f.equals("json")) {
            return new BodyFormat(Format.JSON, codec);
        } else if (UNPARSED_FORMATS.contains(f)) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "format " + formatHeader + " is not emulated");
        }
        throw new LoadFailure(ErrorCode.DATA_FILE_TYPE_ERROR,
                "unknown data format, format=" + (formatHeader == null ? "" : formatHeader));
    }

    /** {@code ZstdDecompressor::decompress} in {@code be/src/exec/decompressor.cpp}. */
    @Override
    public String zstdFailure(String error) {
        return "Failed to zstd decompress: " + error;
    }

    /** {@code true} or {@code false} in any case, else refused ({@code _process_put} in stream_load.cpp). */
    @Override
    public boolean strictMode(HttpRequest r) throws LoadFailure {
        return trueOrFalse(r.header("strict_mode"), "Invalid strict mode format. Must be bool type");
    }

    /** {@code partial_columns}: {@code true} in any case; any other value is false (stream_load.cpp). */
    @Override
    public boolean partialUpdate(HttpRequest r) {
        return iequals(r.header("partial_columns"), "true");
    }

    /** {@code true} in any case; any other value is false (stream_load.cpp). */
    @Override
    public boolean stripOuterArray(HttpRequest r) {
        return iequals(r.header("strip_outer_array"), "true");
    }

    /** {@code true} in any case; any other value is false (stream_load.cpp). */
    @Override
    public boolean readJsonByLine(HttpRequest r) {
        return iequals(r.header("read_json_by_line"), "true");
    }

    /** Only the exact word {@code true}: {@code TRUE} or {@code yes} load and commit at once ({@code on_header}). */
    @Override
    public boolean twoPhaseCommit(HttpRequest r) {
        return "true".equals(r.header("two_phase_commit"));
    }

    /**
     * The FE's planning error comes back through the BE as a TStatus, and UserException messages carry
     * their code ({@code LoadScanNode} for the text).
     */
    @Override
    public LoadFailure whereUnknownColumn(String column) {
        return new LoadFailure(ErrorCode.ANALYSIS_ERROR, "TStatus: errCode = 2, detailMessage = unknown column in "
                + "where statement, column=" + column + ". the column '" + column + "' in where clause must be in the target table.");
    }

    /**
     * The FE parses {@code WHERE <header>} and reports the parser's position with a caret
     * ({@code StreamLoadTask.setWhereExpr}, {@code SqlParser.getErrorMsg}); the emulator's list of
     * what was expected is shorter than the real parser's.
     */
    @Override
    public LoadFailure whereSyntaxError(String where, int position, String found, String expected) {
        String sql = "WHERE " + where;
        return new LoadFailure(ErrorCode.ANALYSIS_ERROR, "TStatus: errCode = 2, detailMessage = Syntax error in line 1:\n"
                + sql + "\n" + " ".repeat("WHERE ".length() + position) + "^\nEncountered: "
                + (found.equals("<EOF>") ? "EOF" : found) + "\nExpected: " + expected);
    }
}
