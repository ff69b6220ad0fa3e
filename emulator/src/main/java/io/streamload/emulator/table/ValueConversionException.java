package io.streamload.emulator.table;

/** A value that does not fit its column; the message is the reason the target would log. */
public final class ValueConversionException extends Exception {
    public ValueConversionException(String message) {
        super(message, null, false, false);
    }
}
