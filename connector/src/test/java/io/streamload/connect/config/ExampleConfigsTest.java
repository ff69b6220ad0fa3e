package io.streamload.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.connect.StreamLoadSinkConnector;
import io.streamload.connect.errors.SecretSources;

/**
 * Every connector example in {@code config/} (REST bodies as JSON, standalone configs as
 * properties) passes the connector's {@code validate()} without an error, so a user who copies
 * one only has to change host names and credentials. The packaging test sends the same files
 * through a real worker's REST validation.
 */
class ExampleConfigsTest {

    /** The project's config folder, seen from the connector module's directory (where tests run). */
    static final Path CONFIG = Path.of("..", "config");

    static List<Path> examples() throws IOException {
        List<Path> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(CONFIG)) {
            files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".properties"))
                    .filter(f -> !f.getFileName().toString().startsWith("warnings-reporter"))
                    .sorted()
                    .forEach(examples::add);
        }
        return examples;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validatesWithoutErrors(Path example, @TempDir Path secrets) throws IOException {
        Map<String, String> config = withSecretsOfAWorker(read(example), secrets);
        assertEquals(StreamLoadSinkConnector.class.getName(), config.get("connector.class"), example + " connector.class");
        assertFalse(config.getOrDefault("name", "").isBlank(), example + " has no connector name");
        // As the README tells the administrator: -Dstreamload.secrets.dir=/etc/kafka/secrets.
        String before = System.getProperty(SecretSources.SECRETS_DIR_PROPERTY);
        System.setProperty(SecretSources.SECRETS_DIR_PROPERTY, secrets.toString());
        try {
            assertEquals(Map.of(), ConnectorValidationTest.errors(config), example + " does not validate");
        } finally {
            if (before == null) {
                System.clearProperty(SecretSources.SECRETS_DIR_PROPERTY);
            } else {
                System.setProperty(SecretSources.SECRETS_DIR_PROPERTY, before);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theExpectedExamplesExist() throws IOException {
        List<String> names = examples().stream().map(p -> p.getFileName().toString()).toList();
        for (String expected : List.of("starrocks-sink.json", "doris-sink.json", "cdc-debezium-sink.json",
                "exactly-once-sink.json",
                "starrocks-sink.properties")) {
            assertTrue(names.contains(expected), expected + " missing from config/: " + names);
        }
    }

    /**
     * The example as a worker that holds its secrets validates it: validation checks that the
     * warnings store's password file lies under the worker's allowed secrets directory and can be
     * read there, and the examples name where a worker keeps it ({@code /etc/kafka/secrets/...}),
     * which this machine has not; {@code secrets} stands for that directory. The check itself is
     * tested in {@code WarningsStoreValidationTest}.
     */
    static Map<String, String> withSecretsOfAWorker(Map<String, String> config, Path secrets) throws IOException {
        Map<String, String> copy = new TreeMap<>(config);
        if (copy.containsKey("load.errors.password.file")) {
            Path secret = secrets.resolve(Path.of(copy.get("load.errors.password.file")).getFileName());
            Files.writeString(secret, "change-me");
            copy.put("load.errors.password.file", secret.toString());
        }
        return copy;
    }

    /** A REST body ({@code {"name": ..., "config": {...}}}) or a standalone properties file, as one flat map. */
    static Map<String, String> read(Path example) throws IOException {
        Map<String, String> config = new TreeMap<>();
        if (example.toString().endsWith(".json")) {
            JsonNode body = new ObjectMapper().readTree(example.toFile());
            assertTrue(body.has("name") && body.has("config"),
                    example + " must be a REST body: {\"name\": ..., \"config\": {...}}");
            config.putAll(new ObjectMapper().convertValue(body.get("config"), new TypeReference<Map<String, String>>() { }));
            config.put("name", body.get("name").asText());
        } else {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(example, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        }
        return config;
    }
}
