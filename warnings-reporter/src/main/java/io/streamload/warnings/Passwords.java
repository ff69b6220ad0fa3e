package io.streamload.warnings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a store password from where operators keep secrets: a file (a mounted secret) or an
 * environment variable. Errors name the file or variable, never the value.
 */
public final class Passwords {
    private Passwords() {
    }

    /** The file's content without the trailing line break that editors and {@code echo} add. */
    public static String fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.replaceFirst("\\r?\\n$", "");
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("the warnings store password file " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("the warnings store password file " + file + " is not readable by this "
                    + "process's user", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the warnings store password file " + file + ": " + e, e);
        }
    }

    /** The variable's value from {@code environment}. */
    public static String fromEnvironment(String variable, Map<String, String> environment) {
        String value = environment.get(variable);
        if (value == null) {
            throw new IllegalArgumentException("the environment variable " + variable
                    + " that should hold the warnings store password is not set");
        }
        return value;
    }
}
