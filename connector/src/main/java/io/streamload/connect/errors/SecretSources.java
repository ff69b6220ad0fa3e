package io.streamload.connect.errors;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.streamload.connect.config.StreamLoadSinkConfig;

/**
 * Which password files and environment variables a connector may name in
 * {@code load.errors.password.file} / {@code load.errors.password.env}: only those the worker's
 * administrator allowed, never whatever a user of Connect's REST API writes.
 *
 * <p>Why: a connector's config is written through the REST API, the file is read and the variable
 * looked up inside the worker, and the value is sent as the login password to the MySQL server
 * that {@code load.errors.url} names. Without a limit, anyone who may configure a connector could
 * read any file or variable of the worker (cloud keys, other services' secrets) by pointing the URL
 * at a server of their own. Kafka limits its own {@code FileConfigProvider} the same way
 * ({@code allowed.paths}, KIP-993).
 *
 * <p>The administrator allows them on the worker, where a REST user cannot:
 * <ul>
 * <li>files: {@value #SECRETS_DIR_PROPERTY} (a JVM system property, e.g. in {@code KAFKA_OPTS}) or
 * the environment variable {@value #SECRETS_DIR_ENV}: directories, separated by the platform's
 * path separator ({@code :}), under which password files may lie. Links and {@code ..} are
 * resolved before the check, so neither leads out of them.</li>
 * <li>variables: {@value #ENV_PREFIX_PROPERTY} or {@value #ENV_PREFIX_ENV}: comma-separated
 * prefixes (a full name is a prefix of itself) a variable's name must start with.</li>
 * </ul>
 * Neither set: both keys are refused. The system property wins over the variable.
 *
 * <p>A refusal never says whether a file outside the allowed directories exists or can be read:
 * nothing outside them is looked at.
 */
public final class SecretSources {

    public static final String SECRETS_DIR_PROPERTY = "streamload.secrets.dir";
    public static final String SECRETS_DIR_ENV = "STREAMLOAD_SECRETS_DIR";
    public static final String ENV_PREFIX_PROPERTY = "streamload.secret.env.prefix";
    public static final String ENV_PREFIX_ENV = "STREAMLOAD_SECRET_ENV_PREFIX";

    /** What the administrator may do instead, said with every refusal. */
    private static final String INSTEAD = " Or give the password with " + StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD
            + " through a Connect config provider, e.g. ${file:/etc/kafka/secrets/mysql.properties:password} "
            + "with Kafka's FileConfigProvider restricted by its allowed.paths.";

    /** A password source this worker does not allow; the message names the key and what to set. */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    private SecretSources() {
    }

    /**
     * The password file as it may be read on this worker: its real path, under an allowed directory.
     *
     * @throws RefusedException when no directory is allowed, the file is not under one, or it is not
     *                          a readable regular file there (one message for all, naming no detail
     *                          of what lies outside)
     */
    public static Path passwordFile(String file, Map<String, String> environment) {
        String key = StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_FILE;
        Optional<String> setting = setting(SECRETS_DIR_PROPERTY, SECRETS_DIR_ENV, environment);
        if (setting.isEmpty()) {
            throw new RefusedException(key + " is not allowed on this worker: its administrator has not named a "
                    + "directory for password files. To allow it, start the worker with -D" + SECRETS_DIR_PROPERTY
                    + "=/etc/kafka/secrets (e.g. in KAFKA_OPTS) or the environment variable " + SECRETS_DIR_ENV
                    + "=/etc/kafka/secrets." + INSTEAD);
        }
        List<Path> written = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        for (String dir : setting.get().split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path path = Path.of(dir.strip()).toAbsolutePath().normalize();
                written.add(path);
                real.add(path.toRealPath());
            } catch (InvalidPathException | IOException e) {
                // A directory the administrator named that is not there allows nothing.
            }
        }
        String refused = key + " '" + file + "' is not a readable file under the directories this worker allows "
                + "for password files (" + setting.get() + ", set by its administrator with -D" + SECRETS_DIR_PROPERTY
                + " or " + SECRETS_DIR_ENV + "); links and '..' count where they lead. Put the file there, or have "
                + "the administrator allow its directory." + INSTEAD;
        Path lexical;
        try {
            lexical = Path.of(file).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new RefusedException(refused);
        }
        // Nothing is looked at on disk unless the name itself is under an allowed directory, so
        // the answer says nothing of files elsewhere.
        if (written.stream().noneMatch(lexical::startsWith) && real.stream().noneMatch(lexical::startsWith)) {
            throw new RefusedException(refused);
        }
        Path resolved;
        try {
            resolved = Path.of(file).toRealPath();
        } catch (InvalidPathException | IOException e) {
            throw new RefusedException(refused);
        }
        if (real.stream().noneMatch(dir -> resolved.startsWith(dir) && !resolved.equals(dir))
                || !Files.isRegularFile(resolved) || !Files.isReadable(resolved)) {
            throw new RefusedException(refused);
        }
        return resolved;
    }

    /**
     * Checks that {@code variable} may hold the password on this worker.
     *
     * @throws RefusedException when no prefix allows it (whether it is set is not said)
     */
    public static void checkPasswordVariable(String variable, Map<String, String> environment) {
        String key = StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_ENV;
        Optional<String> setting = setting(ENV_PREFIX_PROPERTY, ENV_PREFIX_ENV, environment);
        boolean allowed = setting.isPresent() && java.util.Arrays.stream(setting.get().split(","))
                .map(String::strip).anyMatch(prefix -> !prefix.isEmpty() && variable.startsWith(prefix));
        if (!allowed) {
            throw new RefusedException(key + " '" + variable + "' is not allowed on this worker: "
                    + (setting.isEmpty() ? "its administrator has not allowed any environment variable for passwords"
                    : "its name does not start with one of the prefixes its administrator allowed ("
                    + setting.get() + ")") + ". To allow it, start the worker with -D" + ENV_PREFIX_PROPERTY
                    + "=PREFIX (comma-separated prefixes or names, e.g. STREAMLOAD_STORE_) or the environment variable "
                    + ENV_PREFIX_ENV + "=PREFIX." + INSTEAD);
        }
    }

    private static Optional<String> setting(String property, String variable, Map<String, String> environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = environment.get(variable);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
