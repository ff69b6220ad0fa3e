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

    @Test
    void aPasswordFileTheWorkerCannotReadIsAnErrorOnItsKey(@TempDir Path dir) throws Exception {
        Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
        props.put("load.errors.password.file", dir.resolve("missing").toString());
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.errors.password.file"), List.copyOf(errors.keySet()));
        String message = errors.get("load.errors.password.file").get(0);
        assertTrue(message.contains("'" + dir.resolve("missing") + "' cannot be read on the worker"), message);
        assertTrue(message.contains("the tasks load as usual but write nothing to the warnings store"), message);

        props.put("load.errors.password.file", dir.toString());
        assertEquals(List.of("load.errors.password.file"), List.copyOf(errors(props).keySet()), "a directory");

        Path file = Files.writeString(dir.resolve("password"), "s3cret\n");
        props.put("load.errors.password.file", file.toString());
        assertEquals(Map.of(), errors(props));

        props.put("load.errors.password.file", dir.resolve("missing").toString());
        props.put("load.errors.password", "given-directly");
        assertEquals(Map.of(), errors(props), "the file is not read when the password is given");

        props.remove("load.errors.password");
        props.remove("load.errors.url");
        assertEquals(Map.of(), errors(props), "no store, nothing to read");
    }

    @Test
    void aPasswordVariableTheWorkerLacksIsAnErrorOnItsKey() {
        Map<String, String> props = withStore("mysql://loader@mysql:3306/c1");
        props.put("load.errors.password.env", "STREAMLOAD_TEST_VARIABLE_NOBODY_SETS");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.errors.password.env"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.errors.password.env").get(0)
                .contains("STREAMLOAD_TEST_VARIABLE_NOBODY_SETS is not set on the worker"), errors.toString());

        props.put("load.errors.password.env", "PATH");
        assertEquals(Map.of(), errors(props));
    }
}
