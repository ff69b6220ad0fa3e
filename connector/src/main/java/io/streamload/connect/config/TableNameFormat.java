package io.streamload.connect.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Applies {@code table.name.format}, where {@code ${topic}} stands for the topic name. */
public final class TableNameFormat {

    public static final String TOPIC_PLACEHOLDER = "${topic}";

    private TableNameFormat() {
    }

    public static String apply(String format, String topic) {
        return format.replace(TOPIC_PLACEHOLDER, topic);
    }

    static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String format = value == null ? "" : ((String) value).trim();
            if (format.isEmpty()) {
                throw new ConfigException(name + " must not be empty; the default is " + TOPIC_PLACEHOLDER);
            }
            String rest = format.replace(TOPIC_PLACEHOLDER, "");
            if (rest.contains("${")) {
                throw new ConfigException(name + " knows only the placeholder " + TOPIC_PLACEHOLDER);
            }
        }

        @Override
        public String toString() {
            return "text with ${topic}";
        }
    }
}
