package io.streamload.warnings.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One record of the dead letter queue topic: the original key and value bytes as the connector
 * received them, and Connect's {@code __connect.errors.*} headers saying where it came from and why.
 */
public record DlqRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                        Map<String, String> headers) {
    public static final String ORIGINAL_TOPIC = "__connect.errors.topic";
    public static final String ORIGINAL_PARTITION = "__connect.errors.partition";
    public static final String ORIGINAL_OFFSET = "__connect.errors.offset";
    public static final String EXCEPTION_MESSAGE = "__connect.errors.exception.message";
    public static final String EXCEPTION_CLASS = "__connect.errors.exception.class.name";
    public static final String CONNECTOR = "__connect.errors.connector.name";

    public DlqRecord {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The value as text (UTF-8, undecodable bytes replaced), or null for a tombstone. */
    public String valueText() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
}
