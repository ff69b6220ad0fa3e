package io.streamload.benchmarks.jmh;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.TableBuffer;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.encode.RowEncoder;

/**
 * Building and sending a load body: {@value #ROWS} records appended to a table buffer (framing,
 * row index, offset ranges), sealed, and written out the way the HTTP entity writes it to the
 * socket. The score is records per second; the output stream discards, so the socket is not part
 * of it.
 */
public class BodyBenchmark extends CpuTimedBenchmark {

    static final int ROWS = 50_000;
    private static final int DISTINCT = 1024;

    @Param({"passthrough", "map"})
    public String form;

    private SinkRecord[] records;
    private RowEncoder encoder;
    private final BodyFraming framing = BodyFraming.of("[", ",", "]");
    private long rows;

    @Setup(Level.Trial)
    public void setUp() {
        records = new SinkRecord[DISTINCT];
        for (int i = 0; i < DISTINCT; i++) {
            records[i] = EncodingBenchmark.record(form, i);
        }
        encoder = EncodingBenchmark.encoder(form);
    }

    @Override
    protected long operations() {
        return rows;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public void buildAndSend(Blackhole blackhole) throws IOException, RecordEncodingException {
        TableBuffer buffer = new TableBuffer("orders", framing, Long.MAX_VALUE, Long.MAX_VALUE, false);
        long now = System.nanoTime();
        for (int i = 0; i < ROWS; i++) {
            buffer.append(records[i & (DISTINCT - 1)], encoder, now);
        }
        TableBuffer.Sealed sealed = buffer.seal();
        sealed.body().writeTo(new Discard(blackhole));
        rows += ROWS;
    }

    /** The socket stand-in: consumes every byte, keeps none. */
    private static final class Discard extends OutputStream {
        private final Blackhole blackhole;

        Discard(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void write(int b) {
            blackhole.consume(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            blackhole.consume(bytes[offset]);
            blackhole.consume(length);
        }
    }
}
