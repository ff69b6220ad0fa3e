package io.streamload.connect.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.StreamLoadDialect;

/**
 * {@code load.mode=merge_commit}'s load: one Stream Load that asks the target to merge it with the
 * concurrent loads of its table into one transaction (StarRocks merge commit, Doris group commit),
 * in the mode that answers only once that transaction is visible. So a success confirms the rows,
 * as a plain load's does, and a task's next load of the table is sent only after the previous one
 * is visible: the order of a key's changes holds.
 *
 * <p>What differs from {@link PlainStreamLoad}: the target names the merged transaction itself and
 * does not check the batch's label (StarRocks keeps it only as the request's id, Doris refuses
 * it), so there is no label state to ask and no "already loaded" answer. An unknown outcome (a
 * 502, a reset, a timeout) is sent again and may load the batch twice; see docs/retry-policy.md.
 */
public final class MergedStreamLoad implements LoadProtocol {

    private static final Logger log = LoggerFactory.getLogger(MergedStreamLoad.class);

    static final String MAY_DUPLICATE = "With load.mode=merge_commit the target does not check the batch's label: if "
            + "that load had committed, sending it again loads its records twice.";

    private final StreamLoadClient client;
    private final StreamLoadDialect dialect;
    private final Map<String, String> mergeHeaders;
    private final Set<String> tablesNotMerged = ConcurrentHashMap.newKeySet();

    /** @param mergeHeaders the dialect's headers that ask for the merge */
    public MergedStreamLoad(StreamLoadClient client, StreamLoadDialect dialect, Map<String, String> mergeHeaders) {
        this.client = client;
        this.dialect = dialect;
        this.mergeHeaders = Map.copyOf(mergeHeaders);
    }

    @Override
    public boolean labelDecidesRetries() {
        return false;
    }

    @Override
    public Attempt send(Batch batch, Map<String, String> headers) {
        Map<String, String> request = new LinkedHashMap<>(headers);
        request.putAll(mergeHeaders);
        if (dialect.labelsMergedLoads()) {
            request.put(dialect.labelHeader(), batch.label());
        }
        StepAnswer answer = StepAnswer.of(LoadStep.MERGED_LOAD,
                client.load(LoadStep.MERGED_LOAD, batch.table(), request, batch.body()));
        LoadReply reply = answer.response().reply();
        LoadResponse recorded = reply == null ? null : answer.response();
        if (answer.kind() == OutcomeKind.LOADED && reply != null && !reply.merged()
                && tablesNotMerged.add(batch.table())) {
            log.warn("{} loaded into {} without merging it (its answer has no merged transaction): it predates "
                    + "load merging (StarRocks 3.4, Doris 2.1), or merging does not apply to this load; loads go on "
                    + "as plain Stream Loads", dialect.name(), batch.table());
        }
        String note = answer.kind() == OutcomeKind.UNKNOWN ? MAY_DUPLICATE : "";
        return new LoadProtocol.Attempt(answer.kind(), answer, recorded, false, answer.outcome().rule(), note);
    }
}
