package io.streamload.warnings.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The JSON shape of query results, shared by {@code show --json}, {@code loads --json} and the HTTP
 * service so that scripts see one format. Times are ISO-8601 UTC strings.
 */
public final class JsonViews {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonViews() {
    }

    public static ArrayNode warnings(List<WarningRow> rows) {
        ArrayNode array = MAPPER.createArrayNode();
        for (WarningRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("JobId", row.jobId());
            node.put("Label", row.label());
            node.put("ErrorMsgDetail", row.errorMsgDetail());
            node.put("id", row.id());
            node.put("db", row.database());
            node.put("table", row.table());
            node.put("topic", row.topic());
            putNullable(node, "partition", row.kafkaPartition() == null ? null : row.kafkaPartition().longValue());
            putNullable(node, "offset", row.kafkaOffset());
            node.put("errorMsg", row.errorMessage());
            node.put("rowExcerpt", row.rowExcerpt());
            node.put("createdAt", text(row.createdAt()));
        }
        return array;
    }

    public static ArrayNode loads(List<LoadJobRow> rows) {
        ArrayNode array = MAPPER.createArrayNode();
        for (LoadJobRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("id", row.id());
            node.put("label", row.label());
            node.put("txnId", row.transactionId());
            node.put("db", row.database());
            node.put("table", row.table());
            node.put("status", row.status());
            node.put("message", row.message());
            node.put("totalRows", row.totalRows());
            node.put("loadedRows", row.loadedRows());
            node.put("filteredRows", row.filteredRows());
            node.put("unselectedRows", row.unselectedRows());
            node.put("loadBytes", row.loadBytes());
            node.put("loadTimeMs", row.loadTimeMs());
            node.set("offsetRanges", offsetRanges(row.offsetRanges()));
            node.put("errorUrl", row.errorUrl());
            node.put("finishedAt", text(row.finishedAt()));
        }
        return array;
    }

    /**
     * {@code {since, until, bucketSeconds, buckets, truncated, landedStatuses, tables: [{db, table,
     * attempts, landedAttempts, loadedRows, filteredRows, rejectedRows, points: [{start, ...the same
     * sums}]}]}}: one entry per table with its totals, its spans in time order, empty spans left out.
     */
    public static ObjectNode timeline(Timeline timeline) {
        TimelineQuery query = timeline.query();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("since", text(query.since()));
        root.put("until", text(query.until()));
        root.put("bucketSeconds", query.bucketSeconds());
        root.put("buckets", query.buckets());
        root.put("truncated", timeline.truncated());
        ArrayNode landed = root.putArray("landedStatuses");
        WarningsReader.LANDED_STATUSES.forEach(landed::add);
        ArrayNode tables = root.putArray("tables");
        ObjectNode current = null;
        ArrayNode points = null;
        long[] totals = new long[5];
        for (TimelinePoint point : timeline.points()) {
            if (current == null || !current.get("db").asText().equals(point.database())
                    || !current.get("table").asText().equals(point.table())) {
                closeTable(current, totals, points);
                current = tables.addObject().put("db", point.database()).put("table", point.table());
                points = MAPPER.createArrayNode();
                totals = new long[5];
            }
            long[] sums = {point.attempts(), point.landedAttempts(), point.loadedRows(), point.filteredRows(),
                    point.rejectedRows()};
            putSums(points.addObject().put("start", text(query.bucketStart(point.bucket()))), sums);
            for (int i = 0; i < sums.length; i++) {
                totals[i] += sums[i];
            }
        }
        closeTable(current, totals, points);
        return root;
    }

    private static void closeTable(ObjectNode table, long[] totals, ArrayNode points) {
        if (table != null) {
            putSums(table, totals).set("points", points);
        }
    }

    private static ObjectNode putSums(ObjectNode node, long[] sums) {
        return node.put("attempts", sums[0]).put("landedAttempts", sums[1]).put("loadedRows", sums[2])
                .put("filteredRows", sums[3]).put("rejectedRows", sums[4]);
    }

    private static JsonNode offsetRanges(String stored) {
        if (stored == null || stored.isEmpty()) {
            return MAPPER.createArrayNode();
        }
        try {
            return MAPPER.readTree(stored);
        } catch (Exception e) {
            // Someone edited the column by hand: show it as it is rather than fail the listing.
            return MAPPER.getNodeFactory().textNode(stored);
        }
    }

    private static void putNullable(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
