package io.streamload.connect.dialect;

import org.apache.kafka.common.config.ConfigException;

/** The dialect for a {@code target} setting. */
public final class StreamLoadDialects {

    private StreamLoadDialects() {
    }

    public static StreamLoadDialect forTarget(String target) {
        if ("starrocks".equalsIgnoreCase(target)) {
            return new StarRocksDialect();
        }
        throw new ConfigException("target", target, "not supported by this version of the connector; use starrocks");
    }
}
