package io.streamload.connect.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Parses {@code topic2table.map}: {@code topic:table,topic:table}. */
public final class TopicTableMap {

    private TopicTableMap() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return Collections.emptyMap();
        }
        for (String pair : text.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1 || trimmed.indexOf(':', colon + 1) >= 0) {
                throw new ConfigException("'" + trimmed + "' in " + StreamLoadSinkConfig.TOPIC2TABLE_MAP
                        + " is not topic:table");
            }
            String topic = trimmed.substring(0, colon).trim();
            String table = trimmed.substring(colon + 1).trim();
            String previous = map.put(topic, table);
            if (previous != null && !previous.equals(table)) {
                throw new ConfigException("Topic '" + topic + "' appears twice in "
                        + StreamLoadSinkConfig.TOPIC2TABLE_MAP + " with tables '" + previous + "' and '" + table + "'");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            parse((String) value);
        }

        @Override
        public String toString() {
            return "topic:table,topic:table";
        }
    }
}
