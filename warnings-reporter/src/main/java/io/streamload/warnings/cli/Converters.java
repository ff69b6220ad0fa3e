package io.streamload.warnings.cli;

import io.streamload.warnings.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed option values. A converter's message is the part after the option's name
 * ({@code must be a positive whole number, got 'x'}): {@link WarningsReporterMain} puts the name in
 * front, so the errors read as before ({@code --limit must be a positive whole number, got 'x'}).
 */
final class Converters {
    private Converters() {
    }

    /** A whole number above zero. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int parsed = Integer.parseInt(value.trim());
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new TypeConversionException("must be a positive whole number, got '" + value + "'");
        }
    }

    /** A TCP port, 0 for any free one. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new TypeConversionException("must be 0..65535, got '" + value + "'");
        }
    }

    /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}, {@code 500ms}, {@code P7D}; above zero. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value, "");
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage().strip());
            }
        }
    }
}
