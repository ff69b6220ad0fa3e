package io.streamload.emulator.load;

/** Why a load failed, as Doris prefixes its messages ({@code [DATA_QUALITY_ERROR]...}); StarRocks shows none. */
public enum ErrorCode {
    DATA_QUALITY_ERROR, LABEL_ALREADY_EXISTS, INTERNAL_ERROR, INVALID_ARGUMENT, NOT_FOUND, TOO_MANY_TASKS,
    NOT_AUTHORIZED, TIMEOUT
}
