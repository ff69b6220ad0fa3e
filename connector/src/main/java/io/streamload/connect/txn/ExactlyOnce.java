package io.streamload.connect.txn;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;

import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.LoadEvents;
import io.streamload.connect.load.StreamLoadClient;
import io.streamload.connect.offset.LoadedRanges;

/**
 * The parts of exactly-once delivery a task needs, built for its target: the transactional
 * loader, the recovery run at {@code open()}, and what they share: the intent log and the ids of
 * the topics read, both on the intent log's cluster.
 */
public final class ExactlyOnce implements AutoCloseable {

    private final IntentLog intents;
    private final TopicIds topicIds;
    private final TransactionalLoader loader;
    private final TransactionRecovery recovery;

    /**
     * @param target {@code starrocks} or {@code doris}
     * @param logClientConfig the intent log cluster's client settings (bootstrap servers, security)
     */
    public ExactlyOnce(String target, StreamLoadClient client, String database, String connector,
                       Map<String, Object> logClientConfig, String logTopic, Duration logRetention,
                       Map<String, String> headers,
                       int maxRetries, Backoff backoff, BooleanSupplier stopping, LoadEvents events) {
        TransactionApi api = "doris".equals(target) ? new DorisTwoPhaseCommit(client)
                : new StarRocksTransactions(client, database);
        this.intents = new IntentLog(logClientConfig, logTopic, logRetention);
        this.topicIds = new TopicIds(logClientConfig);
        this.loader = new TransactionalLoader(api, intents, connector, headers, maxRetries, backoff, stopping, events,
                topicIds);
        this.recovery = new TransactionRecovery(api, intents, client, connector, topicIds);
    }

    public TransactionalLoader loader() {
        return loader;
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

    @Override
    public void close() {
        topicIds.close();
        intents.close();
    }
}
