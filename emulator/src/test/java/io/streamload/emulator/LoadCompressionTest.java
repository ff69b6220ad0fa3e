package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compressed bodies as each target names them: StarRocks by {@code format} (CSV) or by
 * {@code compression} / {@code Content-Encoding}, Doris by {@code compress_type} alone.
 */
class LoadCompressionTest {
    private static final String CSV = "1\ta\t1\n2\tb\t2\n";
    private static final String JSON = "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}";

    private StreamLoadEmulator e;

    private void start(Dialect dialect) {
        e = Fixtures.start(dialect);
        e.createTable(Fixtures.duplicate("dup"));
    }

    @AfterEach
    void stop() {
        if (e != null) {
            e.close();
        }
    }

    private interface Wrap {
        OutputStream on(OutputStream out) throws IOException;
    }

    private static byte[] compress(String text, Wrap wrap) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream z = wrap.on(out)) {
                z.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] gzip(String s) {
        return compress(s, GZIPOutputStream::new);
    }

    /** zlib: a two-byte header, deflate data and an Adler-32 trailer (what zlib's deflate() writes). */
    static byte[] zlib(String s) {
        return compress(s, DeflaterOutputStream::new);
    }

    static byte[] bzip2(String s) {
        return compress(s, BZip2CompressorOutputStream::new);
    }

    static byte[] lz4Frame(String s) {
        return compress(s, LZ4FrameOutputStream::new);
    }

    static byte[] zstd(String s) {
        return compress(s, ZstdOutputStream::new);
    }

    private JsonNode load(byte[] body, String... headers) {
        RawHttp.Response r = Fixtures.streamLoad(e, "dup").headers(headers).body(body).go();
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private void assertLoaded(JsonNode reply, long rows) {
        assertEquals("Success", reply.get("Status").asText(), reply::toString);
        assertEquals(rows, e.rowCount(DB, "dup"), reply::toString);
    }

    private void assertFails(JsonNode reply, String message) {
        assertEquals("Fail", reply.get("Status").asText(), reply::toString);
        assertEquals(message, reply.get("Message").asText());
        assertEquals(0, e.rowCount(DB, "dup"));
    }

    @Test
    void starRocksFormatLz4IsLz4FrameCsv() {
        start(Dialect.STARROCKS);
        assertLoaded(load(lz4Frame(CSV), "format", "lz4"), 2);
    }

    @Test
    void starRocksCompressedCsvFormatsCaseInsensitively() {
        start(Dialect.STARROCKS);
        assertLoaded(load(gzip(CSV), "format", "GZIP"), 2);
        assertLoaded(load(bzip2(CSV), "format", "bzip2"), 4);
        assertLoaded(load(zlib(CSV), "format", "deflate"), 6);
        assertLoaded(load(zstd(CSV), "format", "Zstd"), 8);
    }

    @Test
    void starRocksCompressionHeaderTakesEveryStreamCodec() {
        start(Dialect.STARROCKS);
        assertLoaded(load(bzip2(JSON), "format", "json", "compression", "bzip2"), 2);
        assertLoaded(load(zstd(JSON), "format", "json", "compression", "ZSTD"), 4);
        assertLoaded(load(zlib(JSON), "format", "json", "Content-Encoding", "deflate"), 6);
        assertLoaded(load(lz4Frame(CSV), "compression", "LZ4_FRAME"), 8);
        assertLoaded(load(CSV.getBytes(StandardCharsets.UTF_8), "compression", "no_compression"), 10);
    }

    @Test
    void starRocksGzipAlsoReadsZlib() {
        // zlib's inflateInit2 with window bits 15|32 detects a gzip or a zlib header.
        start(Dialect.STARROCKS);
        assertLoaded(load(zlib(CSV), "compression", "gzip"), 2);
        assertLoaded(load(zlib(CSV), "format", "gzip"), 4);
    }

    @Test
    void starRocksUnknownFormatIsRefusedWithTheServersText() {
        start(Dialect.STARROCKS);
        assertFails(load(gzip(CSV), "format", "gz"), "unknown data format, format=gz");
    }

    @Test
    void starRocksUnknownCompressionIsRefusedWithTheServersText() {
        start(Dialect.STARROCKS);
        assertFails(load(gzip(CSV), "compression", "br"), "Unsupported compression type: br");
        assertFails(load(gzip(CSV), "Content-Encoding", "identity"), "Unsupported compression type: identity");
    }

    @Test
    void starRocksRefusesBothCompressionHeadersWithTheServersText() {
        start(Dialect.STARROCKS);
        assertFails(load(gzip(CSV), "compression", "gzip", "Content-Encoding", "gzip"),
                "Only one of http header content-encoding and compression can be set");
    }

    @Test
    void starRocksIgnoresDorisCompressType() {
        start(Dialect.STARROCKS);
        assertLoaded(load(CSV.getBytes(StandardCharsets.UTF_8), "compress_type", "gz"), 2);
    }

    @Test
    void dorisCompressTypeNamesEachCodecCaseInsensitively() {
        start(Dialect.DORIS);
        assertLoaded(load(gzip(CSV), "compress_type", "GZ"), 2);
        assertLoaded(load(bzip2(CSV), "format", "csv", "compress_type", "bz2"), 4);
        assertLoaded(load(lz4Frame(CSV), "compress_type", "lz4"), 6);
        assertLoaded(load(zlib(CSV), "compress_type", "deflate"), 8);
        assertLoaded(load(zstd(CSV), "compress_type", "zstd"), 10);
    }

    @Test
    void dorisCompressTypeAppliesToJson() {
        start(Dialect.DORIS);
        assertLoaded(load(gzip(JSON), "format", "json", "read_json_by_line", "true", "compress_type", "gz"), 2);
    }

    @Test
    void dorisReadsJsonWithACompressTypeItDoesNotKnowAsPlain() {
        // Doris' LoadUtil::parse_format sets PLAIN for an unknown compress_type and JSON for the format.
        start(Dialect.DORIS);
        assertLoaded(load(JSON.getBytes(StandardCharsets.UTF_8), "format", "json", "compress_type", "gzip"), 2);
    }

    @Test
    void dorisIgnoresContentEncodingAndCompression() {
        start(Dialect.DORIS);
        byte[] plain = CSV.getBytes(StandardCharsets.UTF_8);
        assertLoaded(load(plain, "Content-Encoding", "gzip"), 2);
        assertLoaded(load(plain, "compression", "gzip"), 4);
        assertLoaded(load(plain, "compression", "gzip", "Content-Encoding", "lz4_frame"), 6);
    }

    @Test
    void dorisUnknownCompressTypeOfCsvIsAnUnknownFormat() {
        start(Dialect.DORIS);
        assertFails(load(lz4Frame(CSV), "format", "csv", "compress_type", "lz4frame"),
                "[DATA_FILE_TYPE_ERROR]unknown data format, format=csv");
        assertFails(load(gzip(CSV), "compress_type", "gzip"), "[DATA_FILE_TYPE_ERROR]unknown data format, format=");
    }

    @Test
    void dorisUnknownFormatIsRefusedWithTheServersText() {
        start(Dialect.DORIS);
        assertFails(load(CSV.getBytes(StandardCharsets.UTF_8), "format", "xml"),
                "[DATA_FILE_TYPE_ERROR]unknown data format, format=xml");
    }

    @Test
    void aBodyNotInTheNamedCodecFailsWithTheDecodersWords() {
        start(Dialect.STARROCKS);
        byte[] plain = CSV.getBytes(StandardCharsets.UTF_8);
        assertFails(load(plain, "format", "gzip"), "Failed to inflate. return code: -3");
        assertFails(load(plain, "compression", "deflate"), "Failed to inflate. return code: -3");
        assertFails(load(plain, "format", "bzip2"), "Failed to bz2 decompress. status code: -5");
        assertFails(load((CSV + CSV).getBytes(StandardCharsets.UTF_8), "format", "lz4"),
                "LZ4F_getFrameInfo error: ERROR_frameType_unknown");
        assertFails(load("1\ta\t1\n".getBytes(StandardCharsets.UTF_8), "format", "lz4"),
                "Lz4 header size is between 7 and 15 bytes. but input size is only: 6");
        assertFails(load(gzip(CSV), "format", "zstd"), "ZSTD decompress failed. error: Unknown frame descriptor");
    }

    @Test
    void dorisWordsAZstdFailureItsOwnWay() {
        start(Dialect.DORIS);
        assertFails(load(gzip(CSV), "compress_type", "zstd"),
                "[INTERNAL_ERROR]Failed to zstd decompress: Unknown frame descriptor");
        assertFails(load(CSV.getBytes(StandardCharsets.UTF_8), "compress_type", "gz"),
                "[INTERNAL_ERROR]Failed to inflate. return code: -3");
    }
}
