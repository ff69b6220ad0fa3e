package io.streamload.connect.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Stream Load headers a user may pass through {@code load.properties.*}.
 *
 * <p>The connector owns the headers that decide how the body it writes is read (format,
 * separators, JSON framing) and the ones that make retries safe (label); a user value for them
 * would make the target misread the body or break the exactly-one-load-per-label rule. Format and
 * separators are accepted as aliases of our settings (see {@link ConfigAliases}); the label is
 * refused; the rest are ignored.
 *
 * <p>It also knows the values the targets take for the headers whose values they check, and
 * which headers only mean something in a JSON body, so such mistakes are reported on the key
 * before any load.
 */
public final class LoadPropertyRules {

    /** The headers that ask the target to merge loads: {@code load.mode=merge_commit} sets them. */
    private static final Set<String> MERGE_HEADERS = Set.of("enable_merge_commit", "merge_commit_interval_ms",
            "merge_commit_parallel", "merge_commit_async", "group_commit");

    /** Headers a user must not set at all; the message says what to use instead. */
    static final Set<String> REFUSED = Set.of("label", "two_phase_commit", "enable_merge_commit",
            "merge_commit_interval_ms", "merge_commit_parallel", "merge_commit_async", "group_commit", "compression",
            "content-encoding", "compress_type");

    private static final Set<String> OWNED = Set.of(
            "label", "two_phase_commit", "enable_merge_commit", "merge_commit_interval_ms", "merge_commit_parallel",
            "merge_commit_async", "group_commit", "format", "column_separator", "row_delimiter", "line_delimiter",
            "strip_outer_array", "read_json_by_line", "expect", "authorization", "content-length",
            "transfer-encoding", "host", "connection", "compression", "content-encoding", "compress_type");

    /** Headers the targets read only from JSON bodies. */
    private static final Set<String> JSON_ONLY = Set.of("jsonpaths", "json_root", "strip_outer_array",
            "read_json_by_line", "fuzzy_parse", "num_as_string", "ignore_json_size");

    /** Headers the targets read as {@code true} or {@code false} and nothing else. */
    private static final Set<String> BOOLEANS = Set.of("strict_mode", "partial_update", "partial_columns",
            "strip_outer_array", "read_json_by_line", "trim_space", "fuzzy_parse", "num_as_string",
            "ignore_json_size", "negative");

    /** Headers that hold a whole number, with the least the targets take. */
    private static final Map<String, Long> WHOLE_NUMBERS = Map.of("timeout", 1L, "skip_header", 0L,
            "load_mem_limit", 0L, "exec_mem_limit", 1L);

    private LoadPropertyRules() {
    }

    /** True for the headers that only mean something in a JSON body. */
    static boolean isJsonOnly(String header) {
        return JSON_ONLY.contains(header.toLowerCase(Locale.ROOT));
    }

    /**
     * What is wrong with a header's value, for the headers whose values the targets check (they
     * refuse the load, or misread the value: StarRocks reads a {@code max_filter_ratio} that is
     * not a number as 0); empty when the value is fine or the header is not one of them.
     */
    static Optional<String> valueProblem(String header, String value) {
        String name = header.toLowerCase(Locale.ROOT);
        String text = value == null ? "" : value.trim();
        if (name.equals("max_filter_ratio")) {
            double ratio;
            try {
                ratio = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                ratio = Double.NaN;
            }
            return ratio >= 0 && ratio <= 1 ? Optional.empty() : Optional.of(header + " must be a number from 0 to 1: "
                    + "the share of a load's rows the target may filter out, for example 0.1");
        }
        if (BOOLEANS.contains(name)) {
            return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false") ? Optional.empty()
                    : Optional.of(header + " must be true or false");
        }
        Long least = WHOLE_NUMBERS.get(name);
        if (least != null) {
            Long number;
            try {
                number = Long.parseLong(text);
            } catch (NumberFormatException e) {
                number = null;
            }
            // StarRocks reads the timeout as a 32-bit number.
            long most = name.equals("timeout") ? Integer.MAX_VALUE : Long.MAX_VALUE;
            boolean fits = number != null && number >= least && number <= most;
            String unit = name.equals("timeout") ? "seconds" : name.equals("skip_header") ? "lines" : "bytes";
            return fits ? Optional.empty() : Optional.of(header + " must be a whole number of " + unit + ", at least "
                    + least + (name.equals("timeout") ? ", for example 600" : ""));
        }
        if (name.equals("merge_type")) {
            return Set.of("APPEND", "DELETE", "MERGE").contains(text.toUpperCase(Locale.ROOT)) ? Optional.empty()
                    : Optional.of(header + " must be APPEND, DELETE or MERGE");
        }
        return Optional.empty();
    }

    /** True when the connector sets this header itself, so a user value is not passed through. */
    public static boolean isOwnedByConnector(String header) {
        return OWNED.contains(header.toLowerCase(Locale.ROOT));
    }

    static boolean isRefused(String header) {
        return REFUSED.contains(header.toLowerCase(Locale.ROOT));
    }

    static String refusalReason(String header) {
        if ("label".equalsIgnoreCase(header)) {
            return "the connector builds every label itself so that a retry reuses it; set "
                    + StreamLoadSinkConfig.LABEL_PREFIX + " to change how labels start";
        }
        if ("two_phase_commit".equalsIgnoreCase(header)) {
            return "two-phase commit is not supported by this version of the connector";
        }
        if (MERGE_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
            return "the server's load merging is asked for with " + StreamLoadSinkConfig.LOAD_MODE + "=merge_commit "
                    + "(and " + StreamLoadSinkConfig.LOAD_MERGE_INTERVAL_MS + ", "
                    + StreamLoadSinkConfig.LOAD_MERGE_PARALLEL + "), always in sync mode: an async answer comes before "
                    + "the rows are committed, and offsets are committed only after the target confirms";
        }
        return "the connector compresses the body itself and names the codec in the header the target reads; set "
                + StreamLoadSinkConfig.LOAD_COMPRESSION + " (none, gzip, lz4_frame or zstd) instead";
    }
}
