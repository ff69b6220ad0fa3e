package io.streamload.connect.dialect;

/** The {@code Status} of a Stream Load reply, in words independent of the target's spelling. */
public enum LoadStatus {
    /** Committed and visible. */
    SUCCESS,
    /** Committed, not yet visible: loaded, must not be retried. */
    PUBLISH_TIMEOUT,
    /** A load with this label exists; its job status says whether it finished. */
    LABEL_ALREADY_EXISTS,
    /** Not loaded; the message says why ({@code Fail} or {@code FAILED} in any case, from a BE or an FE). */
    FAIL,
    /** A status this connector does not know. */
    UNRECOGNISED
}
