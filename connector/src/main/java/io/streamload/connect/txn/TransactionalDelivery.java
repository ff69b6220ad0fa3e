package io.streamload.connect.txn;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.dialect.TransactionSteps;
import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.load.TaskClock;
import io.streamload.connect.offset.LoadedRanges;

/**
 * Exactly-once delivery's parts, built for the target's dialect: the load protocol (into
 * transactions, see {@link TransactionalLoad}), the recovery run at {@code open()}, and what they
 * share: the intent log and the ids of the topics read, both on the intent log's cluster.
 */
public final class TransactionalDelivery implements AutoCloseable {

    private final IntentLog intents;
    private final TopicIds topicIds;
    private final TransactionalLoad protocol;
    private final TransactionRecovery recovery;

    /**
     * @param logClientConfig the intent log cluster's client settings (bootstrap servers, security)
     * @param backoff the waits between recovery's attempts at ending a transaction
     */
    public TransactionalDelivery(StreamLoadDialect dialect, StreamLoadClient client, String database,
                                 String connector, Map<String, Object> logClientConfig, String logTopic,
                                 Duration logRetention, Backoff backoff, TaskClock clock) {
        TransactionSteps steps = dialect.transactionSteps(client, database);
        this.intents = new IntentLog(logClientConfig, logTopic, logRetention);
        this.topicIds = new TopicIds(logClientConfig);
        this.protocol = new TransactionalLoad(steps, client, intents, connector, topicIds);
        this.recovery = new TransactionRecovery(steps, intents, client, connector, topicIds, backoff, clock);
    }

    /** Loads batches into transactions; the attempt engine drives it. */
    public TransactionalLoad protocol() {
        return protocol;
    }

    /**
     * For {@code open(partitions)}, before any of their records is loaded: learns the current ids
     * of their topics (a topic deleted and created again comes back through a rebalance, so here),
     * then finishes what an earlier owner left, adding the records already in the target to
     * {@code loaded}.
     */
    public void open(Collection<TopicPartition> partitions, LoadedRanges loaded) {
        topicIds.refresh(partitions);
        recovery.recover(partitions, loaded);
    }

    /** Ends the transactions this task left open that carry records of {@code partitions} (null: all). */
    public void endOpen(Collection<TopicPartition> partitions) {
        protocol.endOpen(partitions);
    }

    @Override
    public void close() {
        topicIds.close();
        intents.close();
    }
}
