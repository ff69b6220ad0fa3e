package io.streamload.emulator.load;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.ValueConversionException;
import io.streamload.emulator.table.ValueConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Splits a load body into rows (CSV lines or JSON objects) and checks each against the table. */
public final class BodyParser {
    /** StarRocks keeps at most this many CSV error lines per load. */
    static final int MAX_CSV_ERROR_LINES = 50;
    /** Numbers are read exactly, as the targets parse JSON text: a DECIMAL(38,18) keeps every digit. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private BodyParser() {
    }

    public static ParsedBatch parse(TableDefinition table, LoadOptions options, byte[] body) throws LoadFailure {
        return parse(table, options, body, false);
    }

    /** @param jsonOpField see {@link ColumnMapping#ColumnMapping(TableDefinition, LoadOptions, boolean)} */
    public static ParsedBatch parse(TableDefinition table, LoadOptions options, byte[] body, boolean jsonOpField)
            throws LoadFailure {
        ColumnMapping mapping = new ColumnMapping(table, options, jsonOpField);
        RowBuilder builder = new RowBuilder(table, mapping, options);
        ParsedBatch batch = new ParsedBatch();
        if (options.format == LoadOptions.Format.CSV) {
            parseCsv(mapping, options, new String(body, StandardCharsets.UTF_8), builder, batch);
        } else {
            parseJson(mapping, options, body, builder, batch);
        }
        return batch;
    }

    private static void parseCsv(ColumnMapping mapping, LoadOptions options, String text, RowBuilder builder,
                                 ParsedBatch batch) {
        List<String> fields = mapping.sourceFields;
        String rd = options.rowDelimiter;
        String sep = options.columnSeparator;
        int start = 0;
        int csvErrors = 0;
        while (start < text.length()) {
            int end = text.indexOf(rd, start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            start = end < 0 ? text.length() : end + rd.length();
            if (line.isEmpty()) {
                continue;
            }
            String[] values = splitLiteral(line, sep);
            int before = batch.rejections.size();
            if (values.length != fields.size()) {
                batch.rejections.add(new ParsedBatch.Rejection("Target column count: " + fields.size()
                        + " doesn't match source value column count: " + values.length + ". Column separator: '"
                        + printable(sep) + "', Row delimiter: '" + printable(rd) + "'", line));
            } else {
                builder.build(new CsvRow(fields, values), batch);
            }
            if (batch.rejections.size() > before && ++csvErrors > MAX_CSV_ERROR_LINES) {
                // The row still counts as filtered; only its log line is dropped.
                ParsedBatch.Rejection last = batch.rejections.remove(batch.rejections.size() - 1);
                batch.rejections.add(new ParsedBatch.Rejection(last.reason(), null));
            }
        }
    }

    private static String printable(String s) {
        return s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String[] splitLiteral(String line, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = line.indexOf(sep, from)) >= 0) {
            out.add(line.substring(from, at));
            from = at + sep.length();
        }
        out.add(line.substring(from));
        return out.toArray(new String[0]);
    }

    private static void parseJson(ColumnMapping mapping, LoadOptions options, byte[] body, RowBuilder builder,
                                  ParsedBatch batch) throws LoadFailure {
        List<JsonNode> documents = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        if (options.readJsonByLine) {
            readByLine(body, documents, malformed);
        } else {
            try (JsonParser p = JSON.getFactory().createParser(body)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY || t.isScalarValue()) {
                        documents.add(JSON.readTree(p));
                    }
                }
            } catch (JsonProcessingException e) {
                // Recover per line, so one broken object filters one row, not the whole load.
                documents.clear();
                readByLine(body, documents, malformed);
            } catch (IOException e) {
                throw new LoadFailure(ErrorCode.INTERNAL_ERROR, "could not read the body: " + e.getMessage());
            }
        }
        for (String error : malformed) {
            batch.rejections.add(new ParsedBatch.Rejection("Failed to parse string to json. code=3, error=" + error, ""));
        }
        for (JsonNode doc : documents) {
            JsonNode root = options.jsonRoot == null ? doc : JsonPath.select(doc, options.jsonRoot);
            if (root == null || root.isMissingNode()) {
                batch.rejections.add(new ParsedBatch.Rejection("JSON root not found: " + options.jsonRoot, doc.toString()));
                continue;
            }
            if (root.isArray()) {
                if (!options.stripOuterArray) {
                    batch.rejections.add(new ParsedBatch.Rejection(
                            "JSON data is an array, strip_outer_array must be set true", root.toString()));
                    continue;
                }
                for (JsonNode element : root) {
                    addJsonRow(mapping, options, element, builder, batch);
                }
            } else {
                addJsonRow(mapping, options, root, builder, batch);
            }
        }
    }

    private static void readByLine(byte[] body, List<JsonNode> documents, List<String> malformed) {
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                documents.add(JSON.readTree(line));
            } catch (JsonParseException e) {
                malformed.add(firstLine(e.getOriginalMessage()));
            } catch (IOException e) {
                malformed.add(firstLine(e.getMessage()));
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void addJsonRow(ColumnMapping mapping, LoadOptions options, JsonNode node, RowBuilder builder,
                                   ParsedBatch batch) {
        if (!node.isObject()) {
            batch.rejections.add(new ParsedBatch.Rejection("The value is not a JSON object", node.toString()));
            return;
        }
        Map<String, JsonNode> fields = new HashMap<>();
        if (options.jsonPaths != null) {
            for (int i = 0; i < mapping.sourceFields.size(); i++) {
                JsonNode v = i < options.jsonPaths.size() ? JsonPath.select(node, options.jsonPaths.get(i)) : null;
                if (v != null && !v.isMissingNode()) {
                    fields.put(mapping.sourceFields.get(i).toLowerCase(Locale.ROOT), v);
                }
            }
        } else {
            node.fields().forEachRemaining(e -> fields.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        }
        builder.build(new JsonRow(fields, node), batch);
    }

    private static final class CsvRow implements SourceRow {
        private final Map<String, String> byName = new HashMap<>();
        private final String[] values;

        CsvRow(List<String> fields, String[] values) {
            this.values = values;
            for (int i = 0; i < fields.size(); i++) {
                byName.put(fields.get(i).toLowerCase(Locale.ROOT), values[i]);
            }
        }

        @Override
        public boolean has(String field) {
            return byName.containsKey(field);
        }

        @Override
        public boolean isNull(String field) {
            String v = byName.get(field);
            return v == null || v.equals("\\N");
        }

        @Override
        public Object convert(String field, Column column) throws ValueConversionException {
            return ValueConverter.fromText(column, byName.get(field));
        }

        @Override
        public String text(String field) {
            return byName.get(field);
        }

        @Override
        public String render() {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (String v : values) {
                j.add(v.equals("\\N") ? "NULL" : "'" + v + "'");
            }
            return j.toString();
        }
    }

    private static final class JsonRow implements SourceRow {
        private final Map<String, JsonNode> fields;
        private final JsonNode source;

        JsonRow(Map<String, JsonNode> fields, JsonNode source) {
            this.fields = fields;
            this.source = source;
        }

        @Override
        public boolean has(String field) {
            return fields.containsKey(field);
        }

        @Override
        public boolean isNull(String field) {
            JsonNode v = fields.get(field);
            return v == null || v.isNull();
        }

        @Override
        public Object convert(String field, Column column) throws ValueConversionException {
            return ValueConverter.fromJson(column, fields.get(field));
        }

        @Override
        public String text(String field) {
            JsonNode v = fields.get(field);
            return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
        }

        @Override
        public String render() {
            return source.toString();
        }
    }
}
