package io.streamload.connect.routing;

import java.util.HashMap;
import java.util.Map;

import io.streamload.connect.config.TableNameFormat;

/**
 * Decides the target table of a topic: the explicit {@code topic2table.map} entry if there is
 * one, otherwise {@code table.name.format} applied to the topic. Results are remembered, since
 * the same few topics are asked about for every record.
 */
public final class Router {

    private final Map<String, String> explicit;
    private final String tableNameFormat;
    private final Map<String, String> resolved = new HashMap<>();

    public Router(Map<String, String> explicit, String tableNameFormat) {
        this.explicit = Map.copyOf(explicit);
        this.tableNameFormat = tableNameFormat;
    }

    /** The table that records of this topic are loaded into. */
    public String tableFor(String topic) {
        return resolved.computeIfAbsent(topic, t -> {
            String table = explicit.get(t);
            return table != null ? table : TableNameFormat.apply(tableNameFormat, t);
        });
    }
}
