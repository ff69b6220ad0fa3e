package io.streamload.connect.errors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.warnings.LoadErrorsWriter;
import io.streamload.warnings.Passwords;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.WarningsStoreUrl;
import io.streamload.warnings.WarningsWriter;

/**
 * Turns the connector's {@code load.errors.*} settings into a running warnings store writer, or
 * the disabled one when {@code load.errors.url} is not set.
 *
 * <p>The password comes from, in this order: {@code load.errors.password}, the file named by
 * {@code load.errors.password.file}, the environment variable named by
 * {@code load.errors.password.env}, the URL itself. A password that cannot be read on the worker
 * does not fail the task: the store is best effort, so the task loads without it. The file and the
 * variable are only used where the worker's administrator allowed them ({@link SecretSources}).
 */
public final class WarningsStoreSettings {

    private static final Logger log = LoggerFactory.getLogger(WarningsStoreSettings.class);

    /**
     * @param url the store URL, or null when none is configured
     * @param clusterId names the database when the URL has none
     */
    public record Values(Password url, Password password, String passwordFile, String passwordEnv, String clusterId,
                         boolean createTables, Duration retention, int queueCapacity) {
    }

    private WarningsStoreSettings() {
    }

    /**
     * The writer for these settings; never fails the task over the store (it is best effort). When
     * the store cannot be used at all (its password file or variable is missing on this worker),
     * says so once and returns a writer that drops and counts every entry, so that
     * {@code warnings-store-dropped-total} shows what the store misses while loading goes on.
     *
     * @param threads makes the writer's thread: the task's, so that the task's {@code stop()}
     *        waits for its end after closing the writer
     */
    public static WarningsWriter startWriter(Values values, Map<String, String> environment, ThreadFactory threads) {
        if (!configured(values)) {
            return WarningsWriter.disabled();
        }
        WarningsStoreConfig config;
        try {
            config = storeConfig(values, environment);
        } catch (RuntimeException e) {
            log.warn("The warnings store is not used by this task: {}. Loading goes on, rejected records still go "
                    + "to the dead letter queue if one is set, and what would have gone to the store is dropped and "
                    + "counted in warnings-store-dropped-total. Fix the setting and restart the task to use the store.",
                    e.getMessage());
            return WarningsWriter.unavailable(e.getMessage());
        }
        log.info("Rejected rows and load summaries go to the warnings store {}", config.location());
        return LoadErrorsWriter.start(config, threads);
    }

    /** Whether a store is configured at all ({@code load.errors.url} set). */
    public static boolean configured(Values values) {
        return values.url() != null && !values.url().value().isBlank();
    }

    /**
     * The store configuration; also used to run the retention cleanup.
     *
     * @throws RuntimeException naming the setting when the password cannot be read on this worker
     */
    public static WarningsStoreConfig storeConfig(Values values, Map<String, String> environment) {
        WarningsStoreConfig.Builder builder = WarningsStoreConfig.builder(WarningsStoreUrl.parse(values.url().value()))
                .clusterId(values.clusterId())
                .createMissingTables(values.createTables())
                .retention(values.retention())
                .queueCapacity(values.queueCapacity());
        String password = password(values, environment);
        if (password != null) {
            builder.password(password);
        }
        return builder.build();
    }

    private static String password(Values values, Map<String, String> environment) {
        if (values.password() != null && !values.password().value().isEmpty()) {
            return values.password().value();
        }
        if (!values.passwordFile().isBlank()) {
            try {
                return Passwords.fromFile(SecretSources.passwordFile(values.passwordFile(), environment));
            } catch (SecretSources.RefusedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IllegalStateException(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_FILE + ": " + e.getMessage(),
                        e);
            }
        }
        if (!values.passwordEnv().isBlank()) {
            SecretSources.checkPasswordVariable(values.passwordEnv(), environment);
            try {
                return Passwords.fromEnvironment(values.passwordEnv(), environment);
            } catch (RuntimeException e) {
                throw new IllegalStateException(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_ENV + ": " + e.getMessage(),
                        e);
            }
        }
        return null;
    }

    /**
     * What can be checked of the password's source when a config is validated, on the worker that
     * validates it: that the worker's administrator allows the password file or variable at all
     * ({@link SecretSources}), then that the file can be read, or that the variable is set
     * (whichever the tasks will use, in the order the class comment gives). Each worker that runs a
     * task reads it again there; a task that cannot, loads without the store rather than fail.
     *
     * @param parsed parsed values by key, as the validation has them
     * @return an error message by the key to report it on; empty when there is nothing to say
     */
    public static Map<String, String> checkPasswordSource(Map<String, ?> parsed, Map<String, String> environment) {
        if (!(parsed.get(StreamLoadSinkConfig.LOAD_ERRORS_URL) instanceof Password url) || url.value().isBlank()) {
            return Map.of();
        }
        if (parsed.get(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD) instanceof Password p && !p.value().isEmpty()) {
            return Map.of();
        }
        String without = "; without it the tasks load as usual but write nothing to the warnings store";
        if (parsed.get(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_FILE) instanceof String file && !file.isBlank()) {
            try {
                SecretSources.passwordFile(file, environment);
                return Map.of();
            } catch (SecretSources.RefusedException e) {
                return Map.of(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_FILE, e.getMessage() + " Every worker that "
                        + "runs a task needs it" + without);
            }
        }
        if (parsed.get(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_ENV) instanceof String variable && !variable.isBlank()) {
            try {
                SecretSources.checkPasswordVariable(variable, environment);
            } catch (SecretSources.RefusedException e) {
                return Map.of(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_ENV, e.getMessage() + " Every worker that "
                        + "runs a task needs it" + without);
            }
            if (environment.get(variable) == null) {
                return Map.of(StreamLoadSinkConfig.LOAD_ERRORS_PASSWORD_ENV, "the environment variable " + variable
                        + " is not set on the worker that validated this configuration; every worker that runs a "
                        + "task needs it" + without);
            }
        }
        return Map.of();
    }

    /** Checks that {@code load.errors.url} is a warnings store URL, without ever showing its password. */
    public static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || ((Password) value).value().isBlank()) {
                return;
            }
            try {
                WarningsStoreUrl.parse(((Password) value).value());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "mysql://user[:password]@host[:port][/database[/table]][?option=value&...]";
        }
    }
}
