package io.streamload.connect.txn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.streamload.connect.buffer.PartitionRange;

/**
 * What the connector means to do, or did, with one transaction: its label, table, the Kafka
 * offsets it carries, and how far it got. Written to the intent log before each step that a
 * crash could leave half done, so the next owner of the partitions can finish the job.
 *
 * @param connector the connector's name (one log may serve several connectors)
 * @param label the transaction's label
 * @param table the target table (plain or {@code db.table})
 * @param txnId the transaction id, -1 when not known
 * @param state how far the transaction got
 * @param ranges the offsets it carries, per partition
 * @param topicIds the Kafka topic id of each topic of {@code ranges} when the transaction began,
 *        as far as known: it tells which generation of a topic deleted and created again the
 *        offsets belong to. Empty in intents written by versions before it, and for a topic the
 *        intent log's cluster could not describe
 */
record Intent(String connector, String label, String table, long txnId, State state, List<PartitionRange> ranges,
              Map<String, String> topicIds) {

    /** How far a transaction got. */
    enum State {
        /** About to begin: it may exist in the target, unprepared; recovery rolls it back. */
        BEGUN,
        /** Prepared: its rows wait for commit; recovery commits it. */
        PREPARED,
        /** Committed: its rows are in the table; recovery skips its records. */
        COMMITTED,
        /** Rolled back or refused: its records are loaded again. */
        ABORTED
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    Intent {
        ranges = List.copyOf(ranges);
        topicIds = Map.copyOf(topicIds);
    }

    Intent with(State next, long id) {
        return new Intent(connector, label, table, id, next, ranges, topicIds);
    }

    /** The log's key: one transaction of one connector. */
    String key() {
        return connector + "/" + label;
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("connector", connector);
        root.put("label", label);
        root.put("table", table);
        root.put("txnId", txnId);
        root.put("state", state.name());
        ArrayNode array = root.putArray("ranges");
        for (PartitionRange range : ranges) {
            ObjectNode node = array.addObject();
            node.put("topic", range.partition().topic());
            node.put("partition", range.partition().partition());
            node.put("first", range.firstOffset());
            node.put("last", range.lastOffset());
        }
        if (!topicIds.isEmpty()) {
            ObjectNode ids = root.putObject("topicIds");
            new TreeMap<>(topicIds).forEach(ids::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Intent fromJson(byte[] bytes) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        List<PartitionRange> ranges = new ArrayList<>();
        for (JsonNode node : root.path("ranges")) {
            ranges.add(new PartitionRange(new TopicPartition(node.path("topic").asText(), node.path("partition").asInt()),
                    node.path("first").asLong(), node.path("last").asLong()));
        }
        // Absent in intents of earlier versions: no id, recovered as before.
        Map<String, String> topicIds = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.path("topicIds").properties()) {
            if (field.getValue().isTextual() && !field.getValue().asText().isEmpty()) {
                topicIds.put(field.getKey(), field.getValue().asText());
            }
        }
        return new Intent(root.path("connector").asText(), root.path("label").asText(), root.path("table").asText(),
                root.path("txnId").asLong(-1), State.valueOf(root.path("state").asText()), ranges, topicIds);
    }
}
