package io.streamload.warnings.cli;

/**
 * Keeps the Kafka clients' INFO logging (every consumer, producer and admin client logs its ~130
 * configuration values, then version and connection chatter) off the terminal unless
 * {@code --verbose} asks for it; their warnings and errors (an unknown setting in
 * {@code --consumer-config}, a failed authentication) still show.
 *
 * <p>The CLI logs through slf4j-simple, which reads its levels from system properties once, when
 * the first logger is created: so {@link #configure} runs first thing in {@code main}, before any
 * class with a logger is loaded. A level given on the java command line
 * ({@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=debug}) is left as it is. {@code run},
 * called in-process by tests and the quickstart, leaves its host's logging alone.
 */
final class KafkaLogging {
    static final String VERBOSE = "--verbose";
    static final String KAFKA_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";

    private KafkaLogging() {
    }

    static void configure(String[] args) {
        if (!verbose(args) && System.getProperty(KAFKA_LEVEL) == null) {
            System.setProperty(KAFKA_LEVEL, "warn");
        }
    }

    /** Whether {@code --verbose} is among the options (anywhere before a {@code --}). */
    static boolean verbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
