package io.streamload.connect.errors;

import java.util.Locale;
import java.util.Map;

/**
 * Connect's {@code errors.tolerance} as the task reads it from the connector's properties. The
 * worker owns and validates the key; the task only needs to know whether a bad record may be
 * reported and skipped ({@code all}) or must stop the task ({@code none}, the default).
 */
public enum ErrorTolerance {
    NONE,
    ALL;

    public static final String KEY = "errors.tolerance";

    public static ErrorTolerance from(Map<String, String> props) {
        String value = props.get(KEY);
        return value != null && "all".equals(value.trim().toLowerCase(Locale.ROOT)) ? ALL : NONE;
    }
}
