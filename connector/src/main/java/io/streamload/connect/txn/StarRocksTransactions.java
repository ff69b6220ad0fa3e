package io.streamload.connect.txn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.LoadStatus;
import io.streamload.connect.load.LoadResponse;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.StreamLoadClient.SmallReply;
import io.streamload.connect.routing.TargetTable;

/**
 * StarRocks' transaction interface: {@code begin}, {@code load} (through the FE's redirect to a
 * BE, like a stream load), {@code prepare}, then {@code commit} or {@code rollback}, all keyed by
 * the label and the {@code db} and {@code table} headers.
 */
final class StarRocksTransactions implements TransactionApi {

    static final String BASE = "/api/transaction/";

    private final StreamLoadClient client;
    private final String database;

    StarRocksTransactions(StreamLoadClient client, String database) {
        this.client = client;
        this.database = database;
    }

    @Override
    public Step prepare(Batch batch, Map<String, String> headers) {
        Map<String, String> keys = keys(batch.table(), batch.label());
        SmallReply begun = client.request("POST", BASE + "begin", keys);
        if (!begun.ok()) {
            return new Step(StepKind.RETRY, -1, null, "begin: " + begun.describe());
        }
        TxnReply begin = TxnReply.parse(begun.body());
        if (begin.status().equals("LABEL_ALREADY_EXISTS")) {
            return existing(batch, begin);
        }
        if (!begin.ok()) {
            return new Step(StepKind.FAILED, -1, null, "begin: " + begun.describe());
        }
        long txnId = begin.txnId();
        Map<String, String> loadHeaders = new LinkedHashMap<>(headers);
        loadHeaders.putAll(keys);
        LoadResponse loaded = client.loadAt(BASE + "load", loadHeaders, batch.body());
        LoadReply reply = loaded.reply();
        if (reply == null || !"OK".equalsIgnoreCase(reply.rawStatus())) {
            abort(batch.table(), batch.label(), txnId);
            boolean transient_ = loaded.transportError() != null || loaded.httpStatus() >= 500 || reply != null
                    && reply.messageContains("retry");
            return new Step(transient_ ? StepKind.RETRY : StepKind.FAILED, txnId, loaded, "load: " + loaded.describe());
        }
        SmallReply prepared = client.request("POST", BASE + "prepare", keys);
        if (!prepared.ok()) {
            // Whether it prepared is unknown: the label tells.
            Optional<LabelState> state = client.labelState(batch.table(), batch.label());
            if (state.isPresent() && state.get() == LabelState.PREPARED) {
                return new Step(StepKind.PREPARED, txnId, loaded, "prepared");
            }
            abort(batch.table(), batch.label(), txnId);
            return new Step(StepKind.RETRY, txnId, null, "prepare: " + prepared.describe());
        }
        TxnReply prepare = TxnReply.parse(prepared.body());
        if (prepare.ok()) {
            return new Step(StepKind.PREPARED, txnId, loaded, "prepared");
        }
        if (prepare.messageContains("too many filtered rows")) {
            String errorUrl = prepare.errorUrl() != null ? prepare.errorUrl() : reply.errorUrl();
            LoadReply refused = new LoadReply(LoadStatus.FAIL, prepare.status(), prepare.message(), null, txnId, 0,
                    prepare.filteredRows(), 0, 0, errorUrl);
            return new Step(StepKind.REJECTED, txnId, new LoadResponse(loaded.fe(), 200, refused, prepared.body(),
                    null), "prepare: " + prepare.message());
        }
        abort(batch.table(), batch.label(), txnId);
        return new Step(StepKind.FAILED, txnId, null, "prepare: " + prepared.describe());
    }

    /** The label is taken: by a transaction that committed, one still prepared, or one still loading. */
    private Step existing(Batch batch, TxnReply begin) {
        String job = begin.existingJobStatus();
        if (job.equals("FINISHED") || job.equals("VISIBLE") || job.equals("COMMITTED")) {
            return new Step(StepKind.ALREADY_COMMITTED, -1, null, "label already committed");
        }
        Optional<LabelState> state = client.labelState(batch.table(), batch.label());
        if (state.isPresent() && state.get().isLoaded()) {
            return new Step(StepKind.ALREADY_COMMITTED, -1, null, "label state " + state.get());
        }
        if (state.isPresent() && state.get() == LabelState.PREPARED) {
            return new Step(StepKind.PREPARED, -1, null, "prepared by an earlier attempt");
        }
        return new Step(StepKind.IN_PROGRESS, -1, null, "label state " + state.map(Enum::name).orElse("unknown"));
    }

    @Override
    public End commit(String table, String label, long txnId) {
        SmallReply reply = client.request("POST", BASE + "commit", keys(table, label));
        if (!reply.ok()) {
            return new End(EndKind.RETRY, "commit: " + reply.describe());
        }
        TxnReply commit = TxnReply.parse(reply.body());
        if (commit.ok()) {
            return new End(EndKind.DONE, commit.message());
        }
        if (commit.status().equals("TXN_NOT_EXISTS") || commit.messageContains("aborted")) {
            return new End(EndKind.GONE, commit.message());
        }
        if (commit.status().equals("TXN_IN_PROCESSING")) {
            return new End(EndKind.RETRY, commit.message());
        }
        return new End(EndKind.FAILED, "commit: " + reply.describe());
    }

    @Override
    public End abort(String table, String label, long txnId) {
        SmallReply reply = client.request("POST", BASE + "rollback", keys(table, label));
        if (!reply.ok()) {
            return new End(EndKind.RETRY, "rollback: " + reply.describe());
        }
        TxnReply rollback = TxnReply.parse(reply.body());
        if (rollback.ok() || rollback.status().equals("TXN_NOT_EXISTS")) {
            return new End(EndKind.DONE, rollback.message());
        }
        if (rollback.messageContains("already committed")) {
            return new End(EndKind.GONE, rollback.message());
        }
        return new End(rollback.status().equals("TXN_IN_PROCESSING") ? EndKind.RETRY : EndKind.FAILED,
                "rollback: " + reply.describe());
    }

    private Map<String, String> keys(String table, String label) {
        TargetTable target = TargetTable.resolve(database, table);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("label", label);
        keys.put("db", target.database());
        keys.put("table", target.table());
        return keys;
    }
}
