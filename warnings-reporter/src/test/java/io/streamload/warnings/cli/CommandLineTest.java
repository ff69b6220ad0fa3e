package io.streamload.warnings.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line itself, without a store: typed options and their errors, what is echoed, and
 * the completion script in a real bash.
 */
class CommandLineTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WarningsReporterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, new CountDownLatch(0));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsAreTypedAndErrorsNameTheOption() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("loads --limit x", "error: --limit must be a positive whole number, got 'x'");
        cases.put("loads --limit=0", "error: --limit must be a positive whole number, got '0'");
        cases.put("serve --port 70000", "error: --port must be 0..65535, got '70000'");
        cases.put("dlq show --bootstrap-servers h:1 --topic t --timeout 0s", "error: --timeout must be positive, got '0s'");
        cases.put("dlq show --bootstrap-servers h:1 --topic t --timeout soon",
                "error: --timeout 'soon' is not a duration such as 7d, 12h, 30m, 45s or P7D");
        cases.put("dlq show --topic t", "error: --bootstrap-servers is required");
        cases.put("show --url", "error: --url needs a value");
        cases.put("loads --lable=x", "error: unknown option --lable");
        cases.put("loads extra", "error: unexpected argument 'extra'");
        cases.put("dlq", "error: dlq needs a subcommand: show, backfill or replay");
        cases.put("dlq frob", "error: unknown command 'frob'; dlq has show, backfill, replay");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Run result = run(Map.of(), c.getKey().split(" "));
            assertEquals(2, result.exitCode(), c.getKey() + ": " + result.err());
            assertTrue(result.err().startsWith(c.getValue() + System.lineSeparator()), c.getKey() + ": " + result.err());
            assertTrue(result.err().contains("see: warnings-reporter " + c.getKey().split(" ")[0]), result.err());
            assertEquals("", result.out(), c.getKey());
        }
        Run typo = run(Map.of(), "loads", "--lable", "x");
        assertTrue(typo.err().contains("did you mean --label?"), typo.err());
        // Both forms of an option's value, options after the statement, a negative number in it.
        Run forms = run(Map.of(), "show", "SHOW", "LOAD", "WARNINGS", "WHERE", "LOAD_JOB_ID", "=", "-1",
                "--url=mysql://u:topsecret@127.0.0.1:1/c1?connectTimeout=2000");
        assertEquals(1, forms.exitCode(), forms.err());
        assertTrue(forms.err().startsWith("error: the warnings store failed"), forms.err());
        // An option given twice: the last counts, and the other connection options stay.
        Run twice = run(Map.of(), "loads", "--url", "mysql://u@127.0.0.1:1/c1?allowLoadLocalInfile=true",
                "--url", "mysql://u@127.0.0.1:1/c1?connectTimeout=2000");
        assertEquals(1, twice.exitCode(), twice.err());
        Run kept = run(Map.of(), "loads", "--config", "/no/such/reporter.properties", "--url", "mysql://u@h/c1",
                "--url", "mysql://u@h/c2");
        assertEquals(2, kept.exitCode(), kept.err());
        assertTrue(kept.err().startsWith("error: cannot read the config file /no/such/reporter.properties"), kept.err());
        // "@file" is a value, not an argument file to expand.
        Run at = run(Map.of("LOAD_ERRORS_URL", "mysql://u@127.0.0.1:1/c1?connectTimeout=2000"), "loads", "--label", "@x");
        assertEquals(1, at.exitCode(), at.err());
    }

    @Test
    void argumentsEchoedInErrorsHaveTheirPasswordsMasked() {
        Run misplaced = run(Map.of(), "loads", "mysql://loader:topsecret@db:3306/c1");
        assertEquals(2, misplaced.exitCode());
        assertTrue(misplaced.err().contains("unexpected argument 'mysql://loader:****@db:3306/c1'"), misplaced.err());
        Run statement = run(Map.of(), "show", "mysql://loader:topsecret@db/c1?trustCertificateKeyStorePassword=alsosecret");
        assertEquals(2, statement.exitCode());
        assertTrue(statement.err().contains("mysql://loader:****@db/c1?trustCertificateKeyStorePassword=****"),
                statement.err());
        for (Run run : List.of(misplaced, statement)) {
            assertFalse(run.err().contains("topsecret") || run.err().contains("alsosecret"), run.err());
        }
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash(@TempDir Path dir) throws Exception {
        Run completion = run(Map.of(), "completion");
        assertEquals(0, completion.exitCode(), completion.err());
        assertTrue(completion.out().contains("complete -F"), completion.out());
        Path script = Files.writeString(dir.resolve("warnings-reporter.bash"), completion.out());
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");

        assertEquals(List.of("dlq"), complete(script, "warnings-reporter d"));
        assertEquals(List.of("backfill", "replay", "show"), sorted(complete(script, "warnings-reporter dlq ")));
        assertEquals(List.of("--to-topic", "--topic"), sorted(complete(script, "warnings-reporter dlq replay --to")));
        assertEquals(List.of("--label", "--limit"), sorted(complete(script, "warnings-reporter loads --l")));
        assertTrue(complete(script, "warnings-reporter show --").contains("--password-file"));
        // A FILE option completes file names.
        Files.writeString(dir.resolve("reporter.properties"), "");
        assertEquals(List.of(dir.resolve("reporter.properties").toString()),
                complete(script, "warnings-reporter show --config " + dir.resolve("rep")));
    }

    private static List<String> sorted(List<String> words) {
        return words.stream().sorted().toList();
    }

    /**
     * What bash offers for {@code line} (the cursor at its end) with the completion script loaded: the
     * script's function called as bash's {@code complete -F} calls it (outside a real completion,
     * {@code compopt} complains on stderr, which is dropped).
     */
    private static List<String> complete(Path script, String line) throws Exception {
        String program = "source \"$1\"\n"
                + "COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}\n"
                + "read -r -a COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "if [[ \"$COMP_LINE\" == *' ' ]]; then COMP_WORDS+=(''); fi\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_warnings-reporter warnings-reporter \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("/bin/bash", "-c", program, "bash", script.toString(), line)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        assertEquals(0, bash.exitValue(), output);
        return output.lines().map(String::strip).filter(word -> !word.isEmpty()).toList();
    }
}
