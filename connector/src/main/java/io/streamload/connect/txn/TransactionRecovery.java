package io.streamload.connect.txn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.PartitionRange;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.TransactionSteps;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.OutcomeKind;
import io.streamload.connect.load.StepAnswer;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.offset.LoadedRanges;

/**
 * Finishes what a previous owner of the partitions left, before their records are loaded again:
 * for each transaction of the intent log that carries records of the opened partitions,
 * <ul>
 *   <li>committed: its records are skipped (they are in the table);</li>
 *   <li>prepared: it is committed, then skipped (the intent was written before commit, so
 *   committing is what the crashed owner was about to do);</li>
 *   <li>begun: it is rolled back (it never prepared, so it never committed); its records load
 *   again;</li>
 *   <li>aborted: nothing to do; its records load again.</li>
 * </ul>
 * Several tasks may recover the same transaction (its partitions now have several owners):
 * committing a committed transaction and rolling back a rolled back one are harmless, and each
 * task skips only its own partitions' records.
 *
 * <p>A transaction whose intent names another id for a topic than the topic has now carried
 * records of an earlier topic of that name, deleted since and created again: its offsets now hold
 * other records, so they are not skipped (it is still committed or rolled back as above). An
 * intent without an id for the topic (written by an earlier version, or the topic could not be
 * described) is recovered by its offsets, as before.
 */
public final class TransactionRecovery {

    private static final Logger log = LoggerFactory.getLogger(TransactionRecovery.class);
    private static final int ATTEMPTS = 5;

    /** How many labels the INFO line about a topic's earlier generation names; DEBUG names each. */
    private static final int LABELS_LOGGED = 10;

    private final TransactionSteps steps;
    private final IntentLog intents;
    private final StreamLoadClient client;
    private final String connector;
    private final TopicIds topicIds;
    private final Backoff backoff;
    private final TaskClock clock;

    /**
     * @param backoff the waits between attempts at ending a transaction
     */
    TransactionRecovery(TransactionSteps steps, IntentLog intents, StreamLoadClient client, String connector,
                        TopicIds topicIds, Backoff backoff, TaskClock clock) {
        this.steps = steps;
        this.intents = intents;
        this.client = client;
        this.connector = connector;
        this.topicIds = topicIds;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** Resolves the transactions touching {@code partitions}, adding their loaded records to {@code loaded}. */
    public void recover(Collection<TopicPartition> partitions, LoadedRanges loaded) {
        Set<TopicPartition> opened = new HashSet<>(partitions);
        List<Intent> all = intents.read(connector, opened);
        int committed = 0;
        int rolledBack = 0;
        int skipped = 0;
        Map<String, EarlierGeneration> earlier = new LinkedHashMap<>();
        for (Intent intent : all) {
            if (intent.ranges().stream().noneMatch(range -> opened.contains(range.partition()))) {
                continue;
            }
            boolean inTable = switch (intent.state()) {
                case COMMITTED -> true;
                case ABORTED -> false;
                case PREPARED -> {
                    committed++;
                    yield finish(intent, true);
                }
                case BEGUN -> {
                    rolledBack++;
                    yield finish(intent, false);
                }
            };
            if (inTable) {
                boolean skips = false;
                for (PartitionRange range : intent.ranges()) {
                    if (!opened.contains(range.partition())) {
                        continue;
                    }
                    String topic = range.partition().topic();
                    String recorded = intent.topicIds().get(topic);
                    Optional<String> now = topicIds.current(topic);
                    if (recorded != null && now.isPresent() && !recorded.equals(now.get())) {
                        // Its offsets held the records of a topic since deleted; now they hold others.
                        earlier.computeIfAbsent(topic + '\u0000' + recorded,
                                key -> new EarlierGeneration(topic, recorded, now.get())).add(intent.label());
                        continue;
                    }
                    loaded.add(range.partition(), range.firstOffset(), range.lastOffset());
                    skips = true;
                }
                if (skips) {
                    skipped++;
                }
            }
        }
        for (EarlierGeneration generation : earlier.values()) {
            generation.log(connector);
        }
        if (committed + rolledBack + skipped > 0) {
            log.info("Recovered {} for {}: {} prepared transaction(s) committed, {} unprepared one(s) rolled back; "
                    + "{} committed transaction(s) known, whose records are skipped if delivered again", connector,
                    partitions, committed, rolledBack, skipped);
        }
    }

    /** The committed transactions of one earlier topic of a name, set aside by one recovery. */
    private static final class EarlierGeneration {
        private final String topic;
        private final String oldId;
        private final String newId;
        private final List<String> labels = new ArrayList<>();

        EarlierGeneration(String topic, String oldId, String newId) {
            this.topic = topic;
            this.oldId = oldId;
            this.newId = newId;
        }

        void add(String label) {
            labels.add(label);
        }

        void log(String connector) {
            String named = String.join(", ", labels.subList(0, Math.min(LABELS_LOGGED, labels.size())))
                    + (labels.size() > LABELS_LOGGED ? " and " + (labels.size() - LABELS_LOGGED) + " more" : "");
            log.info("{}: {} committed transaction(s) loaded records of an earlier topic {} (id {}; the topic is now "
                    + "{}, created again since): their offsets now hold other records, which are loaded, not "
                    + "skipped. Set aside: {}", connector, labels.size(), topic, oldId, newId, named);
            if (log.isDebugEnabled()) {
                labels.forEach(label -> log.debug("{}: transaction {} set aside: topic {} had id {}, now {}",
                        connector, label, topic, oldId, newId));
            }
        }
    }

    /**
     * Commits (or rolls back) a transaction left half done.
     *
     * @return true when its rows are in the table afterwards
     */
    private boolean finish(Intent intent, boolean commit) {
        StepAnswer end = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            end = commit ? steps.commit(intent.table(), intent.label())
                    : steps.abort(intent.table(), intent.label());
            // A commit that committed, a rollback that rolled back (or found it committed): settled.
            if (end.kind() == OutcomeKind.LOADED || end.kind() == OutcomeKind.ROLLED_BACK && !commit) {
                boolean inTable = end.kind() == OutcomeKind.LOADED;
                intents.writeLater(intent.with(inTable ? Intent.State.COMMITTED : Intent.State.ABORTED,
                        intent.txnId()));
                return inTable;
            }
            if (end.kind() == OutcomeKind.ROLLED_BACK || end.kind() == OutcomeKind.PERMANENT) {
                // It ended the other way, or the target forgot it: the label says which.
                Optional<LabelState> state = client.labelState(intent.table(), intent.label());
                boolean inTable = state.isPresent() && state.get().isLoaded();
                if (state.isEmpty() || state.get() == LabelState.UNKNOWN) {
                    log.warn("Transaction {} of {} is unknown to the target (older than its label retention?); "
                            + "its records are loaded again", intent.label(), intent.table());
                }
                intents.writeLater(intent.with(inTable ? Intent.State.COMMITTED : Intent.State.ABORTED,
                        intent.txnId()));
                return inTable;
            }
            if (attempt < ATTEMPTS) {
                try {
                    clock.sleep(backoff.delayMs(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new ConnectException("Could not " + (commit ? "commit" : "roll back") + " transaction " + intent.label()
                + " into " + intent.table() + " left by an earlier run after " + ATTEMPTS + " attempts; last: "
                + (end == null ? "none" : end.describe()) + ". The task will try again when it restarts; no record "
                + "is loaded before.");
    }
}
