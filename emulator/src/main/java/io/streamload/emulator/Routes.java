package io.streamload.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The URL shapes of the Stream Load HTTP API. */
final class Routes {
    static final Pattern STREAM_LOAD = Pattern.compile("/api/([^/]+)/([^/]+)/_stream_load/?");
    static final Pattern LOAD_STATE = Pattern.compile("/api/([^/]+)/get_load_state/?");
    static final Pattern TRANSACTION = Pattern.compile("/api/transaction/(begin|load|prepare|commit|rollback)/?");
    static final Pattern DORIS_2PC = Pattern.compile("/api/([^/]+)/_stream_load_2pc/?");
    /** Doris' per-table form of the same call; the table plays no part in it. */
    static final Pattern DORIS_2PC_TABLE = Pattern.compile("/api/([^/]+)/([^/]+)/_stream_load_2pc/?");
    static final Pattern TABLE_SCHEMA = Pattern.compile("/api/([^/]+)/([^/]+)/_schema/?");
    static final String GET_DDL = "/api/_get_ddl";
    static final String ERROR_LOG = "/api/_load_error_log";

    private Routes() {
    }

    static Matcher match(Pattern p, String path) {
        Matcher m = p.matcher(path);
        return m.matches() ? m : null;
    }
}
