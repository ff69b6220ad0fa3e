package io.streamload.connect.dialect;

import java.util.Locale;

import org.apache.kafka.common.config.ConfigException;

/** The dialect for a {@code target} setting. */
public final class StreamLoadDialects {

    private StreamLoadDialects() {
    }

    public static StreamLoadDialect forTarget(String target) {
        return switch (target == null ? "" : target.trim().toLowerCase(Locale.ROOT)) {
            case "starrocks" -> new StarRocksDialect();
            case "doris" -> new DorisDialect();
            default -> throw new ConfigException("target", target, "unknown target; use starrocks or doris");
        };
    }
}
