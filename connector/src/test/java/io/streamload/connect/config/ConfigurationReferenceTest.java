package io.streamload.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} in step with the ConfigDef: fails when the committed file
 * differs from what {@link ConfigReference} generates, and says how to regenerate it.
 */
class ConfigurationReferenceTest {

    /** The project's docs folder, seen from the connector module's directory (where tests run). */
    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

    @Test
    void theCommittedReferenceIsGeneratedFromTheConfigDef() throws IOException {
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("streamload.docs.update")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(REFERENCE), "docs/configuration.md is missing; generate it with: "
                + ConfigReference.REGENERATE_COMMAND);
        assertEquals(generated, Files.readString(REFERENCE, StandardCharsets.UTF_8),
                "docs/configuration.md is stale; regenerate it with: " + ConfigReference.REGENERATE_COMMAND);
    }

    @Test
    void everyKeyIsDocumented() {
        StreamLoadSinkConfig.configDef().configKeys().values().forEach(key -> {
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name);
            assertTrue(key.group != null, key.name);
        });
    }
}
