package io.streamload.warnings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s},
 * {@code 500ms}, or ISO-8601 {@code P7D}. One syntax for the CLI flags and the connector's
 * {@code load.errors.retention}, so a value works in both places.
 */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * @param what names the setting in the error message
     * @throws IllegalArgumentException when the text is not a positive duration
     */
    public static Duration parse(String text, String what) {
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
                throw new IllegalArgumentException(what + " '" + text
                        + "' is not a duration such as 7d, 12h, 30m, 45s or P7D");
            }
        }
        if (result.isZero() || result.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got '" + text + "'");
        }
        return result;
    }
}
