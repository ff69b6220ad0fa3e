package io.streamload.emulator;

import java.time.Duration;

/** The knobs of one emulator instance, fixed at start. */
record EmulatorSettings(String user, String password, long maxBodyBytes, int maxConcurrentLoads,
                        Duration labelRetention, Duration publishDelay) {
}
