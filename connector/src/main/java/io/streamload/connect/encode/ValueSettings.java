package io.streamload.connect.encode;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * How values without one obvious text form are written.
 *
 * @param timeZone the zone an instant (Connect {@code Timestamp}, Debezium {@code ZonedTimestamp})
 *        is shown in, since DATETIME columns hold a wall-clock time without zone
 * @param bytes how bytes are spelled in text
 * @param nonFiniteFloats what NaN and infinities become, since JSON cannot carry them
 */
public record ValueSettings(ZoneId timeZone, BytesEncoding bytes, NonFiniteFloats nonFiniteFloats) {

    public static final ValueSettings DEFAULTS =
            new ValueSettings(ZoneOffset.UTC, BytesEncoding.BASE64, NonFiniteFloats.NULL);

    /** Spelling of bytes values. */
    public enum BytesEncoding {
        /** Standard base64 with padding, as Kafka Connect's JSON converter writes bytes. */
        BASE64,
        /** Lower-case hex, two digits per byte: what {@code unhex()} and VARBINARY literals read. */
        HEX
    }

    /** What NaN, +Infinity and -Infinity become. */
    public enum NonFiniteFloats {
        /** NULL: what the target would store in non-strict mode anyway. */
        NULL,
        /** The record is refused (and goes through the error path). */
        FAIL
    }
}
