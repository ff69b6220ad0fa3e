package io.streamload.warnings.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code config/warnings-reporter.properties}, the example the README points to, is read by
 * {@code --config} as documented: every key is one the CLI knows, the URL parses and names no
 * password, and the cluster id reaches the settings.
 */
class ConfigExampleTest {
    private static final Path EXAMPLE = Path.of("..", "config", "warnings-reporter.properties");
    private static final Set<String> KNOWN_KEYS = Set.of("load.errors.url", "load.errors.cluster.id",
            "load.errors.password.file", "load.errors.password");

    @Test
    void theExampleIsReadThroughConfig() throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(EXAMPLE, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        for (String key : properties.stringPropertyNames()) {
            assertTrue(KNOWN_KEYS.contains(key), "unknown key " + key + " in " + EXAMPLE);
        }

        StoreSettings settings = StoreSettings.from(Map.of("config", EXAMPLE.toString()), Map.of());
        assertEquals("mysql", settings.url().host());
        assertTrue(settings.url().password().isEmpty(), "the example must not carry a password in its URL");
        assertEquals("orders-to-starrocks", settings.setting("cluster-id", "load.errors.cluster.id"));
        assertEquals("/etc/kafka/secrets/warnings-password",
                settings.setting("password-file", "load.errors.password.file"));
    }
}
