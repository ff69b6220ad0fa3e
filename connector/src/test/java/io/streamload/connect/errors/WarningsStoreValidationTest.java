package io.streamload.connect.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.streamload.connect.StreamLoadSinkConnector;

/**
 * What {@code PUT /connector-plugins/.../config/validate} says about the warnings store settings:
 * connection options outside the allowlist.
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
}
