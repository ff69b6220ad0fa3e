package io.streamload.connect.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading the JSON bodies both targets answer with, tolerant of what they vary: field case
 * ({@code Status} on a BE, {@code status} on a Doris FE), numbers sent as strings, absent fields.
 */
final class ReplyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReplyJson() {
    }

    /** The body as a JSON object, or null when it is not one (a proxy's HTML page, an empty body). */
    static JsonNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode root = MAPPER.readTree(body);
            return root != null && root.isObject() ? root : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The first of {@code names} present as a non-null value, as text; null if none is. */
    static String text(JsonNode root, String... names) {
        for (String name : names) {
            JsonNode node = root.get(name);
            if (node != null && !node.isNull()) {
                return node.isValueNode() ? node.asText() : node.toString();
            }
        }
        return null;
    }

    /** A number field, -1 when absent or not a number. */
    static long number(JsonNode root, String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? -1 : node.asLong(-1);
    }

    /** The standard reply of a Stream Load, read with the field names both targets use. */
    static LoadReply loadReply(JsonNode root, LoadStatus status, String rawStatus, String message) {
        return new LoadReply(status, rawStatus, message,
                text(root, "ExistingJobStatus", "existing_job_status"), number(root, "TxnId"),
                number(root, "NumberLoadedRows"), number(root, "NumberFilteredRows"),
                number(root, "NumberUnselectedRows"), number(root, "LoadBytes"), text(root, "ErrorURL", "error_url"),
                text(root, "Label"), root.has("RequestId") || "true".equalsIgnoreCase(text(root, "GroupCommit")));
    }
}
