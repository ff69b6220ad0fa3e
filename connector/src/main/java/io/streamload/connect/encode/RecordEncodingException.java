package io.streamload.connect.encode;

/** A record that cannot be turned into a row: a value of the wrong shape, text that is not JSON, a null. */
public class RecordEncodingException extends Exception {

    private static final long serialVersionUID = 1L;

    public RecordEncodingException(String message) {
        super(message);
    }

    public RecordEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
