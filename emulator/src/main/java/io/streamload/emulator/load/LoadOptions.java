package io.streamload.emulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.dialect.StarRocksDialect;
import io.streamload.emulator.http.HttpRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The data headers of one load, parsed and checked once. Unknown headers are ignored, as the target does. */
public final class LoadOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Format { CSV, JSON }

    public enum MergeType { APPEND, DELETE, MERGE }

    public final Format format;
    public final String columnSeparator;
    public final String rowDelimiter;
    /** The {@code where} header, parsed, or null when absent. */
    public final WherePredicate where;
    /** Raw entries of the {@code columns} header, or null when absent. */
    public final List<String> columns;
    public final List<String> jsonPaths;
    public final String jsonRoot;
    public final boolean stripOuterArray;
    public final boolean readJsonByLine;
    public final double maxFilterRatio;
    public final boolean strictMode;
    public final boolean partialUpdate;
    /** The codec the body is compressed with, or null. */
    public final BodyCompression compression;
    public final List<String> hiddenColumns;
    public final MergeType mergeType;
    public final String deleteCondition;
    public final boolean twoPhaseCommit;
    /** Seconds a stream load may take before it is aborted (StarRocks' default is 600). */
    public final long timeoutSeconds;

    private LoadOptions(HttpRequest r, HeaderRules rules) throws LoadFailure {
        HeaderRules.BodyFormat body = rules.bodyFormat(r);
        format = body.format();
        compression = body.compression();
        columnSeparator = unescape(r.header("column_separator"), "\t", "column_separator");
        String rd = r.header("row_delimiter") != null ? r.header("row_delimiter") : r.header("line_delimiter");
        rowDelimiter = unescape(rd, "\n", "row_delimiter");
        columns = r.header("columns") == null ? null : splitColumns(r.header("columns"));
        jsonPaths = r.header("jsonpaths") == null ? null : parseJsonPaths(r.header("jsonpaths"));
        jsonRoot = blankToNull(r.header("json_root"));
        stripOuterArray = rules.stripOuterArray(r);
        readJsonByLine = rules.readJsonByLine(r);
        String ratio = r.header("max_filter_ratio");
        try {
            maxFilterRatio = ratio == null ? 0.0 : Double.parseDouble(ratio.trim());
        } catch (NumberFormatException e) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid max_filter_ratio: '" + ratio + "'. Use a number from 0 to 1");
        }
        if (maxFilterRatio < 0 || maxFilterRatio > 1) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid max_filter_ratio: " + ratio + ". Use a number from 0 to 1");
        }
        strictMode = rules.strictMode(r);
        partialUpdate = rules.partialUpdate(r);
        String hidden = r.header("hidden_columns");
        hiddenColumns = hidden == null ? List.of() : splitColumns(hidden);
        String mt = r.header("merge_type");
        try {
            mergeType = mt == null ? MergeType.APPEND : MergeType.valueOf(mt.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid merge_type: " + mt + ". Use APPEND, DELETE or MERGE");
        }
        deleteCondition = blankToNull(r.header("delete"));
        if (mergeType == MergeType.MERGE && deleteCondition == null) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "merge_type MERGE needs a delete condition header");
        }
        twoPhaseCommit = rules.twoPhaseCommit(r);
        String timeout = r.header("timeout");
        try {
            timeoutSeconds = timeout == null ? 600 : Long.parseLong(timeout.trim());
        } catch (NumberFormatException e) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid timeout: '" + timeout + "'. Use whole seconds");
        }
        if (timeoutSeconds < 1) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid timeout: " + timeout + ". Use at least 1 second");
        }
        // Last, as on the servers: the BE checks its headers before the FE parses the where.
        String whereHeader = r.header("where");
        where = whereHeader == null || whereHeader.isEmpty() ? null : WherePredicate.parse(whereHeader, rules);
    }

    /** The headers as the dialect's target reads them. */
    public static LoadOptions of(HttpRequest request, HeaderRules rules) throws LoadFailure {
        return new LoadOptions(request, rules);
    }

    /**
     * The headers as StarRocks reads them: the caller is the transaction API, which only StarRocks
     * serves.
     */
    public static LoadOptions of(HttpRequest request) throws LoadFailure {
        return new LoadOptions(request, new StarRocksDialect());
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Separators may be given in hex ({@code \x01}) for bytes that cannot travel in a header. */
    static String unescape(String v, String dflt, String header) throws LoadFailure {
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        if (v.startsWith("\\x") || v.startsWith("\\X")) {
            String hex = v.substring(2);
            if (hex.isEmpty() || hex.length() % 2 != 0) {
                throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid " + header + ": " + v);
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 2) {
                try {
                    sb.append((char) Integer.parseInt(hex.substring(i, i + 2), 16));
                } catch (NumberFormatException e) {
                    throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid " + header + ": " + v);
                }
            }
            return sb.toString();
        }
        return v.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r");
    }

    /** Splits a columns list on commas that are not inside quotes or parentheses. */
    static List<String> splitColumns(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (char c : header.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(cur.toString().trim());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        out.replaceAll(s -> s.replace("`", ""));
        return out;
    }

    private static List<String> parseJsonPaths(String v) throws LoadFailure {
        try {
            JsonNode n = JSON.readTree(v);
            if (!n.isArray()) {
                throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid jsonpaths: " + v + ". Expected a JSON array of paths");
            }
            List<String> out = new ArrayList<>();
            n.forEach(p -> out.add(p.asText()));
            return out;
        } catch (IOException e) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Invalid jsonpaths: " + v + ". Expected a JSON array of paths");
        }
    }
}
