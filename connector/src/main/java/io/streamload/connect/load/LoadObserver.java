package io.streamload.connect.load;

import io.streamload.connect.buffer.Batch;

/** Hears each load attempt the target answered with a Stream Load reply (success or not). */
@FunctionalInterface
public interface LoadObserver {

    /**
     * @param batch what was sent (a whole batch, or a part of one while rejected rows are isolated)
     * @param response the reply
     * @param elapsedMs how long the attempt took, sending included
     */
    void attempted(Batch batch, LoadResponse response, long elapsedMs);

    LoadObserver NONE = (batch, response, elapsedMs) -> { };
}
