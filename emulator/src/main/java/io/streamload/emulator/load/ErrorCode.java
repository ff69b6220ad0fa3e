package io.streamload.emulator.load;

/** Why a load failed, as Doris prefixes its messages ({@code [DATA_QUALITY_ERROR]...}); StarRocks shows none. */
public enum ErrorCode {
    DATA_QUALITY_ERROR, LABEL_ALREADY_EXISTS, INTERNAL_ERROR, INVALID_ARGUMENT, NOT_FOUND, TOO_MANY_TASKS,
    NOT_AUTHORIZED, TIMEOUT,
    /** Doris: a format (with its compress_type) it does not know. */
    DATA_FILE_TYPE_ERROR,
    /** Doris: the FE could not plan the load (a bad where, an unknown column). */
    ANALYSIS_ERROR,
    /**
     * Doris: the tablet holds more versions than {@code max_tablet_version_num} (code -235,
     * {@code be/src/common/status.h}).
     */
    TOO_MANY_VERSION
}
