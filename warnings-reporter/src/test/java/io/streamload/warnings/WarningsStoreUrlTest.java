package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarningsStoreUrlTest {

    @Test
    void parsesEveryPart() {
        WarningsStoreUrl url = WarningsStoreUrl.parse("mysql://loader:s3cr%40t:x@db.example:3307/cluster_1/my_errors?sslMode=REQUIRED");
        assertEquals("loader", url.user());
        assertEquals(Optional.of("s3cr@t:x"), url.password());
        assertEquals("db.example", url.host());
        assertEquals(3307, url.port());
        assertEquals(Optional.of("cluster_1"), url.database());
        assertEquals(Optional.of("my_errors"), url.table());
        assertEquals(Map.of("sslMode", "REQUIRED"), url.jdbcOptions());
        assertEquals("jdbc:mysql://db.example:3307/", url.jdbcUrl());
    }

    @Test
    void databaseAndTableAreOptionalAndPortDefaults() {
        WarningsStoreUrl url = WarningsStoreUrl.parse("mysql://root@127.0.0.1");
        assertEquals(3306, url.port());
        assertEquals(Optional.empty(), url.password());
        assertEquals(Optional.empty(), url.database());
        assertEquals(new StoreLocation("my_connector_1", "load_errors", "load_jobs"),
                StoreLocation.resolve(url, "My-Connector.1"));
        assertEquals("cluster_7", StoreLocation.resolve(WarningsStoreUrl.parse("mysql://u@h:1/cluster_7"), "x").database());
    }

    @Test
    void thePasswordNeverShowsInTextOrErrors() {
        WarningsStoreUrl url = WarningsStoreUrl.parse("mysql://loader:hunter2@db:3306/c1");
        assertEquals("mysql://loader:****@db:3306/c1", url.toString());
        assertFalse(url.withDatabase("c2").toString().contains("hunter2"));
        WarningsStoreConfig config = WarningsStoreConfig.builder(url).password("other-secret").build();
        assertFalse(config.toString().contains("hunter2"));
        assertFalse(config.toString().contains("other-secret"));
        assertEquals(Optional.of("other-secret"), config.url().password());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WarningsStoreUrl.parse("mysql://loader:hunter2@db:notaport/c1"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("notaport"), e.getMessage());
    }

    @Test
    void rejectsWhatIsNotAStoreUrl() {
        for (String bad : new String[] {"", "postgres://u@h/db", "mysql://h:3306/db", "mysql://u@h:70000",
                "mysql://u@h/db-with-dash", "mysql://u@h/db/t/extra", "mysql://u@h/db`;drop", "mysql://u@h?password=x"}) {
            assertThrows(IllegalArgumentException.class, () -> WarningsStoreUrl.parse(bad), bad);
        }
    }

    @Test
    void identifiersAreValidatedBeforeQuoting() {
        assertEquals("`load_errors`", Identifiers.quote("load_errors"));
        assertThrows(IllegalArgumentException.class, () -> Identifiers.quote("x`; DROP TABLE y; --"));
        assertThrows(IllegalArgumentException.class, () -> new StoreLocation("ok", "bad name", "load_jobs"));
        assertEquals("streamload", Identifiers.databaseForCluster(" "));
        assertEquals(64, Identifiers.databaseForCluster("c".repeat(100)).length());
    }

    @Test
    void passwordsComeFromFilesAndVariables(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "from-file\n");
        assertEquals("from-file", Passwords.fromFile(file));
        assertEquals("from-env", Passwords.fromEnvironment("PW", Map.of("PW", "from-env")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Passwords.fromEnvironment("MISSING_PW", Map.of()));
        assertTrue(e.getMessage().contains("MISSING_PW"));
    }

    @Test
    void textsAreCutToTheirColumnsWithoutSplittingCharacters() {
        assertEquals("abc", ColumnLimits.cut("abc", 5));
        assertEquals("ab...", ColumnLimits.cut("abcdefgh", 5));
        String emoji = "a\uD83D\uDE00bcdef";
        String cut = ColumnLimits.cut(emoji, 5);
        assertEquals("a...", cut);
    }
}
