package io.streamload.connect.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Durations as people write them in settings that span days: {@code 7d}, {@code 12h},
 * {@code 30m}, {@code 45s}, {@code 500ms}, or ISO-8601 {@code P7D}; the same syntax as the
 * warnings-reporter CLI, so one value works in both places.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /** @throws IllegalArgumentException when the text is not a positive duration */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(trimmed);
        Duration result;
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            result = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                result = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 7d, 12h, 30m, 45s or P7D");
            }
        }
        if (result.isZero() || result.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive, got '" + text + "'");
        }
        return result;
    }

    /** Checks a setting holds a positive duration. */
    public static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                parse((String) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a duration such as 7d, 12h, 30m or P7D";
        }
    }
}
