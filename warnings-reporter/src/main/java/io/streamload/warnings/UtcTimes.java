package io.streamload.warnings;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The store keeps times as UTC DATETIME. Going through LocalDateTime keeps the driver and the
 * server's time zone out of it, so writers and cleaners in different zones agree on "expired".
 */
public final class UtcTimes {
    private UtcTimes() {
    }

    public static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant fromColumn(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
