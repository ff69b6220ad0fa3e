package io.streamload.connect.config;

import java.util.Locale;
import java.util.Set;

/**
 * Which Stream Load headers a user may pass through {@code load.properties.*}.
 *
 * <p>The connector owns the headers that decide how the body it writes is read (format,
 * separators, JSON framing) and the ones that make retries safe (label); a user value for them
 * would make the target misread the body or break the exactly-one-load-per-label rule. Format and
 * separators are accepted as aliases of our settings (see {@link ConfigAliases}); the label is
 * refused; the rest are ignored.
 */
public final class LoadPropertyRules {

    /** Headers a user must not set at all; the message says what to use instead. */
    static final Set<String> REFUSED = Set.of("label", "two_phase_commit");

    private static final Set<String> OWNED = Set.of(
            "label", "two_phase_commit", "format", "column_separator", "row_delimiter", "line_delimiter",
            "strip_outer_array", "read_json_by_line", "expect", "authorization", "content-length",
            "transfer-encoding", "host", "connection");

    /** Headers the targets read only from JSON bodies. */
    private static final Set<String> JSON_ONLY = Set.of("jsonpaths", "json_root", "strip_outer_array",
            "read_json_by_line", "fuzzy_parse", "num_as_string", "ignore_json_size");

    private LoadPropertyRules() {
    }

    /** True for the headers that only mean something in a JSON body. */
    static boolean isJsonOnly(String header) {
        return JSON_ONLY.contains(header.toLowerCase(Locale.ROOT));
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
        return "two-phase commit is not supported by this version of the connector";
    }
}
