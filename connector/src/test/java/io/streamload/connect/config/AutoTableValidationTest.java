package io.streamload.connect.config;

import static io.streamload.connect.config.ConnectorValidationTest.errors;
import static io.streamload.connect.config.ConnectorValidationTest.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** validate refuses auto.create / auto.evolve with settings they cannot work with, on the field to change. */
class AutoTableValidationTest {

    private static Map<String, List<String>> errorsWith(String... keyValues) {
        Map<String, String> props = minimal();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return errors(props);
    }

    @Test
    void autoTablesAloneAreValid() {
        assertEquals(Map.of(), errorsWith("auto.create", "true", "auto.evolve", "true",
                "auto.create.properties", "replication_num=1", "auto.create.buckets", "8"));
    }

    @Test
    void passthroughIsRefusedOnItsField() {
        Map<String, List<String>> errors = errorsWith("auto.evolve", "true", "value.passthrough", "true");
        assertEquals(List.of("value.passthrough"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("value.passthrough").get(0).contains("auto.evolve read each record's schema"),
                errors.toString());
    }

    @Test
    void csvIsRefused() {
        Map<String, List<String>> errors = errorsWith("auto.create", "true", "format", "csv");
        assertTrue(errors.get("auto.create").get(0).contains("format=csv"), errors.toString());
    }

    @Test
    void fixedColumnListsAreRefused() {
        Map<String, List<String>> columns = errorsWith("auto.create", "true", "auto.evolve", "true",
                "load.properties.columns", "id,name");
        assertTrue(columns.get("auto.create").get(0).contains("'columns'"), columns.toString());
        Map<String, List<String>> jsonpaths = errorsWith("auto.evolve", "true", "load.properties.jsonpaths", "[\"$.id\"]");
        assertTrue(jsonpaths.get("auto.evolve").get(0).contains("'jsonpaths'"), jsonpaths.toString());
        Map<String, List<String>> partial = errorsWith("auto.evolve", "true", "partial.update", "true",
                "partial.update.columns", "id,name");
        assertTrue(partial.get("auto.evolve").stream().anyMatch(e -> e.contains("partial.update.columns")),
                partial.toString());
    }

    @Test
    void aPropertyThatIsNotKeyValueIsRefused() {
        Map<String, List<String>> errors = errorsWith("auto.create", "true", "auto.create.properties", "replication_num");
        assertTrue(errors.get("auto.create.properties").get(0).contains("key=value"), errors.toString());
    }

    @Test
    void ddlTlsOverridesThatAgreeAreValid() {
        assertEquals(Map.of(), errorsWith("auto.create", "true", "ddl.ssl.mode", "verify_ca",
                "ddl.ssl.truststore.location", "/etc/kafka/mysql-trust.p12", "ddl.ssl.truststore.password", "x",
                "ddl.ssl.truststore.type", "jks", "ddl.ssl.keystore.location", "/etc/kafka/mysql-key.p12"));
        assertEquals(Map.of(), errorsWith("ddl.ssl.mode", "REQUIRED"));
    }

    @Test
    void ddlTlsOverridesThatContradictAreRefusedOnTheFieldToChange() {
        assertTrue(errorsWith("ddl.ssl.mode", "preferred").get("ddl.ssl.mode").get(0).contains("VERIFY_IDENTITY"),
                "PREFERRED would fall back to plain text silently");
        Map<String, List<String>> disabled = errorsWith("ddl.ssl.mode", "disabled",
                "ddl.ssl.truststore.location", "/etc/kafka/mysql-trust.p12");
        assertTrue(disabled.get("ddl.ssl.mode").get(0).contains("would never be read"), disabled.toString());
        Map<String, List<String>> required = errorsWith("ddl.ssl.mode", "required",
                "ddl.ssl.truststore.location", "/etc/kafka/mysql-trust.p12");
        assertTrue(required.get("ddl.ssl.mode").get(0).contains("VERIFY_CA"), required.toString());
        Map<String, List<String>> password = errorsWith("ddl.ssl.keystore.password", "x");
        assertTrue(password.get("ddl.ssl.keystore.password").get(0).contains("ddl.ssl.keystore.location"),
                password.toString());
        Map<String, List<String>> type = errorsWith("ddl.ssl.truststore.type", "PEM",
                "ddl.ssl.truststore.location", "/etc/kafka/ca.pem", "ddl.ssl.mode", "VERIFY_CA");
        assertTrue(type.get("ddl.ssl.truststore.type").get(0).contains("PKCS12 or JKS"), type.toString());
    }
}
