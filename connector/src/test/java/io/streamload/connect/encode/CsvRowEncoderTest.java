package io.streamload.connect.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class CsvRowEncoderTest {

    private final CsvRowEncoder encoder = new CsvRowEncoder("\n");

    @Test
    void writesTheLineAndDropsOneTrailingDelimiter() throws Exception {
        assertEquals("1\ta", encode("1\ta"));
        assertEquals("1\ta", encode("1\ta\n"));
        assertEquals("2\tb", encode("2\tb".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesValuesThatAreNotOneLine() {
        assertThrows(RecordEncodingException.class, () -> encode("1\n2"));
        assertThrows(RecordEncodingException.class, () -> encode(null));
        assertThrows(RecordEncodingException.class, () -> encode(Map.of("a", 1)));
    }

    private String encode(Object value) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encoder.encode(new SinkRecord("t", 0, null, null, null, value, 0), out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
