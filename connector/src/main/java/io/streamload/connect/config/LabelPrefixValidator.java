package io.streamload.connect.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** A label prefix uses only the characters a Stream Load label may hold, and leaves room for the rest. */
final class LabelPrefixValidator implements ConfigDef.Validator {

    static final int MAX_LENGTH = 32;

    @Override
    public void ensureValid(String name, Object value) {
        String prefix = (String) value;
        if (prefix == null || !prefix.matches("[-_A-Za-z0-9]{1," + MAX_LENGTH + "}")) {
            throw new ConfigException(name + " must be 1 to " + MAX_LENGTH + " characters of [-_A-Za-z0-9]");
        }
    }

    @Override
    public String toString() {
        return "[-_A-Za-z0-9]{1," + MAX_LENGTH + "}";
    }
}
