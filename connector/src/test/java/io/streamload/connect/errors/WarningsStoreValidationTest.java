package io.streamload.connect.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.streamload.connect.StreamLoadSinkConnector;

/**
 * What {@code PUT /connector-plugins/.../config/validate} says about the warnings store settings:
 * connection options outside the allowlist, and a password source the validating worker cannot read.
 */
class WarningsStoreValidationTest {

    private static Map<String, String> withStore(String url) {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", StreamLoadSinkConnector.class.getName());
        props.put("topics", "orders");
        props.put("load.urls", "http://fe:8030");
        props.put("load.user", "root");
        props.put("load.database", "db");
        props.put("load.errors.url", url);
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigValue value : new StreamLoadSinkConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void aConnectionOptionOutsideTheAllowlistIsAnErrorOnTheUrlNamingIt() {
        for (String option : List.of("allowLoadLocalInfile=true", "allowLoadLocalInfileInPath=/",
                "autoDeserialize=true", "socketFactory=com.example.Evil", "queryInterceptors=com.example.Evil")) {
            Map<String, List<String>> errors = errors(withStore("mysql://loader:hunter2@mysql:3306/c1?" + option));
            assertEquals(List.of("load.errors.url"), List.copyOf(errors.keySet()), option);
            String message = errors.get("load.errors.url").get(0);
            String name = option.substring(0, option.indexOf('='));
            assertTrue(message.contains("the connection option '" + name + "' is not allowed"), message);
            assertTrue(message.contains("remove it from the URL"), message);
            assertFalse(message.contains("hunter2"), message);
        }
        assertEquals(Map.of(), errors(withStore("mysql://loader@mysql:3306/c1?sslMode=VERIFY_IDENTITY&connectTimeout=3000"
                + "&trustCertificateKeyStoreUrl=file:/etc/kafka/ca.p12&trustCertificateKeyStorePassword=s3cret")));
    }

    /** Runs {@code body} on a worker whose administrator set the system property {@code key} to {@code value}. */
    static void withWorkerProperty(String key, String value, ThrowingRunnable body) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aPasswordFileTheWorkerCannotReadIsAnErrorOnItsKey(@TempDir Path dir) throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        withWorkerProperty(SecretSources.SECRETS_DIR_PROPERTY, secrets.toString(), () -> {
            Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
            props.put("load.errors.password.file", secrets.resolve("missing").toString());
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of("load.errors.password.file"), List.copyOf(errors.keySet()));
            String message = errors.get("load.errors.password.file").get(0);
            assertTrue(message.contains("'" + secrets.resolve("missing") + "' is not a readable file under the "
                    + "directories this worker allows"), message);
            assertTrue(message.contains("the tasks load as usual but write nothing to the warnings store"), message);

            props.put("load.errors.password.file", secrets.toString());
            assertEquals(List.of("load.errors.password.file"), List.copyOf(errors(props).keySet()), "a directory");

            Path file = Files.writeString(secrets.resolve("password"), "s3cret\n");
            props.put("load.errors.password.file", file.toString());
            assertEquals(Map.of(), errors(props));

            props.put("load.errors.password.file", secrets.resolve("missing").toString());
            props.put("load.errors.password", "given-directly");
            assertEquals(Map.of(), errors(props), "the file is not read when the password is given");

            props.remove("load.errors.password");
            props.remove("load.errors.url");
            assertEquals(Map.of(), errors(props), "no store, nothing to read");
        });
    }

    @Test
    void aPasswordFileIsRefusedWhenTheAdministratorAllowedNoDirectory(@TempDir Path dir) throws Exception {
        assertEquals(null, System.getProperty(SecretSources.SECRETS_DIR_PROPERTY));
        assertEquals(null, System.getenv(SecretSources.SECRETS_DIR_ENV), "the test's environment allows nothing");
        Path file = Files.writeString(dir.resolve("password"), "s3cret");
        Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
        props.put("load.errors.password.file", file.toString());
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.errors.password.file"), List.copyOf(errors.keySet()));
        String message = errors.get("load.errors.password.file").get(0);
        assertTrue(message.startsWith("load.errors.password.file is not allowed on this worker"), message);
        assertTrue(message.contains("-Dstreamload.secrets.dir=") && message.contains("STREAMLOAD_SECRETS_DIR="), message);
        assertTrue(message.contains("load.errors.password through a Connect config provider"), message);
        assertFalse(message.contains("s3cret"), message);
    }

    /**
     * A file outside the allowed directory, however it is named (directly, with {@code ..}, through
     * a link in the directory, relatively), is refused with the same message whether it exists and
     * is readable or not: validation is no oracle for the worker's file system.
     */
    @Test
    void aPasswordFileOutsideTheAllowedDirectoryIsRefusedWithoutSayingWhetherItExists(@TempDir Path dir)
            throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Path outside = Files.writeString(dir.resolve("outside"), "cloud-key");
        Files.createSymbolicLink(secrets.resolve("link"), outside);
        Files.createSymbolicLink(secrets.resolve("dangling"), dir.resolve("missing"));
        Files.createSymbolicLink(secrets.resolve("up"), dir);
        withWorkerProperty(SecretSources.SECRETS_DIR_PROPERTY, secrets.toString(), () -> {
            Map<String, String> byName = new TreeMap<>();
            byName.put("existing", outside.toString());
            byName.put("missing", dir.resolve("missing").toString());
            byName.put("dot-dot", secrets + "/../outside");
            byName.put("dot-dot-missing", secrets + "/../missing");
            byName.put("link", secrets.resolve("link").toString());
            byName.put("dangling link", secrets.resolve("dangling").toString());
            byName.put("directory link", secrets.resolve("up").resolve("outside").toString());
            byName.put("directory link missing", secrets.resolve("up").resolve("missing").toString());
            byName.put("/etc/passwd", "/etc/passwd");
            byName.put("/etc/no-such-file", "/etc/no-such-file");
            byName.put("relative", "outside");
            for (Map.Entry<String, String> named : byName.entrySet()) {
                Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
                props.put("load.errors.password.file", named.getValue());
                Map<String, List<String>> errors = errors(props);
                assertEquals(List.of("load.errors.password.file"), List.copyOf(errors.keySet()), named.getKey());
                String message = errors.get("load.errors.password.file").get(0);
                assertEquals("load.errors.password.file 'F' is not a readable file under the directories this worker "
                        + "allows for password files (" + secrets + ", set by its administrator with "
                        + "-Dstreamload.secrets.dir or STREAMLOAD_SECRETS_DIR); links and '..' count where they lead. "
                        + "Put the file there, or have the administrator allow its directory. Or give the password "
                        + "with load.errors.password through a Connect config provider, e.g. "
                        + "${file:/etc/kafka/secrets/mysql.properties:password} with Kafka's FileConfigProvider "
                        + "restricted by its allowed.paths. Every worker that runs a task needs it; without it the "
                        + "tasks load as usual but write nothing to the warnings store",
                        message.replace("'" + named.getValue() + "'", "'F'"), named.getKey());
                assertFalse(message.contains("cloud-key"), named.getKey());
            }
        });
    }

    @Test
    void aPasswordVariableTheAdministratorDidNotAllowIsRefused() throws Exception {
        Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
        props.put("load.errors.password.env", "PATH");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.errors.password.env"), List.copyOf(errors.keySet()));
        String message = errors.get("load.errors.password.env").get(0);
        assertTrue(message.startsWith("load.errors.password.env 'PATH' is not allowed on this worker: its administrator "
                + "has not allowed any environment variable"), message);
        assertTrue(message.contains("-Dstreamload.secret.env.prefix=") && message.contains("STREAMLOAD_SECRET_ENV_PREFIX="),
                message);

        withWorkerProperty(SecretSources.ENV_PREFIX_PROPERTY, "STREAMLOAD_STORE_, MYSQL_PASSWORD", () -> {
            String set = errors(props).get("load.errors.password.env").get(0);
            String unset = errors(withVariable(props, "NO_SUCH_VARIABLE_ANYWHERE")).get("load.errors.password.env")
                    .get(0);
            assertTrue(set.contains("its name does not start with one of the prefixes its administrator allowed "
                    + "(STREAMLOAD_STORE_, MYSQL_PASSWORD)"), set);
            assertEquals(set.replace("'PATH'", "'X'"), unset.replace("'NO_SUCH_VARIABLE_ANYWHERE'", "'X'"),
                    "the refusal does not say whether the variable is set");
        });
    }

    private static Map<String, String> withVariable(Map<String, String> props, String variable) {
        Map<String, String> copy = new HashMap<>(props);
        copy.put("load.errors.password.env", variable);
        return copy;
    }

    @Test
    void aPasswordVariableTheWorkerLacksIsAnErrorOnItsKey() throws Exception {
        Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
        props.put("load.errors.password.env", "STREAMLOAD_TEST_VARIABLE_NOBODY_SETS");
        withWorkerProperty(SecretSources.ENV_PREFIX_PROPERTY, "STREAMLOAD_TEST_,PATH", () -> {
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of("load.errors.password.env"), List.copyOf(errors.keySet()));
            assertTrue(errors.get("load.errors.password.env").get(0)
                    .contains("STREAMLOAD_TEST_VARIABLE_NOBODY_SETS is not set on the worker"), errors.toString());

            props.put("load.errors.password.env", "PATH");
            assertEquals(Map.of(), errors(props));
        });
    }
}
