package io.streamload.connect.load;

/**
 * A batch that could not be loaded: permanently refused, or still unresolved when the retries ran
 * out. The message is written for the user: table, label, the target's reply, and what to change.
 */
public class LoadFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unresolved;

    public LoadFailedException(String message) {
        this(message, false);
    }

    /**
     * @param unresolved true when an attempt's outcome was unknown and never resolved: the
     *     records may or may not be in the target
     */
    public LoadFailedException(String message, boolean unresolved) {
        super(message);
        this.unresolved = unresolved;
    }

    /** True when whether the records are in the target is not known. */
    public boolean unresolved() {
        return unresolved;
    }
}
