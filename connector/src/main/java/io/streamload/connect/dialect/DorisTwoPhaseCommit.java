package io.streamload.connect.dialect;

import java.util.LinkedHashMap;
import java.util.Map;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.load.LoadStep;
import io.streamload.connect.load.StepAnswer;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.routing.TargetTable;

/**
 * Doris' two-phase commit: a stream load with {@code two_phase_commit: true} loads the rows and
 * leaves them pre-committed (one step, {@link LoadStep#PREPARE}); {@code PUT
 * /api/{db}/_stream_load_2pc} with the label and {@code txn_operation: commit|abort} ends it.
 * Every answer is read by {@link DorisDialect} and classified by the outcome table.
 */
final class DorisTwoPhaseCommit implements TransactionSteps {

    private final StreamLoadDialect dialect;
    private final StreamLoadClient client;
    private final String database;

    DorisTwoPhaseCommit(StreamLoadDialect dialect, StreamLoadClient client, String database) {
        this.dialect = dialect;
        this.client = client;
        this.database = database;
    }

    @Override
    public StepAnswer prepare(Batch batch, Map<String, String> headers) {
        Map<String, String> loadHeaders = new LinkedHashMap<>(headers);
        loadHeaders.put(dialect.labelHeader(), batch.label());
        loadHeaders.put("two_phase_commit", "true");
        return StepAnswer.of(LoadStep.PREPARE, client.loadAt(LoadStep.PREPARE,
                dialect.streamLoadPath(database, batch.table()), loadHeaders, batch.body()));
    }

    @Override
    public StepAnswer commit(String table, String label) {
        return twoPhase(LoadStep.COMMIT, table, label, "commit");
    }

    @Override
    public StepAnswer abort(String table, String label) {
        return twoPhase(LoadStep.ABORT, table, label, "abort");
    }

    private StepAnswer twoPhase(LoadStep step, String table, String label, String operation) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("label", label);
        headers.put("txn_operation", operation);
        String path = StreamLoadPaths.twoPhaseCommit(TargetTable.resolve(database, table).database());
        return StepAnswer.of(step, client.step(step, "PUT", path, headers));
    }
}
