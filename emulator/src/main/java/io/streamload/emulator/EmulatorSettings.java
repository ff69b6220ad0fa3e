package io.streamload.emulator;

import java.time.Duration;

/**
 * The knobs of one emulator instance, fixed at start.
 *
 * @param mergesLoads whether the server merges loads that ask for it (StarRocks 3.4+ merge commit,
 *     Doris 2.1+ group commit); false answers as older servers, which ignore the headers
 * @param groupCommitInterval Doris' {@code group_commit_interval_ms} table property (default 10 s)
 */
record EmulatorSettings(String user, String password, long maxBodyBytes, int maxConcurrentLoads,
                        Duration labelRetention, Duration publishDelay, boolean mergesLoads,
                        Duration groupCommitInterval) {
}
