package io.streamload.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;
import io.streamload.connect.buffer.ChunkPool;
import io.streamload.connect.buffer.ColumnGrouping;
import io.streamload.connect.buffer.TableBuffers;
import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.offset.OffsetLedger;
import io.streamload.connect.routing.Router;

/**
 * What {@code put()} does with each record, end to end inside the task: routing, the partition's
 * holder, encoding into pooled chunks, row index and offset ranges, sealing full buffers and
 * registering them in the ledger. Records arrive as the consumer hands them over, in runs of one
 * partition ({@value #RUN} records, then the next of 8 partitions), and a commit every
 * {@value #RECORDS} records seals the buffer. Each sealed batch is "loaded" at once: its offsets are
 * confirmed and its chunks go back to the pool, as the load scheduler does.
 * The score is records per second; the HTTP load itself is not part of it.
 */
public class IntakeBenchmark extends CpuTimedBenchmark {

    static final int RECORDS = 50_000;
    private static final int PARTITIONS = 8;
    private static final int RUN = 500;

    @Param({"passthrough", "map"})
    public String form;

    private SinkRecord[] records;
    private TableBuffers buffers;
    private OffsetLedger ledger;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private long rows;

    @Setup(Level.Trial)
    public void setUp() {
        records = new SinkRecord[RECORDS];
        String topic = "orders";
        for (int i = 0; i < RECORDS; i++) {
            int partition = (i / RUN) % PARTITIONS;
            SinkRecord sample = EncodingBenchmark.record(form, i);
            records[i] = new SinkRecord(topic, partition, null, null, sample.valueSchema(), sample.value(), i);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        ledger = new OffsetLedger();
        ledger.open(partitions);
        long maxBytes = 90L << 20;
        buffers = new TableBuffers(new Router(Map.of(), "${topic}"), EncodingBenchmark.encoder(form),
                BodyFraming.of("[", ",", "]"), new TableBuffers.Limits(maxBytes, 500_000, Long.MAX_VALUE, false),
                new LabelFormat("bench", "orders-sink"), ledger, this::loaded, ColumnGrouping.NONE,
                new ChunkPool(2 * maxBytes));
    }

    private void loaded(Batch batch) {
        batch.ledgerEntries().forEach(ledger::confirm);
        batch.body().release();
        ledger.committableOffsets();
    }

    @Override
    protected long operations() {
        return rows;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long add() throws RecordEncodingException {
        long now = System.nanoTime();
        for (SinkRecord record : records) {
            buffers.add(record, now);
        }
        // A commit seals what is left, and the next invocation's records, which reuse these
        // offsets, start on freshly opened partitions.
        buffers.flushAll();
        ledger.open(partitions);
        rows += RECORDS;
        return buffers.bufferedBytes();
    }
}
