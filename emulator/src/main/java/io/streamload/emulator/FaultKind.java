package io.streamload.emulator;

/** The faults the emulator can inject, and at which step of a request each one strikes. */
public enum FaultKind {
    /** HTTP 502 page before anything is loaded, as a proxy with a dead upstream answers. */
    HTTP_502_BEFORE_LOAD(Stage.ARRIVAL),
    HTTP_503_BEFORE_LOAD(Stage.ARRIVAL),
    HTTP_504_BEFORE_LOAD(Stage.ARRIVAL),
    /** {@code Stream Load exceed http cuncurrent limit N, please try again later}. */
    THROTTLE_CONCURRENT_LIMIT(Stage.ARRIVAL),
    /** {@code Service is shutting down, please retry later!}. */
    SERVICE_SHUTTING_DOWN(Stage.ARRIVAL),
    /** {@code current running txns on db X is N, larger than limit M}. */
    RUNNING_TXNS_LIMIT(Stage.ARRIVAL),
    /** The connection is reset after part of the body was read; nothing is loaded. */
    RESET_WHILE_READING_BODY(Stage.BODY),
    /** The load waits this long after reading its body and before committing. */
    DELAY(Stage.EXECUTION),
    /** The load commits but is not visible yet: Status {@code Publish Timeout}, visible shortly after. */
    PUBLISH_TIMEOUT(Stage.EXECUTION),
    /** The load commits and the client gets a 502 page: the outcome only the label can tell. */
    HTTP_502_AFTER_COMMIT(Stage.EXECUTION),
    /** The load commits and the connection is reset before any answer. */
    RESET_AFTER_COMMIT(Stage.EXECUTION);

    /** Where in a request a fault is checked. */
    public enum Stage { ARRIVAL, BODY, EXECUTION }

    private final Stage stage;

    FaultKind(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }
}
