package io.streamload.connect.load;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.LoadStatus;

/**
 * The one place that decides what the answer to a step of a load means: a plain Stream Load, and
 * each step of a load into a transaction ({@link LoadStep}). Rows are tried in order; the first
 * that matches the step and the answer wins. Every row has a test.
 *
 * <p>Two principles shape it. A reply that does not prove the load's fate (no reply, a 5xx from
 * an FE or a proxy, a body that is not a Stream Load reply) is {@link OutcomeKind#UNKNOWN}: the
 * batch is sent again under the same label, and the target's label check says whether it had
 * committed, so it is never loaded twice and never counted as loaded without proof. A reply that
 * no retry can change fails the task at once, with what the user should change: among them a
 * {@code Fail} caused by a header value the target refuses, which every retry would send again.
 *
 * <p>A merged load ({@link LoadStep#MERGED_LOAD}, {@code load.mode=merge_commit}) is read by the
 * same rows, with its own rows first: there the target names the transaction and does not check
 * the batch's label, so an {@link OutcomeKind#UNKNOWN} sent again may load the batch twice.
 */
public final class OutcomeTable {

    /** One row: a name for logs and tests, the steps and answers it applies to, what it means, what to do. */
    public record Row(String name, Set<LoadStep> steps, Predicate<LoadResponse> matches, OutcomeKind kind,
                      String advice) {

        boolean applies(LoadStep step, LoadResponse response) {
            return steps.contains(step) && matches.test(response);
        }
    }

    private static final Set<LoadStep> ANY_STEP = EnumSet.allOf(LoadStep.class);
    private static final Set<LoadStep> MERGED = EnumSet.of(LoadStep.MERGED_LOAD);

    /** A tablet writer refused the load: its tablet holds more versions than the target allows. */
    private static final Predicate<LoadResponse> TOO_MANY_VERSIONS = messageHas("too many versions",
            "too_many_version", "failed to init rowset builder. version count", "err=-235");
    private static final String SLOW_DOWN_ADVICE =
            "load each table less often: raise buffer.flush.interval.ms (and buffer.flush.interval.max.ms), "
                    + "or cap load.max.rate; or let the target keep more versions (StarRocks "
                    + "tablet_max_versions, Doris max_tablet_version_num)";

    /** The rows, in the order they are tried. */
    public static final List<Row> ROWS = List.of(
            row("connect refused (nothing sent)",
                    transport(TransportFailure.CONNECT_REFUSED), OutcomeKind.RETRIABLE, ""),
            row("connect timeout (nothing sent)",
                    transport(TransportFailure.CONNECT_TIMEOUT), OutcomeKind.RETRIABLE, ""),
            row("TLS handshake failed (nothing sent)",
                    transport(TransportFailure.TLS_HANDSHAKE), OutcomeKind.PERMANENT,
                    "make the FE and BE certificates trusted (load.ssl.truststore.location) and make them name "
                            + "the host in load.urls and in the FE's redirects"),
            row("FE silent after the request head (nothing sent)",
                    transport(TransportFailure.NO_CONTINUE), OutcomeKind.RETRIABLE, ""),
            row("connection reset while sending the body",
                    transport(TransportFailure.RESET_WHILE_SENDING), OutcomeKind.UNKNOWN, ""),
            row("connection reset while reading the reply",
                    transport(TransportFailure.RESET_WHILE_READING), OutcomeKind.UNKNOWN, ""),
            row("read timeout (no reply within load.socket.timeout.ms)",
                    transport(TransportFailure.READ_TIMEOUT), OutcomeKind.UNKNOWN, ""),
            row("load timeout (the request outlived load.timeout.ms)",
                    transport(TransportFailure.LOAD_TIMEOUT), OutcomeKind.UNKNOWN, ""),
            row("no reply, cause not known",
                    r -> r.transportError() != null, OutcomeKind.UNKNOWN, ""),
            row("HTTP 401 Unauthorized",
                    http(401), OutcomeKind.PERMANENT, "check load.user and load.password"),
            row("HTTP 403 Forbidden",
                    http(403), OutcomeKind.PERMANENT, "grant the INSERT privilege on the table to load.user"),
            row("HTTP 404 Not Found (unknown database or table, or not a Stream Load endpoint)",
                    http(404), OutcomeKind.PERMANENT,
                    "the target does not know this database and table: create them or fix load.database, "
                            + "topic2table.map or table.name.format; if they exist, check that load.urls point at "
                            + "FE http ports (8030), not at the MySQL port or a proxy path"),
            row("HTTP 413 Payload Too Large (a proxy's body limit)",
                    http(413), OutcomeKind.TOO_LARGE,
                    "lower buffer.max.bytes below the proxy's limit, or raise the limit (nginx: client_max_body_size)"),
            row("HTTP 429 Too Many Requests, 503 Service Unavailable (not processed)",
                    http(429).or(http(503)), OutcomeKind.RETRIABLE, ""),
            row("HTTP 500, 502, 504 and other 5xx (from the FE or a proxy; may have loaded)",
                    r -> r.httpStatus() >= 500 && r.httpStatus() <= 599, OutcomeKind.UNKNOWN, ""),
            row("HTTP 307 without Location, or too many redirects (nothing reached a BE)",
                    r -> r.httpStatus() >= 300 && r.httpStatus() <= 399, OutcomeKind.RETRIABLE, ""),
            row("HTTP status other than 200",
                    r -> r.httpStatus() != 200, OutcomeKind.PERMANENT,
                    "check that load.urls point at FE http ports"),
            row("HTTP 200 without a Stream Load reply",
                    r -> r.reply() == null, OutcomeKind.UNKNOWN, ""),
            stepRow("Commit: the transaction is already committed", EnumSet.of(LoadStep.COMMIT),
                    fail("has already committed", "is already visible", "is already committed"),
                    OutcomeKind.LOADED, ""),
            stepRow("Commit: the transaction is rolled back, or the target has none under the label",
                    EnumSet.of(LoadStep.COMMIT),
                    fail("aborted", "not exists", "not found", "no transaction found"), OutcomeKind.ROLLED_BACK, ""),
            stepRow("Rollback: done, already done, or nothing to roll back", EnumSet.of(LoadStep.ABORT),
                    status(LoadStatus.SUCCESS).or(fail("not exists", "not found", "no transaction found",
                            "already aborted")), OutcomeKind.ROLLED_BACK, ""),
            stepRow("Rollback: the transaction is already committed", EnumSet.of(LoadStep.ABORT),
                    fail("can not abort visible", "can not abort committed", "is already visible",
                            "is already committed"), OutcomeKind.LOADED, ""),
            stepRow("Begin, load or prepare done",
                    EnumSet.of(LoadStep.BEGIN, LoadStep.TXN_LOAD, LoadStep.PREPARE),
                    status(LoadStatus.SUCCESS), OutcomeKind.STEP_DONE, ""),
            stepRow("Merged load: committed, not yet published", MERGED,
                    fail("has not been published before timeout"), OutcomeKind.LOADED, ""),
            stepRow("Merged load: the window timed out before its transaction committed", MERGED,
                    fail("load timeout, txn status"), OutcomeKind.UNKNOWN, ""),
            stepRow("Merged load: the merged transaction was aborted for rejected rows", MERGED,
                    fail("load is aborted").and(r -> r.reply().messageContains("filtered rows")),
                    OutcomeKind.REJECTED_ROWS,
                    "a load merged into the same transaction (this one, or another writer's into the table) had "
                            + "rows over max_filter_ratio, which aborts every load in it; fix the rejected records, "
                            + "or allow a share of bad rows with load.properties.max_filter_ratio"),
            stepRow("Merged load: the merged transaction was aborted for too many tablet versions", MERGED,
                    fail("load is aborted").and(TOO_MANY_VERSIONS), OutcomeKind.SLOW_DOWN, SLOW_DOWN_ADVICE),
            stepRow("Merged load: the merged transaction was aborted", MERGED,
                    fail("load is aborted"), OutcomeKind.RETRIABLE, ""),
            stepRow("Merged load: the target refuses a label with group commit", MERGED,
                    fail("label and group_commit can't be set"), OutcomeKind.PERMANENT,
                    "Doris refuses a label on a group commit load; the connector sends none, so something in "
                            + "between adds one: remove it"),
            stepRow("Merged load: the target refuses the merge settings", MERGED,
                    fail("batch write interval must be", "batch write parallel must be",
                            "invalid parameter enable_merge_commit", "group_commit can only be"),
                    OutcomeKind.PERMANENT, "set load.merge.interval.ms and load.merge.parallel to positive numbers"),
            stepRow("Merged load: the table is blocked by a schema change", MERGED,
                    fail("blocked on schema change"), OutcomeKind.RETRIABLE, ""),
            row("Status Success",
                    status(LoadStatus.SUCCESS), OutcomeKind.LOADED, ""),
            row("Status Publish Timeout (committed, not yet visible)",
                    status(LoadStatus.PUBLISH_TIMEOUT), OutcomeKind.LOADED, ""),
            row("Status Label Already Exists, job FINISHED (or its transaction COMMITTED or VISIBLE)",
                    status(LoadStatus.LABEL_ALREADY_EXISTS).and(r -> isCommitted(r.reply().existingJobStatus())),
                    OutcomeKind.LOADED, ""),
            row("Status Label Already Exists, job not finished",
                    status(LoadStatus.LABEL_ALREADY_EXISTS), OutcomeKind.LABEL_IN_USE, ""),
            row("Fail: too many filtered rows",
                    fail("too many filtered rows"), OutcomeKind.REJECTED_ROWS,
                    "fix the rejected records (listed below), or allow a share of bad rows with "
                            + "load.properties.max_filter_ratio"),
            row("Fail: Access denied",
                    fail("access denied"), OutcomeKind.PERMANENT,
                    "grant the INSERT privilege on the table to load.user"),
            row("Fail: unknown database or table",
                    fail("unknown database", "unknown table", "database not found", "table not found",
                            "does not exist"), OutcomeKind.UNKNOWN_TABLE,
                    "create the table, or fix load.database, topic2table.map or table.name.format"),
            row("Fail: There is no 100-continue header",
                    fail("100-continue"), OutcomeKind.PERMANENT,
                    "something between the connector and the FE drops the Expect header; configure the proxy "
                            + "to pass it (nginx: proxy_set_header Expect $http_expect; as in "
                            + "config/nginx/starrocks-lb.conf)"),
            row("Fail: body size exceeds the target's limit",
                    fail("body size"), OutcomeKind.PERMANENT,
                    "lower buffer.max.bytes below the target's streaming_load_max_mb"),
            row("Fail: the table does not accept this load (unknown column, partial update, key size)",
                    fail("unknown column", "column not found", "only primary key table support partial update",
                            "primary key size exceed"), OutcomeKind.PERMANENT,
                    "align the table with the records or the load.properties (columns, partial_update)"),
            row("Fail: max_filter_ratio refused",
                    fail("invalid max_filter_ratio"), OutcomeKind.PERMANENT,
                    "set load.properties.max_filter_ratio to a number from 0 to 1"),
            row("Fail: timeout refused",
                    fail("invalid timeout"), OutcomeKind.PERMANENT,
                    "set load.properties.timeout to whole seconds, at least 1"),
            row("Fail: a true/false header refused (strict_mode, partial_update, trim_space)",
                    fail("must be bool type"), OutcomeKind.PERMANENT,
                    "set the load.properties header the message names to true or false"),
            row("Fail: another load header refused (skip_header, memory limits, load_dop, merge_type, compression, "
                            + "partitions, format)",
                    fail("invalid csv load skip_header", "skip_header must be", "invalid load mem limit",
                            "load_mem_limit must be", "exec_mem_limit must be", "invalid load_dop",
                            "invalid merge_type", "unsupported compression",
                            "can not specify both partitions and temporary partitions", "unknown data format"),
                    OutcomeKind.PERMANENT, "correct the load.properties setting the message names"),
            row("Fail: too many tablet versions (loads come faster than compaction merges them)",
                    status(LoadStatus.FAIL).and(TOO_MANY_VERSIONS), OutcomeKind.SLOW_DOWN, SLOW_DOWN_ADVICE),
            row("Fail: Transaction status unknown",
                    fail("status unknown"), OutcomeKind.UNKNOWN, ""),
            row("Fail: target busy (concurrency limit, running transactions, shutting down, no backend)",
                    fail("cuncurrent limit", "concurrent limit", "running txns", "shutting down",
                            "no backend alive", "try again later", "retry later"), OutcomeKind.RETRIABLE, ""),
            row("Fail: any other message",
                    status(LoadStatus.FAIL), OutcomeKind.RETRIABLE, ""),
            row("Status not known to this connector",
                    r -> true, OutcomeKind.UNKNOWN, ""));

    private OutcomeTable() {
    }

    /** Classifies the answer to a plain Stream Load; never null. */
    public static LoadOutcome classify(LoadResponse response) {
        return classify(LoadStep.LOAD, response);
    }

    /** Classifies the answer to one step of a load; never null. */
    public static LoadOutcome classify(LoadStep step, LoadResponse response) {
        for (Row row : ROWS) {
            if (row.applies(step, response)) {
                return new LoadOutcome(row.kind(), row.name(), row.advice());
            }
        }
        throw new IllegalStateException("the last row matches everything");
    }

    private static Row row(String name, Predicate<LoadResponse> matches, OutcomeKind kind, String advice) {
        return new Row(name, ANY_STEP, matches, kind, advice);
    }

    private static Row stepRow(String name, Set<LoadStep> steps, Predicate<LoadResponse> matches, OutcomeKind kind,
                               String advice) {
        return new Row(name, Set.copyOf(steps), matches, kind, advice);
    }

    private static boolean isCommitted(String jobStatus) {
        return "FINISHED".equalsIgnoreCase(jobStatus) || "VISIBLE".equalsIgnoreCase(jobStatus)
                || "COMMITTED".equalsIgnoreCase(jobStatus);
    }

    private static Predicate<LoadResponse> transport(TransportFailure failure) {
        return r -> r.transportError() != null && r.failure() == failure;
    }

    private static Predicate<LoadResponse> http(int status) {
        return r -> r.httpStatus() == status;
    }

    private static Predicate<LoadResponse> status(LoadStatus status) {
        return r -> r.reply() != null && r.reply().status() == status;
    }

    private static Predicate<LoadResponse> fail(String... messageParts) {
        return status(LoadStatus.FAIL).and(messageHas(messageParts));
    }

    /** A reply whose message contains one of the parts (ignoring case); for replies only. */
    private static Predicate<LoadResponse> messageHas(String... messageParts) {
        return r -> {
            LoadReply reply = r.reply();
            for (String part : messageParts) {
                if (reply.messageContains(part)) {
                    return true;
                }
            }
            return false;
        };
    }
}
