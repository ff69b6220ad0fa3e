package io.streamload.warnings;

/**
 * Column sizes in characters, and the cutting of texts to them. The writer cuts rather than lets
 * MySQL reject: one over-long error message must not cost the whole batch it travels in.
 */
public final class ColumnLimits {
    public static final int LABEL = 128;
    public static final int NAME = 64;
    public static final int TOPIC = 249;
    public static final int STATUS = 32;
    public static final int ERROR_MESSAGE = 1024;
    public static final int ROW_EXCERPT = 2048;
    public static final int URL = 1024;

    private static final String ELLIPSIS = "...";

    private ColumnLimits() {
    }

    /** {@code text} if it fits, else its head and "..." in exactly {@code max} characters; null stays null. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        // Never split a surrogate pair: half a character is not valid utf8mb4.
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
