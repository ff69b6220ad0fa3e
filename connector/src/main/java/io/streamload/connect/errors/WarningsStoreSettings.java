package io.streamload.connect.errors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@code load.errors.password.env}, the URL itself.
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

    /** The writer for these settings; never fails the task over the store (it is best effort). */
    public static WarningsWriter startWriter(Values values, Map<String, String> environment) {
        if (values.url() == null || values.url().value().isBlank()) {
            return WarningsWriter.disabled();
        }
        WarningsStoreConfig config = storeConfig(values, environment);
        log.info("Rejected rows and load summaries go to the warnings store {}", config.location());
        return LoadErrorsWriter.start(config);
    }

    /** The store configuration; also used to run the retention cleanup. */
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
            return Passwords.fromFile(Path.of(values.passwordFile()));
        }
        if (!values.passwordEnv().isBlank()) {
            return Passwords.fromEnvironment(values.passwordEnv(), environment);
        }
        return null;
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
            return "mysql://user[:password]@host[:port][/database[/table]]";
        }
    }
}
