package io.streamload.connect.txn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.dialect.StreamLoadPaths;
import io.streamload.connect.load.LoadOutcome;
import io.streamload.connect.load.LoadResponse;
import io.streamload.connect.load.OutcomeTable;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.StreamLoadClient.SmallReply;

/**
 * Doris' two-phase commit: a stream load with {@code two_phase_commit: true} leaves its rows
 * pre-committed; {@code PUT /api/{db}/_stream_load_2pc} with the label and
 * {@code txn_operation: commit|abort} ends it.
 */
final class DorisTwoPhaseCommit implements TransactionApi {

    private final StreamLoadClient client;

    DorisTwoPhaseCommit(StreamLoadClient client) {
        this.client = client;
    }

    @Override
    public Step prepare(Batch batch, Map<String, String> headers) {
        Map<String, String> loadHeaders = new LinkedHashMap<>(headers);
        loadHeaders.put("label", batch.label());
        loadHeaders.put("two_phase_commit", "true");
        LoadResponse response = client.load(batch.table(), loadHeaders, batch.body());
        LoadOutcome outcome = OutcomeTable.classify(response);
        return switch (outcome.kind()) {
            case LOADED -> response.reply() != null && response.reply().status() == LoadStatus.LABEL_ALREADY_EXISTS
                    ? new Step(StepKind.ALREADY_COMMITTED, -1, response, "label already committed")
                    : new Step(StepKind.PREPARED, response.reply() == null ? -1 : response.reply().txnId(), response,
                    "pre-committed");
            case LABEL_IN_USE -> existing(batch);
            case REJECTED_ROWS -> new Step(StepKind.REJECTED, -1, response, response.describe());
            case UNKNOWN, RETRIABLE -> new Step(StepKind.RETRY, -1, response, response.describe());
            default -> new Step(StepKind.FAILED, -1, response, response.describe() + " [" + outcome.rule() + "]"
                    + (outcome.advice().isEmpty() ? "" : " " + outcome.advice()));
        };
    }

    private Step existing(Batch batch) {
        Optional<LabelState> state = client.labelState(batch.table(), batch.label());
        if (state.isPresent() && state.get().isLoaded()) {
            return new Step(StepKind.ALREADY_COMMITTED, -1, null, "label state " + state.get());
        }
        if (state.isPresent() && (state.get() == LabelState.PRECOMMITTED || state.get() == LabelState.PREPARED)) {
            return new Step(StepKind.PREPARED, -1, null, "pre-committed by an earlier attempt");
        }
        return new Step(StepKind.IN_PROGRESS, -1, null, "label state " + state.map(Enum::name).orElse("unknown"));
    }

    @Override
    public End commit(String table, String label, long txnId) {
        TxnReply reply;
        SmallReply answer = twoPhase(table, label, "commit");
        if (!answer.ok()) {
            return new End(EndKind.RETRY, "commit: " + answer.describe());
        }
        reply = TxnReply.parse(answer.body());
        if (reply.ok() || reply.messageContains("already visible") || reply.messageContains("already committed")) {
            return new End(EndKind.DONE, reply.message());
        }
        if (reply.messageContains("aborted") || reply.messageContains("not found")) {
            return new End(EndKind.GONE, reply.message());
        }
        return new End(reply.messageContains("not pre-committed yet") ? EndKind.RETRY : EndKind.FAILED,
                "commit: " + answer.describe());
    }

    @Override
    public End abort(String table, String label, long txnId) {
        SmallReply answer = twoPhase(table, label, "abort");
        if (!answer.ok()) {
            return new End(EndKind.RETRY, "abort: " + answer.describe());
        }
        TxnReply reply = TxnReply.parse(answer.body());
        if (reply.ok() || reply.messageContains("not found") || reply.messageContains("already aborted")) {
            return new End(EndKind.DONE, reply.message());
        }
        if (reply.messageContains("visible") || reply.messageContains("committed")) {
            return new End(EndKind.GONE, reply.message());
        }
        return new End(EndKind.FAILED, "abort: " + answer.describe());
    }

    private SmallReply twoPhase(String table, String label, String operation) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("label", label);
        headers.put("txn_operation", operation);
        return client.request("PUT", StreamLoadPaths.twoPhaseCommit(client.databaseOf(table)), headers);
    }
}
