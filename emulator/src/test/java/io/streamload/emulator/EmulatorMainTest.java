package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone entry point: options, the listener lines it prints, and tables files. */
class EmulatorMainTest {

    private static List<String> run(StreamLoadEmulator[] holder, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        holder[0] = EmulatorMain.start(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOneLinePerListenerAndServesLoads(@TempDir Path dir) throws Exception {
        Path tables = dir.resolve("tables.json");
        Files.writeString(tables, "[{\"database\":\"demo\",\"table\":\"t\",\"columns\":["
                + "{\"name\":\"id\",\"type\":\"BIGINT\",\"nullable\":false},{\"name\":\"name\",\"type\":\"VARCHAR(32)\"},"
                + "{\"name\":\"score\",\"type\":\"INT\"}]}]");
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        List<String> out = run(e, "--fe-port", "0", "--be-port", "0", "--mysql-port", "0", "--user", Fixtures.USER,
                "--password", Fixtures.PASSWORD, "--dialect", "doris", "--backends", "2", "--tables", tables.toString());
        try {
            assertTrue(out.get(0).matches("FE listening on http://127\\.0\\.0\\.1:\\d+"), out.toString());
            assertTrue(out.get(1).matches("BE listening on http://127\\.0\\.0\\.1:\\d+"), out.toString());
            assertTrue(out.get(2).matches("BE listening on http://127\\.0\\.0\\.1:\\d+"), out.toString());
            assertEquals("FE listening on " + e[0].feUrl(), out.get(0));
            assertEquals(Dialect.DORIS, e[0].dialect());

            assertEquals("Success", Fixtures.load(e[0], "t", "1\ta\t1\n").get("Status").asText());
            assertEquals(1, e[0].rowCount(DB, "t"));
        } finally {
            e[0].close();
        }
    }

    @Test
    void tablesFileKeyedByDbDotTable(@TempDir Path dir) throws Exception {
        Path tables = dir.resolve("tables.json");
        Files.writeString(tables, "{\"demo.t\":{\"columns\":[{\"name\":\"id\",\"type\":\"INT\",\"nullable\":false}]}}");
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        run(e, "--fe-port", "0", "--be-port", "0", "--mysql-port", "0", "--tables", tables.toString());
        try {
            assertNotNull(e[0].catalog().table("demo", "t"));
        } finally {
            e[0].close();
        }
    }

    @Test
    void helpPrintsUsageAndStartsNothing() throws Exception {
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        List<String> out = run(e, "--help");
        assertNull(e[0]);
        assertTrue(out.get(0).startsWith("Usage:"), out.toString());
    }

    @Test
    void badOptionsAreRejected(@TempDir Path dir) throws Exception {
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        assertThrows(IllegalArgumentException.class, () -> run(e, "--no-such-option", "1"));
        assertThrows(IllegalArgumentException.class, () -> run(e, "--fe-port", "70000"));
        assertThrows(IllegalArgumentException.class, () -> run(e, "--dialect", "mysql"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"demo.t\":{\"columns\":[{\"name\":\"id\",\"type\":\"WIDGET\"}]}}");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> run(e, "--fe-port", "0", "--be-port", "0", "--mysql-port", "0", "--tables", bad.toString()));
        assertTrue(ex.getMessage().contains("demo.t"), ex.getMessage());
    }

    @Test
    void feKeepsReadingAfterAnswerIsAFlagWithoutValue() throws Exception {
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        List<String> out = run(e, "--fe-port", "0", "--fe-keeps-reading-after-answer", "--be-port", "0", "--mysql-port", "0");
        try {
            assertTrue(e[0].feKeepsReadingAfterAnswer());
            assertTrue(out.get(out.size() - 1).contains("StarRocks PR 52582"), out.toString());
        } finally {
            e[0].close();
        }
        run(e, "--fe-port", "0", "--be-port", "0", "--mysql-port", "0");
        try {
            assertFalse(e[0].feKeepsReadingAfterAnswer(), "a current FE is the default");
        } finally {
            e[0].close();
        }
        List<String> help = run(e, "--help");
        assertTrue(help.stream().anyMatch(l -> l.contains("--fe-keeps-reading-after-answer")), help.toString());
    }

    @Test
    void mergedLoadsCanBeTurnedOffAndDorisWindowSet() throws Exception {
        StreamLoadEmulator[] e = new StreamLoadEmulator[1];
        run(e, "--fe-port", "0", "--be-port", "0", "--user", Fixtures.USER, "--password", Fixtures.PASSWORD,
                "--no-merged-loads");
        try {
            e[0].createTable(Fixtures.duplicate("t"));
            com.fasterxml.jackson.databind.JsonNode a = Fixtures.load(e[0], "t", "1\ta\t1\n", "enable_merge_commit",
                    "true", "merge_commit_interval_ms", "100", "merge_commit_parallel", "1", "label", "old");
            assertEquals("old", a.get("Label").asText(), "an older server loads plainly under the label: " + a);
        } finally {
            e[0].close();
        }
        run(e, "--fe-port", "0", "--be-port", "0", "--user", Fixtures.USER, "--password", Fixtures.PASSWORD,
                "--dialect", "doris", "--group-commit-interval-ms", "50");
        try {
            e[0].createTable(Fixtures.duplicate("t"));
            com.fasterxml.jackson.databind.JsonNode a = Fixtures.load(e[0], "t", "1\ta\t1\n", "group_commit",
                    "sync_mode");
            assertTrue(a.get("GroupCommit").asBoolean(), a::toString);
            assertTrue(a.get("LoadTimeMs").asLong() < 5_000, "a 50 ms window, not the default 10 s: " + a);
        } finally {
            e[0].close();
        }
        assertThrows(IllegalArgumentException.class, () -> run(e, "--group-commit-interval-ms", "0"));
    }
}
