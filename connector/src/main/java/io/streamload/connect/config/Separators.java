package io.streamload.connect.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * CSV separators as users write them: a plain character, or the escapes {@code \t}, {@code \n},
 * {@code \r}, {@code \\} and {@code \xHH} (the hex form Stream Load itself accepts).
 */
public final class Separators {

    private Separators() {
    }

    /** Decodes escapes into the characters they stand for. */
    public static String decode(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new IllegalArgumentException("a lone backslash ends '" + text + "'");
            }
            char next = text.charAt(++i);
            switch (next) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    String hex = i + 3 <= text.length() ? text.substring(i + 1, i + 3) : "";
                    if (hex.length() != 2 || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
                        throw new IllegalArgumentException("\\x needs two hex digits in '" + text + "'");
                    }
                    out.append((char) Integer.parseInt(hex, 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + next + " in '" + text + "'");
            }
        }
        return out.toString();
    }

    /**
     * The form to put in a Stream Load header: printable ASCII as is, anything else as
     * {@code \xHH}, since header values cannot carry a newline.
     */
    public static String toHeaderValue(String separator) {
        StringBuilder out = new StringBuilder();
        for (char c : separator.toCharArray()) {
            if (c >= 0x21 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c <= 0xff) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static final class Validator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String text = (String) value;
            if (text == null || text.isEmpty()) {
                throw new ConfigException(name + " must not be empty");
            }
            try {
                decode(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a character or an escape such as \\t, \\x01";
        }
    }
}
