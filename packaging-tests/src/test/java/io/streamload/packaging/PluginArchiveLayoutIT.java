package io.streamload.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The archive holds what a Confluent Hub-style component must: a filled-in manifest.json, the
 * runtime jars and nothing the worker provides, the docs with the bundled libraries' licenses,
 * and the example configs.
 */
class PluginArchiveLayoutIT {

    /**
     * Jars the worker provides; a copy in the plugin would shadow or clash with the worker's, whose
     * version differs from one worker to the next (ConnectVersionsIT runs 3.4 to 4.1). Any Kafka
     * jar counts, not only the API's.
     */
    private static final List<String> PROVIDED_BY_THE_WORKER = List.of("connect-api-", "connect-runtime-",
            "connect-transforms-", "connect-json-", "kafka-", "kafka_", "slf4j-", "log4j-", "reload4j-");
    /** What only the warnings-reporter CLI uses (optional dependencies of that module). */
    private static final List<String> ONLY_THE_CLI_USES = List.of("picocli-", "slf4j-simple-");

    @Test
    void manifestDescribesTheSinkWithItsVersion() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(PluginArchive.component().resolve("manifest.json").toFile());
        assertEquals(PluginArchive.version(), manifest.path("version").asText());
        assertEquals("sink", manifest.path("component_types").path(0).asText());
        for (String field : List.of("name", "title", "description", "owner", "tags", "requirements", "license",
                "documentation_url", "source_url", "release_date")) {
            assertFalse(manifest.path(field).isMissingNode() || manifest.path(field).isEmpty()
                    && !manifest.path(field).isTextual(), "manifest.json lacks " + field);
        }
        JsonNode features = manifest.path("features");
        assertEquals("[\"at_least_once\",\"exactly_once\"]", features.path("delivery_guarantee").toString());
        assertTrue(features.path("kafka_connect_api").asBoolean());
        assertTrue(features.path("single_message_transforms").asBoolean());
        assertTrue(features.path("supported_encodings").size() > 0);
        assertFalse(manifest.toString().contains("${"), "unfiltered placeholder in manifest.json: " + manifest);
    }

    @Test
    void libHoldsTheRuntimeJarsAndNothingTheWorkerProvides() throws IOException {
        List<String> jars = PluginArchive.fileNames("lib");
        String version = PluginArchive.version();
        assertTrue(jars.contains("streamload-kafka-connect-" + version + ".jar"), jars.toString());
        assertTrue(jars.contains("streamload-warnings-reporter-" + version + ".jar"), jars.toString());
        for (String needed : List.of("httpclient5-", "httpcore5-", "jackson-databind-", "jackson-core-",
                "mysql-connector-j-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(needed)), needed + " missing from lib/: " + jars);
        }
        List<String> clashing = new ArrayList<>();
        for (String jar : jars) {
            if (PROVIDED_BY_THE_WORKER.stream().anyMatch(jar::startsWith)) {
                clashing.add(jar);
            }
        }
        assertEquals(List.of(), clashing, "jars the worker provides must stay out of lib/");
    }

    @Test
    void libHoldsNothingOnlyTheWarningsReporterCliUses() throws IOException {
        List<String> cliOnly = PluginArchive.fileNames("lib").stream()
                .filter(jar -> ONLY_THE_CLI_USES.stream().anyMatch(jar::startsWith))
                .toList();
        assertEquals(List.of(), cliOnly, "the CLI's own dependencies must stay optional, out of lib/");
    }

    @Test
    void theConnectorJarDeclaresItsSinkConnector() throws IOException {
        try (JarFile jar = new JarFile(PluginArchive.component()
                .resolve("lib/streamload-kafka-connect-" + PluginArchive.version() + ".jar").toFile())) {
            var entry = jar.getEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector");
            assertTrue(entry != null, "the service file is missing");
            String declared = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(PluginArchive.CONNECTOR_CLASS, declared);
        }
    }

    @Test
    void everyBundledLibraryIsListedWithItsLicense() throws IOException {
        String notices = Files.readString(PluginArchive.component().resolve("doc/THIRD-PARTY.md"));
        for (String jar : PluginArchive.fileNames("lib")) {
            if (jar.startsWith("streamload-kafka-connect-")) {
                continue;
            }
            String artifact = jar.replaceFirst("-\\d[^-]*(-SNAPSHOT)?\\.jar$", "");
            assertTrue(notices.contains("`" + artifact + "`"), jar + " is bundled but not listed in doc/THIRD-PARTY.md");
        }
    }

    @Test
    void docsAndExamplesAreIncluded() throws IOException {
        assertTrue(PluginArchive.fileNames("doc").containsAll(List.of("README.md", "configuration.md",
                "THIRD-PARTY.md")), PluginArchive.fileNames("doc").toString());
        assertTrue(PluginArchive.fileNames("etc").containsAll(List.of("starrocks-sink.json", "doris-sink.json",
                "cdc-debezium-sink.json", "starrocks-sink.properties", "warnings-reporter.properties")),
                PluginArchive.fileNames("etc").toString());
        assertEquals(List.of("streamload-dashboard.json", "streamload-jmx-exporter.yaml"),
                PluginArchive.fileNames("etc/monitoring"), "the Prometheus rules and the Grafana dashboard");
    }
}
