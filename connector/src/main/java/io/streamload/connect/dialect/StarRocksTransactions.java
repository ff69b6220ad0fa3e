package io.streamload.connect.dialect;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.load.LoadStep;
import io.streamload.connect.load.OutcomeKind;
import io.streamload.connect.load.StepAnswer;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.routing.TargetTable;

/**
 * StarRocks' transaction interface: {@code begin}, {@code load} (through the FE's redirect to the
 * BE that began the transaction, like a stream load), {@code prepare}, then {@code commit} or
 * {@code rollback}, all keyed by the label and the {@code db} and {@code table} headers. Every
 * answer is read by {@link StarRocksDialect#parseStepReply} and classified by the outcome table.
 */
final class StarRocksTransactions implements TransactionSteps {

    static final String BASE = "/api/transaction/";

    private final StreamLoadClient client;
    private final String database;

    StarRocksTransactions(StreamLoadClient client, String database) {
        this.client = client;
        this.database = database;
    }

    @Override
    public StepAnswer prepare(Batch batch, Map<String, String> headers) {
        Map<String, String> keys = keys(batch.table(), batch.label());
        StepAnswer begun = step(LoadStep.BEGIN, keys);
        if (begun.kind() != OutcomeKind.STEP_DONE) {
            return begun;
        }
        Map<String, String> loadHeaders = new LinkedHashMap<>(headers);
        loadHeaders.putAll(keys);
        StepAnswer loaded = StepAnswer.of(LoadStep.TXN_LOAD,
                client.loadAt(LoadStep.TXN_LOAD, BASE + "load", loadHeaders, batch.body()));
        if (loaded.kind() != OutcomeKind.STEP_DONE) {
            // Whatever the load left in the transaction must not be prepared later by mistake.
            abort(batch.table(), batch.label());
            return loaded;
        }
        StepAnswer prepared = step(LoadStep.PREPARE, keys);
        if (prepared.kind() != OutcomeKind.STEP_DONE && prepared.kind() != OutcomeKind.UNKNOWN) {
            // Refused (rows filtered, a busy target): nothing is prepared. An unknown answer is
            // left alone: the label's state tells the next attempt whether it prepared.
            abort(batch.table(), batch.label());
        }
        return prepared;
    }

    @Override
    public StepAnswer commit(String table, String label) {
        return step(LoadStep.COMMIT, keys(table, label));
    }

    @Override
    public StepAnswer abort(String table, String label) {
        return step(LoadStep.ABORT, keys(table, label));
    }

    private StepAnswer step(LoadStep step, Map<String, String> keys) {
        String operation = switch (step) {
            case BEGIN -> "begin";
            case PREPARE -> "prepare";
            case COMMIT -> "commit";
            case ABORT -> "rollback";
            default -> throw new IllegalArgumentException("not a request without body: " + step);
        };
        return StepAnswer.of(step, client.step(step, "POST", BASE + operation, keys));
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
