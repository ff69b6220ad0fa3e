package io.streamload.warnings.cli;

import io.streamload.warnings.Passwords;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.WarningsStoreUrl;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the store is and how to reach it, taken from (first wins) a command-line flag, the
 * properties file ({@code --config} or {@code LOAD_ERRORS_CONFIG}), or the environment. Property keys
 * are the connector's ({@code load.errors.url}, ...) so one file can serve both; environment names
 * are the keys in upper case with '_' ({@code LOAD_ERRORS_URL}).
 *
 * <p>The password follows the same rule: it comes from the nearest place that gives one, a password
 * written in the URL counting in the place the URL came from, so {@code --url} with a password beats
 * {@code LOAD_ERRORS_PASSWORD}. Within one place the connector's order applies:
 * {@code load.errors.password}, the password file, the password variable, the URL's.
 *
 * <p>There is deliberately no password flag: command lines are visible to every user of the
 * machine. The password comes from the URL, {@code --password-file}, {@code --password-env NAME},
 * or {@code load.errors.password} in the file or environment.
 */
final class StoreSettings {
    /** Where a setting was found: the lower, the nearer. */
    private static final int FLAG = 0;
    private static final int FILE = 1;
    private static final int ENVIRONMENT = 2;

    /** A setting's value and the place it came from. */
    private record Found(String value, int place) {
    }

    private final Map<String, String> flags;
    private final Properties file;
    private final Map<String, String> environment;

    private StoreSettings(Map<String, String> flags, Properties file, Map<String, String> environment) {
        this.flags = flags;
        this.file = file;
        this.environment = environment;
    }

    /** @param flags the options given on the command line, by name without dashes ({@code url}, {@code retention}) */
    static StoreSettings from(Map<String, String> flags, Map<String, String> environment) throws UsageException {
        String configPath = flags.get("config");
        if (configPath == null) {
            configPath = environment.get("LOAD_ERRORS_CONFIG");
        }
        Properties file = new Properties();
        if (configPath != null) {
            try (Reader reader = Files.newBufferedReader(Path.of(configPath), StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new UsageException("cannot read the config file " + configPath + ": " + e.getMessage());
            }
        }
        return new StoreSettings(flags, file, environment);
    }

    /** The flag, else the property, else the environment variable named after the property. */
    String setting(String flag, String propertyKey) {
        Found found = find(flag, propertyKey);
        return found == null ? null : found.value();
    }

    private Found find(String flag, String propertyKey) {
        if (flag != null && flags.get(flag) != null) {
            return new Found(flags.get(flag), FLAG);
        }
        String fromFile = file.getProperty(propertyKey);
        if (fromFile != null && !fromFile.isBlank()) {
            return new Found(fromFile.trim(), FILE);
        }
        String fromEnvironment = environment.get(propertyKey.toUpperCase(Locale.ROOT).replace('.', '_'));
        return fromEnvironment == null ? null : new Found(fromEnvironment, ENVIRONMENT);
    }

    WarningsStoreUrl url() throws UsageException {
        String text = setting("url", "load.errors.url");
        if (text == null) {
            throw new UsageException("no warnings store given: use --url mysql://user@host:port[/database], "
                    + "load.errors.url in --config, or LOAD_ERRORS_URL");
        }
        try {
            return WarningsStoreUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * A password from elsewhere than the URL, or null to use the URL's: the nearest place that
     * gives one wins (see the class comment), the connector's order within one place.
     */
    String password(WarningsStoreUrl url) throws UsageException {
        Found direct = find(null, "load.errors.password");
        Found passwordFile = find("password-file", "load.errors.password.file");
        Found passwordVariable = find("password-env", "load.errors.password.env");
        Found inUrl = url.password().isPresent() ? new Found(null, find("url", "load.errors.url").place()) : null;
        Found chosen = null;
        for (Found candidate : new Found[] {direct, passwordFile, passwordVariable, inUrl}) {
            if (candidate != null && (chosen == null || candidate.place() < chosen.place())) {
                chosen = candidate;
            }
        }
        try {
            if (chosen == null || chosen == inUrl) {
                return null;
            }
            if (chosen == passwordFile) {
                return Passwords.fromFile(Path.of(passwordFile.value()));
            }
            if (chosen == passwordVariable) {
                return Passwords.fromEnvironment(passwordVariable.value(), environment);
            }
            return direct.value();
        } catch (RuntimeException e) {
            throw new UsageException(e.getMessage());
        }
    }

    Duration duration(String flag, String propertyKey, Duration defaultValue) throws UsageException {
        String text = setting(flag, propertyKey);
        return text == null ? defaultValue : Durations.parse(text, "--" + flag);
    }

    int positive(String flag, String propertyKey, int defaultValue) throws UsageException {
        String text = setting(flag, propertyKey);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + flag + " must be a positive whole number, got '" + text + "'");
    }

    /** The read-side config: the CLI never creates tables, it only reads and deletes expired rows. */
    WarningsStoreConfig.Builder config() throws UsageException {
        WarningsStoreUrl url = url();
        String clusterId = setting("cluster-id", "load.errors.cluster.id");
        if (url.database().isEmpty() && clusterId == null) {
            throw new UsageException("which cluster? The URL names no database: add /database to it or give "
                    + "--cluster-id (the connector's load.errors.cluster.id, by default its name)");
        }
        WarningsStoreConfig.Builder builder = WarningsStoreConfig.builder(url)
                .clusterId(clusterId)
                .createMissingTables(false);
        String password = password(url);
        if (password != null) {
            builder.password(password);
        }
        return builder;
    }
}
