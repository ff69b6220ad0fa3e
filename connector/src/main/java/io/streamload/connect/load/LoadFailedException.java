package io.streamload.connect.load;

/**
 * A batch that could not be loaded: permanently refused, or still unresolved when the retries ran
 * out. The message is written for the user: table, label, the target's reply, and what to change.
 */
public class LoadFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public LoadFailedException(String message) {
        super(message);
    }
}
