package io.streamload.emulator.load;

/** A load that fails as a whole (bad header, unknown column, data quality over the ratio ...). */
public final class LoadFailure extends Exception {
    private final ErrorCode code;

    public LoadFailure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
