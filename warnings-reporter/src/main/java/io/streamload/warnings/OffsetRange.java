package io.streamload.warnings;

/** The Kafka offsets one load carried from one partition, both ends inclusive. */
public record OffsetRange(String topic, int partition, long firstOffset, long lastOffset) {
}
