package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The connector uses the warnings store's library (the writer, the cleaner, the retention
 * schedule), never the code of its command line tool ({@code cli}, and {@code serve} behind it):
 * that code may change with the tool.
 */
class NoCliCodeInConnectorTest {

    private static final List<String> CLI_PACKAGES = List.of("io.streamload.warnings.cli", "io.streamload.warnings.serve");

    @Test
    void noConnectorSourceNamesTheCliPackages() throws IOException {
        Path sources = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(sources), "run from the connector module: " + sources.toAbsolutePath());
        List<String> offending;
        try (Stream<Path> files = Files.walk(sources)) {
            offending = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(NoCliCodeInConnectorTest::namesACliPackage)
                    .map(file -> sources.relativize(file).toString())
                    .sorted().toList();
        }
        assertEquals(List.of(), offending);
    }

    private static boolean namesACliPackage(Path file) {
        try {
            String text = Files.readString(file);
            return CLI_PACKAGES.stream().anyMatch(text::contains);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
