package io.streamload.connect.dialect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.config.Separators;

/**
 * StarRocks' Stream Load: {@code PUT /api/{db}/{table}/_stream_load}, replies with
 * {@code Status}/{@code Message}/{@code ExistingJobStatus}, label state at
 * {@code GET /api/{db}/get_load_state?label=}. JSON bodies are sent as one array with
 * {@code strip_outer_array: true}, the form every StarRocks version reads.
 */
public final class StarRocksDialect implements StreamLoadDialect {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEFAULT_COLUMN_SEPARATOR = "\t";
    private static final String DEFAULT_ROW_DELIMITER = "\n";

    @Override
    public String name() {
        return "StarRocks";
    }

    @Override
    public String streamLoadPath(String database, String table) {
        return "/api/" + encodePathSegment(database) + "/" + encodePathSegment(table) + "/_stream_load";
    }

    @Override
    public String loadStatePath(String database, String label) {
        return "/api/" + encodePathSegment(database) + "/get_load_state?label="
                + URLEncoder.encode(label, StandardCharsets.UTF_8);
    }

    @Override
    public String labelHeader() {
        return "label";
    }

    @Override
    public Map<String, String> formatHeaders(String format, String columnSeparator, String rowDelimiter) {
        Map<String, String> headers = new LinkedHashMap<>();
        if ("json".equals(format)) {
            headers.put("format", "json");
            headers.put("strip_outer_array", "true");
        } else {
            headers.put("format", "csv");
            // Sent only when not the default, in the hex form for anything a header cannot carry.
            if (!DEFAULT_COLUMN_SEPARATOR.equals(columnSeparator)) {
                headers.put("column_separator", Separators.toHeaderValue(columnSeparator));
            }
            if (!DEFAULT_ROW_DELIMITER.equals(rowDelimiter)) {
                headers.put("row_delimiter", Separators.toHeaderValue(rowDelimiter));
            }
        }
        return headers;
    }

    @Override
    public BodyFraming framing(String format, String rowDelimiter) {
        return "json".equals(format) ? BodyFraming.of("[", ",", "]") : BodyFraming.delimited(rowDelimiter);
    }

    @Override
    public Optional<LoadReply> parseLoadReply(String body) {
        JsonNode root = parseObject(body);
        if (root == null) {
            return Optional.empty();
        }
        String rawStatus = text(root, "Status", "status");
        if (rawStatus == null) {
            return Optional.empty();
        }
        return Optional.of(new LoadReply(status(rawStatus), rawStatus, text(root, "Message", "msg"),
                text(root, "ExistingJobStatus", "existing_job_status"), number(root, "TxnId"),
                number(root, "NumberLoadedRows"), number(root, "NumberFilteredRows"),
                number(root, "NumberUnselectedRows"), number(root, "LoadBytes"), text(root, "ErrorURL", "error_url")));
    }

    @Override
    public Optional<LabelState> parseLabelState(String body) {
        JsonNode root = parseObject(body);
        if (root == null) {
            return Optional.empty();
        }
        return LabelState.parse(text(root, "state", "State"));
    }

    static LoadStatus status(String rawStatus) {
        return switch (rawStatus.trim().toLowerCase(Locale.ROOT)) {
            case "success" -> LoadStatus.SUCCESS;
            case "publish timeout" -> LoadStatus.PUBLISH_TIMEOUT;
            case "label already exists" -> LoadStatus.LABEL_ALREADY_EXISTS;
            case "fail", "failed" -> LoadStatus.FAIL;
            default -> LoadStatus.UNRECOGNISED;
        };
    }

    private static JsonNode parseObject(String body) {
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

    private static String text(JsonNode root, String... names) {
        for (String name : names) {
            JsonNode node = root.get(name);
            if (node != null && !node.isNull()) {
                return node.asText();
            }
        }
        return null;
    }

    private static long number(JsonNode root, String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? -1 : node.asLong(-1);
    }

    static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
