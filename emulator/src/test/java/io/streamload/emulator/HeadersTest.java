package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data headers of a stream load, each checked by what ends up in the table. */
class HeadersTest {
    private StreamLoadEmulator e;

    @BeforeEach
    void start() {
        e = Fixtures.start(Dialect.STARROCKS);
        e.createTable(Fixtures.duplicate("dup"));
        e.createTable(Fixtures.primary("pk"));
    }

    @AfterEach
    void stop() {
        e.close();
    }

    /** Rows as {id, name, score} lists in the table's stable order. */
    private List<List<Object>> rows(String table) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> r : e.rows(DB, table)) {
            out.add(Arrays.asList(r.get("id"), r.get("name"), r.get("score")));
        }
        return out;
    }

    private static List<Object> row(Object... values) {
        return Arrays.asList(values);
    }

    private static void assertSuccess(JsonNode reply) {
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
    }

    @Test
    void labelIsUsedAndReported() {
        JsonNode reply = Fixtures.load(e, "dup", "1\ta\t1\n", "label", "my-label_01");

        assertSuccess(reply);
        assertEquals("my-label_01", reply.get("Label").asText());
        assertEquals("VISIBLE", e.labelState(DB, "my-label_01"));
    }

    @Test
    void missingLabelIsGenerated() {
        JsonNode reply = Fixtures.load(e, "dup", "1\ta\t1\n");

        assertSuccess(reply);
        String label = reply.get("Label").asText();
        assertFalse(label.isBlank());
        assertEquals("VISIBLE", e.labelState(DB, label));
    }

    @Test
    void invalidLabelFails() {
        JsonNode reply = Fixtures.load(e, "dup", "1\ta\t1\n", "label", "bad label!");

        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void csvIsTheDefaultFormatWithTabAndNewline() {
        assertSuccess(Fixtures.load(e, "dup", "1\ta\t10\n2\tb\t20"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows("dup"));
    }

    @Test
    void explicitCsvFormatWithColumnSeparator() {
        assertSuccess(Fixtures.load(e, "dup", "1,a,10\n", "format", "csv", "column_separator", ","));
        assertEquals(List.of(row(1L, "a", 10L)), rows("dup"));
    }

    @Test
    void multiCharacterSeparators() {
        assertSuccess(Fixtures.load(e, "dup", "1||a||10<EOL>2||b||20<EOL>", "column_separator", "||",
                "row_delimiter", "<EOL>"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows("dup"));
    }

    @Test
    void hexSeparatorsAndDelimiters() {
        assertSuccess(Fixtures.load(e, "dup", "1\u0001a\u000110\u00022\u0001b\u000120\u0002",
                "column_separator", "\\x01", "row_delimiter", "\\x02"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", 20L)), rows("dup"));
    }

    @Test
    void jsonFormat() {
        assertSuccess(Fixtures.load(e, "dup", "{\"id\":1,\"name\":\"a\",\"score\":10}\n{\"id\":2,\"name\":\"b\"}",
                "format", "json"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", null)), rows("dup"));
    }

    @Test
    void unknownFormatFails() {
        JsonNode reply = Fixtures.load(e, "dup", "1\ta\t1\n", "format", "xml");
        assertEquals("Fail", reply.get("Status").asText());
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void columnsReorderAndMapSourceFields() {
        assertSuccess(Fixtures.load(e, "dup", "a,10,1\n", "column_separator", ",", "columns", "name,score,id"));
        assertSuccess(Fixtures.load(e, "dup", "2,b\n", "column_separator", ",", "columns", "src_id,src_name,id=src_id,name=src_name"));
        assertEquals(List.of(row(1L, "a", 10L), row(2L, "b", null)), rows("dup"));
    }

    @Test
    void columnsNamingAnUnknownColumnFails() {
        JsonNode reply = Fixtures.load(e, "dup", "1,a\n", "column_separator", ",", "columns", "id,nope");
        assertEquals("Fail", reply.get("Status").asText());
        assertTrue(reply.get("Message").asText().contains("nope"), reply::toString);
    }

    @Test
    void opColumnUpsertsAndDeletesOnAPrimaryKeyTableInRowOrder() {
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n2,b,2\n3,c,3\n"));
        JsonNode reply = Fixtures.loadCsv(e, "pk", "1,A,10,0\n2,,,1\n4,d,4,0\n4,,,1\n5,x,5,1\n5,y,6,0\n",
                "columns", "id,name,score,__op");

        assertSuccess(reply);
        assertEquals(List.of(row(1L, "A", 10L), row(3L, "c", 3L), row(5L, "y", 6L)), rows("pk"));
    }

    @Test
    void opLiteralDeletesTheWholeLoad() {
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n2,b,2\n3,c,3\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1\n3\n", "columns", "id,__op='delete'"));
        assertEquals(List.of(row(2L, "b", 2L)), rows("pk"));
    }

    @Test
    void primaryKeyTableWithoutOpUpserts() {
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n1,b,2\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,c,3\n"));
        assertEquals(List.of(row(1L, "c", 3L)), rows("pk"));
    }

    @Test
    void opOnADuplicateKeyTableFails() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,a,1,1\n", "columns", "id,name,score,__op");
        assertEquals("Fail", reply.get("Status").asText());
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void jsonpathsPickFieldsForTheColumns() {
        assertSuccess(Fixtures.load(e, "dup", "{\"k\":{\"id\":1},\"n\":\"a\",\"other\":5}",
                "format", "json", "jsonpaths", "[\"$.k.id\",\"$.n\"]", "columns", "id,name"));
        assertEquals(List.of(row(1L, "a", null)), rows("dup"));
    }

    @Test
    void stripOuterArrayLoadsEachElement() {
        assertSuccess(Fixtures.load(e, "dup", "[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"}]",
                "format", "json", "strip_outer_array", "true"));
        assertEquals(List.of(row(1L, "a", null), row(2L, "b", null)), rows("dup"));
    }

    @Test
    void anArrayBodyWithoutStripOuterArrayFails() {
        JsonNode reply = Fixtures.load(e, "dup", "[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"}]", "format", "json");
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void jsonRootSelectsTheRows() {
        assertSuccess(Fixtures.load(e, "dup", "{\"meta\":1,\"data\":{\"rows\":[{\"id\":1,\"name\":\"a\"},{\"id\":2}]}}",
                "format", "json", "json_root", "$.data.rows", "strip_outer_array", "true"));
        assertEquals(List.of(row(1L, "a", null), row(2L, null, null)), rows("dup"));
    }

    @Test
    void partialUpdateKeepsTheColumnsNotLoaded() {
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,a,1\n2,b,2\n"));
        assertSuccess(Fixtures.loadCsv(e, "pk", "1,100\n", "columns", "id,score", "partial_update", "true"));
        assertEquals(List.of(row(1L, "a", 100L), row(2L, "b", 2L)), rows("pk"));

        assertSuccess(Fixtures.loadCsv(e, "pk", "2,200\n", "columns", "id,score"));
        assertEquals(row(2L, null, 200L), rows("pk").get(1), "without partial_update a row is replaced whole");
    }

    @Test
    void partialUpdateOnADuplicateKeyTableFails() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,100\n", "columns", "id,score", "partial_update", "true");
        assertEquals("Fail", reply.get("Status").asText());
        assertEquals("Only primary key table support partial update", reply.get("Message").asText());
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] lz4(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream z = new LZ4FrameOutputStream(out)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private JsonNode loadBytes(byte[] body, String... headers) {
        RawHttp.Response r = Fixtures.streamLoad(e, "dup").headers(headers).body(body).go();
        assertEquals(200, r.status());
        return r.json();
    }

    @Test
    void gzipViaCompressionHeader() throws IOException {
        JsonNode reply = loadBytes(gzip("1\ta\t1\n2\tb\t2\n"), "compression", "gzip");
        assertSuccess(reply);
        assertEquals(2, e.rowCount(DB, "dup"));
    }

    @Test
    void lz4FrameViaCompressionHeader() throws IOException {
        assertSuccess(loadBytes(lz4("1\ta\t1\n2\tb\t2\n"), "compression", "lz4_frame"));
        assertEquals(2, e.rowCount(DB, "dup"));
    }

    @Test
    void gzipViaContentEncoding() throws IOException {
        assertSuccess(loadBytes(gzip("{\"id\":1}\n{\"id\":2}"), "Content-Encoding", "gzip", "format", "json"));
        assertEquals(2, e.rowCount(DB, "dup"));
    }

    @Test
    void lz4FrameViaContentEncoding() throws IOException {
        assertSuccess(loadBytes(lz4("1\ta\t1\n"), "Content-Encoding", "lz4_frame"));
        assertEquals(1, e.rowCount(DB, "dup"));
    }

    @Test
    void compressionAndContentEncodingTogetherFail() throws IOException {
        JsonNode reply = loadBytes(gzip("1\ta\t1\n"), "compression", "gzip", "Content-Encoding", "gzip");
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void aBodyThatIsNotWhatCompressionSaysFails() {
        JsonNode reply = loadBytes("1\ta\t1\n".getBytes(StandardCharsets.UTF_8), "compression", "gzip");
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void unknownHeadersAreIgnored() {
        JsonNode reply = Fixtures.load(e, "dup", "1\ta\t1\n", "x-request-id", "abc", "some_future_option", "on",
                "timeout", "30", "timezone", "Asia/Shanghai");
        assertSuccess(reply);
        assertEquals(1, e.rowCount(DB, "dup"));
    }

    @Test
    void maxFilterRatioAndStrictModeHeaders() {
        JsonNode over = Fixtures.loadCsv(e, "dup", "1,a,1\nx,b,2\n", "strict_mode", "true", "max_filter_ratio", "0.4");
        assertEquals("Fail", over.get("Status").asText());
        JsonNode within = Fixtures.loadCsv(e, "dup", "1,a,1\nx,b,2\n", "strict_mode", "true", "max_filter_ratio", "0.5");
        assertSuccess(within);
        assertEquals(1, within.get("NumberFilteredRows").asLong());
        assertEquals(List.of(row(1L, "a", 1L)), rows("dup"));
    }

    @Test
    void badMaxFilterRatioFails() {
        JsonNode reply = Fixtures.loadCsv(e, "dup", "1,a,1\n", "max_filter_ratio", "lots");
        assertEquals("Fail", reply.get("Status").asText());
        assertNull(reply.get("ErrorURL"));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertSuccess(Fixtures.load(e, "dup", "1,a,1\n", "Column_Separator", ",", "LABEL", "upper"));
        assertEquals(1, e.rowCount(DB, "dup"));
        assertEquals("VISIBLE", e.labelState(DB, "upper"));
        assertEquals(new HashMap<>(Map.of("id", 1L, "name", "a", "score", 1L)), new HashMap<>(e.rows(DB, "dup").get(0)));
    }
}
