package io.streamload.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * No Docker runs here, so {@code docker/} is kept honest by reading it: the services the README
 * promises exist, every file it mounts exists in the repository (or is made by a README step),
 * and the names it relies on match what the build produces and what the tested configs say.
 */
class DockerComposeTest {

    private static final Path DOCKER = Path.of("..", "docker");
    /** Made by the steps of docker/README.md, not committed. */
    private static final Set<String> MADE_BY_THE_README = Set.of("./plugins", "./secrets",
            "./secrets/mysql-root-password", "./secrets/warnings-password");

    private final JsonNode compose = read();

    @Test
    void theServicesAreThere() {
        for (String service : List.of("kafka", "connect", "starrocks", "mysql", "warnings-reporter")) {
            assertTrue(compose.path("services").has(service), service + " missing from docker-compose.yml");
        }
    }

    @Test
    void everyMountedFileExistsOrIsMadeByTheReadme() throws IOException {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        compose.path("services").forEach(service -> service.path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            if (MADE_BY_THE_README.contains(source)) {
                assertTrue(readme.contains("docker/" + source.substring(2)), source + " is not made by docker/README.md");
            } else if (!Files.exists(DOCKER.resolve(source))) {
                missing.add(source);
            }
        }));
        // The reporter's jar is built, not committed: its name must be the one the shade plugin writes.
        missing.remove("../warnings-reporter/target/warnings-reporter.jar");
        assertEquals(List.of(), missing, "docker-compose.yml mounts files that do not exist");
    }

    @Test
    void theBuiltArtifactNamesMatch() throws IOException {
        assertTrue(Files.readString(Path.of("..", "warnings-reporter", "pom.xml"))
                .contains("${project.build.directory}/warnings-reporter.jar"), "the CLI jar's name changed");
        String readme = Files.readString(DOCKER.resolve("README.md"));
        assertTrue(readme.contains("connector/target/streamload-kafka-connect-*-plugin.zip"), "the zip's name changed");
        assertTrue(readme.contains("docker/plugins/streamload-kafka-connect/"), "the zip's folder changed");
        String assembly = Files.readString(Path.of("..", "connector", "src", "assembly", "plugin.xml"));
        assertTrue(assembly.contains("<id>plugin</id>") && assembly.contains("<baseDirectory>streamload-kafka-connect<"),
                "the archive's classifier or top folder changed; docker/README.md names both");
    }

    @Test
    void theWorkerLoadsPluginsFromTheMountedFolder() throws IOException {
        Properties worker = properties(DOCKER.resolve("connect-distributed.properties"));
        String mounted = compose.at("/services/connect/volumes/0").asText().split(":")[1];
        assertEquals(mounted, worker.getProperty("plugin.path"));
        assertEquals("kafka:9092", worker.getProperty("bootstrap.servers"));
        assertEquals("file", worker.getProperty("config.providers"), "the example configs read passwords with ${file:...}");
        assertEquals("/etc/kafka/secrets", worker.getProperty("config.providers.file.param.allowed.paths"),
                "the file provider reads only the mounted secrets");
    }

    @Test
    void theWorkerAllowsTheExamplesPasswordFile() throws IOException {
        Properties example = properties(Path.of("..", "config", "starrocks-sink.properties"));
        String passwordFile = example.getProperty("load.errors.password.file");
        String allowed = compose.at("/services/connect/environment/STREAMLOAD_SECRETS_DIR").asText();
        assertTrue(!allowed.isEmpty() && passwordFile.startsWith(allowed + "/"),
                passwordFile + " is not under the connect service's STREAMLOAD_SECRETS_DIR '" + allowed + "'");
        boolean mounted = false;
        for (JsonNode volume : compose.at("/services/connect/volumes")) {
            mounted |= volume.asText().split(":")[1].equals(allowed);
        }
        assertTrue(mounted, allowed + " is not mounted into the connect service");
    }

    @Test
    void theReporterConfigPointsAtTheComposeServices() throws IOException {
        Properties reporter = properties(Path.of("..", "config", "warnings-reporter.properties"));
        assertTrue(reporter.getProperty("load.errors.url").contains("@mysql:3306"), "the store is the mysql service");
        String passwordFile = reporter.getProperty("load.errors.password.file");
        boolean mounted = false;
        for (JsonNode volume : compose.at("/services/warnings-reporter/volumes")) {
            mounted |= passwordFile.startsWith(volume.asText().split(":")[1] + "/");
        }
        assertTrue(mounted, passwordFile + " is not inside a folder mounted into the warnings-reporter service");
        assertTrue(Files.readString(DOCKER.resolve("mysql-init.sql")).contains("`orders_to_starrocks`"),
                "mysql-init.sql must grant on the database of load.errors.cluster.id");
        assertEquals("orders-to-starrocks", reporter.getProperty("load.errors.cluster.id"));
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
        } catch (IOException e) {
            throw new AssertionError("docker/docker-compose.yml does not parse: " + e.getMessage(), e);
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
