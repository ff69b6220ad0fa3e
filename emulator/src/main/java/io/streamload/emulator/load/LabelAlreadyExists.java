package io.streamload.emulator.load;

/** A label is taken by a load that has not failed. */
public final class LabelAlreadyExists extends Exception {
    private final LoadRecord existing;

    public LabelAlreadyExists(LoadRecord existing) {
        super("Label [" + existing.label() + "] has already been used.", null, false, false);
        this.existing = existing;
    }

    public LoadRecord existing() {
        return existing;
    }
}
