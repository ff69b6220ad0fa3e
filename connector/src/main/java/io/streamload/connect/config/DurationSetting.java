package io.streamload.connect.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.streamload.warnings.DurationText;

/** Checks that a setting holds a positive duration such as {@code 7d} or {@code P7D}. */
public final class DurationSetting implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        try {
            DurationText.parse((String) value, name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "a duration such as 7d, 12h, 30m or P7D";
    }
}
