package io.streamload.emulator;

import io.streamload.emulator.http.HttpRequest;
import io.streamload.emulator.load.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a stream load asks of the server's load merging, read from its headers as each server reads
 * them: StarRocks' merge commit ({@code enable_merge_commit}, {@code merge_commit_interval_ms},
 * {@code merge_commit_parallel}, {@code merge_commit_async}; 3.4+, BE {@code http/action/stream_load.cpp}
 * and FE {@code load/batchwrite/BatchWriteMgr.java}) or Doris' group commit ({@code group_commit:
 * sync_mode|async_mode|off_mode}; 2.1+, BE {@code StreamLoadAction::_handle_group_commit}).
 *
 * @param merged true when the load joins a merge window
 * @param async true when the server answers once the rows are received, before the window commits
 * @param interval how long a window stays open
 * @param parallel StarRocks: how many BEs coordinate a window's loads; 1 for Doris
 * @param key loads with the same key (database, table, load parameters) share windows
 * @param refusal why the server refuses the load, or null
 * @param refusalCode the code of the refusal (Doris prefixes its message with it)
 */
record MergeRequest(boolean merged, boolean async, Duration interval, int parallel, String key, String refusal,
                    ErrorCode refusalCode) {

    static final String ENABLE_MERGE_COMMIT = "enable_merge_commit";
    static final String MERGE_COMMIT_INTERVAL_MS = "merge_commit_interval_ms";
    static final String MERGE_COMMIT_PARALLEL = "merge_commit_parallel";
    static final String MERGE_COMMIT_ASYNC = "merge_commit_async";
    static final String GROUP_COMMIT = "group_commit";

    /** Headers that do not make two loads different (StarRocks merges only loads of equal parameters). */
    private static final Set<String> NOT_PARAMETERS = Set.of("label", "authorization", "content-length", "expect",
            "host", "connection", "transfer-encoding", "user-agent", "content-type", "accept-encoding", "accept");

    private static final MergeRequest PLAIN = new MergeRequest(false, false, Duration.ZERO, 1, null, null, null);

    static MergeRequest plain() {
        return PLAIN;
    }

    static MergeRequest refused(ErrorCode code, String message) {
        return new MergeRequest(false, false, Duration.ZERO, 1, null, message, code);
    }

    /**
     * Reads a load's merge headers for the dialect.
     *
     * @param serverMerges false for servers before merging existed (StarRocks before 3.4, Doris
     *     before 2.1): they ignore headers they do not know, so every load is plain
     */
    static MergeRequest of(String dialect, HttpRequest request, String db, String table, boolean serverMerges,
                           Duration groupCommitInterval) {
        if (!serverMerges) {
            return PLAIN;
        }
        return "doris".equals(dialect) ? doris(request, db, table, groupCommitInterval) : starRocks(request, db, table);
    }

    /**
     * StarRocks: {@code enable_merge_commit} must read as a bool ({@code StringParser::string_to_bool}),
     * else {@code Invalid parameter enable_merge_commit. The value must be bool type, but is X}; the
     * window and parallelism must be positive (FE {@code BatchWriteMgr.getOrCreateJob}: {@code Batch
     * write interval must be set positive, but is null}). The label, if any, is kept only as the
     * request's id: the server makes the transaction's label itself (STREAM LOAD docs, 3.4).
     */
    private static MergeRequest starRocks(HttpRequest request, String db, String table) {
        String enable = request.header(ENABLE_MERGE_COMMIT);
        if (enable == null || enable.isEmpty()) {
            return PLAIN;
        }
        Boolean on = starRocksBool(enable);
        if (on == null) {
            return refused(ErrorCode.INVALID_ARGUMENT, "Invalid parameter " + ENABLE_MERGE_COMMIT
                    + ". The value must be bool type, but is " + enable);
        }
        if (!on) {
            return PLAIN;
        }
        Integer interval = positiveInt(request.header(MERGE_COMMIT_INTERVAL_MS));
        if (interval == null) {
            return refused(ErrorCode.INVALID_ARGUMENT, "Batch write interval must be set positive, but is "
                    + request.header(MERGE_COMMIT_INTERVAL_MS));
        }
        Integer parallel = positiveInt(request.header(MERGE_COMMIT_PARALLEL));
        if (parallel == null) {
            return refused(ErrorCode.INVALID_ARGUMENT, "Batch write parallel must be set positive, but is "
                    + request.header(MERGE_COMMIT_PARALLEL));
        }
        boolean async = "true".equals(request.header(MERGE_COMMIT_ASYNC)); // IsomorphicBatchWrite::init
        return new MergeRequest(true, async, Duration.ofMillis(interval), parallel, key(request, db, table), null, null);
    }

    /**
     * Doris: {@code group_commit} must be one of three modes, else {@code group_commit can only be
     * [async_mode, sync_mode, off_mode]}. Off, an empty body, partial columns, (temporary) partitions
     * and two-phase commit load as usual; otherwise a label is refused ({@code label and group_commit
     * can't be set at the same time}) and the server names the load itself.
     */
    private static MergeRequest doris(HttpRequest request, String db, String table, Duration interval) {
        String mode = request.header(GROUP_COMMIT);
        if (mode == null || mode.isEmpty()) {
            return PLAIN;
        }
        String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("sync_mode") && !m.equals("async_mode") && !m.equals("off_mode")) {
            return refused(ErrorCode.INVALID_ARGUMENT, "group_commit can only be [async_mode, sync_mode, off_mode]");
        }
        boolean chunked = request.header("transfer-encoding") != null
                && request.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked");
        if (m.equals("off_mode") || (request.contentLength() == 0 && !chunked)) {
            return PLAIN;
        }
        boolean partialColumns = "true".equalsIgnoreCase(request.header("partial_columns"));
        boolean partitions = notEmpty(request.header("partitions")) || notEmpty(request.header("temporary_partitions"));
        boolean twoPhase = "true".equals(request.header("two_phase_commit"));
        if (partialColumns || partitions || twoPhase) {
            return PLAIN;
        }
        if (notEmpty(request.header("label")) && !chunked) {
            return refused(ErrorCode.INVALID_ARGUMENT, "label and group_commit can't be set at the same time");
        }
        return new MergeRequest(true, m.equals("async_mode"), interval, 1, key(request, db, table), null, null);
    }

    private static String key(HttpRequest request, String db, String table) {
        Map<String, String> params = new TreeMap<>();
        request.headers().forEach((name, value) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!NOT_PARAMETERS.contains(n)) {
                params.put(n, value);
            }
        });
        return db + "." + table + " " + params;
    }

    private static Boolean starRocksBool(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static Integer positiveInt(String value) {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
