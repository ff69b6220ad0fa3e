package io.streamload.benchmarks.jmh;

import java.io.IOException;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import io.streamload.benchmarks.SampleRecords;
import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.encode.CsvRowEncoder;
import io.streamload.connect.encode.JsonRowEncoder;
import io.streamload.connect.encode.JsonTextPassthrough;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.encode.RowEncoder;

/**
 * Record-to-row encoding, one record per operation, for the ~200-byte order shape in each form
 * the connector accepts. The score is records per second on one thread; {@link CpuTimedBenchmark} prints
 * records per CPU-second, which stays meaningful when other work shares the cores.
 *
 * <ul>
 *   <li>{@code map}: a schemaless Map, what {@code JsonConverter} with schemas off produces;</li>
 *   <li>{@code struct}: a Struct with its schema;</li>
 *   <li>{@code json_text}: JSON bytes re-emitted token by token (checked), without passthrough;</li>
 *   <li>{@code passthrough}: JSON bytes appended as they are ({@code value.passthrough=true});</li>
 *   <li>{@code csv}: a CSV line as a String.</li>
 * </ul>
 */
public class EncodingBenchmark extends CpuTimedBenchmark {

    private static final int DISTINCT = 1024;
    /** Bytes after which the output is rewound, so the benchmark measures encoding, not memory. */
    private static final long REWIND_AT = 4L << 20;

    @Param({"map", "struct", "json_text", "passthrough", "csv"})
    public String form;

    private SinkRecord[] records;
    private RowEncoder encoder;
    private ChunkedBytes out;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        records = new SinkRecord[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            records[i] = record(form, i);
        }
        encoder = encoder(form);
        out = new ChunkedBytes();
    }

    @Override
    protected long operations() {
        return next;
    }

    @Benchmark
    public long encode() throws IOException, RecordEncodingException {
        SinkRecord record = records[(int) (next++ & (DISTINCT - 1))];
        if (out.size() > REWIND_AT) {
            out.truncate(0);
        }
        encoder.encode(record, out);
        return out.size();
    }

    static RowEncoder encoder(String form) {
        return switch (form) {
            case "map", "struct", "json_text" -> new JsonRowEncoder();
            case "passthrough" -> new JsonTextPassthrough(new JsonRowEncoder());
            case "csv" -> new CsvRowEncoder("\n");
            default -> throw new IllegalArgumentException(form);
        };
    }

    static SinkRecord record(String form, long index) {
        int partition = (int) (index % 8);
        return switch (form) {
            case "map" -> new SinkRecord("orders", partition, null, null, null, SampleRecords.map(index), index);
            case "struct" -> new SinkRecord("orders", partition, null, null, SampleRecords.SCHEMA,
                    SampleRecords.struct(index), index);
            case "json_text", "passthrough" -> new SinkRecord("orders", partition, null, null, Schema.BYTES_SCHEMA,
                    SampleRecords.jsonBytes(index), index);
            case "csv" -> new SinkRecord("orders", partition, null, null, Schema.STRING_SCHEMA,
                    SampleRecords.csv(index), index);
            default -> throw new IllegalArgumentException(form);
        };
    }
}
