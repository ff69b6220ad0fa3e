package io.streamload.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The plugin archive as the build unpacked it into the worker's {@code plugin.path}. */
final class PluginArchive {

    static final String CONNECTOR_CLASS = "io.streamload.connect.StreamLoadSinkConnector";

    private PluginArchive() {
    }

    /** The folder given to the worker as {@code plugin.path}. */
    static Path pluginPath() {
        String path = System.getProperty("streamload.plugin.path");
        if (path == null) {
            throw new IllegalStateException("streamload.plugin.path is not set: run this test through "
                    + "`mvn verify -pl packaging-tests -am`, which unpacks the plugin archive first");
        }
        return Path.of(path);
    }

    /** The component folder inside the archive: manifest.json, lib/, doc/, etc/. */
    static Path component() {
        return pluginPath().resolve("streamload-kafka-connect");
    }

    static String version() {
        return System.getProperty("streamload.version");
    }

    /** File names in one folder of the component, sorted. */
    static List<String> fileNames(String folder) throws IOException {
        try (Stream<Path> files = Files.list(component().resolve(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
