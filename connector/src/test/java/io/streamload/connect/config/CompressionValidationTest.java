package io.streamload.connect.config;

import static io.streamload.connect.config.ConnectorValidationTest.errors;
import static io.streamload.connect.config.ConnectorValidationTest.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code load.compression} through the connector's validate(): each target, format and delivery
 * guarantee accepts the codecs its servers read, and a refusal names the field and what is
 * accepted instead.
 */
class CompressionValidationTest {

    private static Map<String, List<String>> errorsOf(String... keyValues) {
        Map<String, String> props = minimal();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        if ("exactly_once".equals(props.get("delivery.guarantee"))) {
            props.put("exactly.once.log.bootstrap.servers", "broker:9092");
        }
        return errors(props);
    }

    @Test
    void everyTargetAndFormatTakesTheCodecsItsServersRead() {
        for (String codec : List.of("none", "gzip", "lz4_frame", "zstd", "GZIP")) {
            for (String format : List.of("json", "csv")) {
                assertEquals(Map.of(), errorsOf("target", "starrocks", "format", format, "load.compression", codec),
                        "starrocks " + format + " " + codec);
                assertEquals(Map.of(), errorsOf("target", "starrocks", "format", format, "load.compression", codec,
                        "delivery.guarantee", "exactly_once"), "starrocks exactly_once " + format + " " + codec);
            }
        }
        for (String codec : List.of("none", "gzip", "lz4_frame")) {
            for (String format : List.of("json", "csv")) {
                for (String guarantee : List.of("at_least_once", "exactly_once")) {
                    assertEquals(Map.of(), errorsOf("target", "doris", "format", format, "load.compression", codec,
                            "delivery.guarantee", guarantee), "doris " + format + " " + codec + " " + guarantee);
                }
            }
        }
    }

    @Test
    void dorisRefusesZstdNamingWhatItAccepts() {
        for (String format : List.of("json", "csv")) {
            Map<String, List<String>> errors = errorsOf("target", "doris", "format", format, "load.compression", "zstd");
            assertEquals(List.of("load.compression"), List.copyOf(errors.keySet()), format);
            String message = errors.get("load.compression").get(0);
            assertTrue(message.startsWith("load.compression=zstd cannot be used with target=doris, format=" + format
                    + ": "), message);
            assertTrue(message.endsWith("Accepted here: none, gzip, lz4_frame"), message);
        }
    }

    @Test
    void anUnknownCodecIsRefusedOnTheField() {
        Map<String, List<String>> errors = errorsOf("load.compression", "brotli");
        assertEquals(List.of("load.compression"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.compression").get(0).contains("none, gzip, lz4_frame, zstd"), errors.toString());
    }

    @Test
    void theLevelMustFitTheCodec() {
        assertEquals(Map.of(), errorsOf("load.compression", "gzip", "load.compression.level", "9"));
        assertEquals(Map.of(), errorsOf("load.compression", "zstd", "load.compression.level", "19"));

        Map<String, List<String>> tooHigh = errorsOf("load.compression", "gzip", "load.compression.level", "10");
        assertEquals(Map.of("load.compression.level", List.of("load.compression.level is 10, but gzip takes levels 1 "
                + "to 9")), tooHigh);
        Map<String, List<String>> noLevels = errorsOf("load.compression", "lz4_frame", "load.compression.level", "3");
        assertEquals(Map.of("load.compression.level", List.of("load.compression.level is 3, but "
                + "load.compression=lz4_frame has no levels; remove load.compression.level")), noLevels);
        assertEquals(List.of("load.compression.level"),
                List.copyOf(errorsOf("load.compression.level", "1").keySet()), "none has no levels");
    }

    @Test
    void compressionHeadersInLoadPropertiesAreRefusedPointingToTheSetting() {
        for (String key : List.of("load.properties.compression", "sink.properties.compression",
                "load.properties.Content-Encoding", "load.properties.compress_type")) {
            Map<String, List<String>> errors = errorsOf(key, "gzip");
            assertEquals(List.of(key), List.copyOf(errors.keySet()), key);
            assertTrue(errors.get(key).get(0).contains("set load.compression (none, gzip, lz4_frame or zstd) "
                    + "instead"), errors.toString());
        }
    }
}
