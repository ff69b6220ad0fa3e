package io.streamload.connect.txn;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.streamload.connect.load.Backoff;
import io.streamload.connect.load.LoadEvents;
import io.streamload.connect.load.StreamLoadClient;

/**
 * The parts of exactly-once delivery a task needs, built for its target: the transactional
 * loader, the recovery run at {@code open()}, and the intent log they share.
 */
public final class ExactlyOnce implements AutoCloseable {

    private final IntentLog intents;
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
        this.loader = new TransactionalLoader(api, intents, connector, headers, maxRetries, backoff, stopping, events);
        this.recovery = new TransactionRecovery(api, intents, client, connector);
    }

    public TransactionalLoader loader() {
        return loader;
    }

    public TransactionRecovery recovery() {
        return recovery;
    }

    @Override
    public void close() {
        intents.close();
    }
}
