package io.streamload.connect.txn;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A reply of a transaction call: StarRocks' {@code /api/transaction/*} ({@code Status},
 * {@code Message}, {@code TxnId}, ...) or Doris' {@code _stream_load_2pc} ({@code status},
 * {@code msg}). Keys are read without regard to case.
 *
 * @param status the status word, upper case ({@code OK}, {@code SUCCESS}, {@code FAILED},
 *        {@code LABEL_ALREADY_EXISTS}, {@code TXN_NOT_EXISTS}, ...), empty when the body is not JSON
 * @param message the message, empty when none
 * @param txnId the transaction id, -1 when none
 * @param existingJobStatus with LABEL_ALREADY_EXISTS, the existing job's status; else empty
 * @param filteredRows rows filtered, 0 when not said
 * @param errorUrl the error log, or null
 */
record TxnReply(String status, String message, long txnId, String existingJobStatus, long filteredRows,
                String errorUrl) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TxnReply parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return new TxnReply("", body == null ? "" : body.strip(), -1, "", 0, null);
        }
        if (root == null || !root.isObject()) {
            return new TxnReply("", body.strip(), -1, "", 0, null);
        }
        return new TxnReply(text(root, "status").toUpperCase(Locale.ROOT).replace(' ', '_'),
                text(root, "message").isEmpty() ? text(root, "msg") : text(root, "message"),
                number(root, "txnid"), text(root, "existingjobstatus").toUpperCase(Locale.ROOT),
                Math.max(0, number(root, "numberfilteredrows")), text(root, "errorurl").isEmpty() ? null
                        : text(root, "errorurl"));
    }

    boolean ok() {
        return status.equals("OK") || status.equals("SUCCESS");
    }

    boolean messageContains(String text) {
        return message.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }

    private static JsonNode field(JsonNode root, String lowerName) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode root, String lowerName) {
        JsonNode node = field(root, lowerName);
        return node == null || node.isNull() ? "" : node.asText();
    }

    private static long number(JsonNode root, String lowerName) {
        JsonNode node = field(root, lowerName);
        return node == null || node.isNull() ? -1 : node.asLong(-1);
    }
}
