package io.streamload.benchmarks.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

import io.streamload.connect.buffer.PartitionRange;
import io.streamload.connect.buffer.RowIndex;
import io.streamload.connect.load.LabelFormat;
import io.streamload.connect.offset.OffsetLedger;

/**
 * The per-batch and per-record bookkeeping around the bytes: the label of a batch spanning eight
 * partitions, one batch through the offset ledger (register, confirm, take what is committable),
 * and one row added to the row index.
 */
public class BookkeepingBenchmark extends CpuTimedBenchmark {

    private static final int PARTITIONS = 8;

    private final List<TopicPartition> partitions = new ArrayList<>();
    private LabelFormat labels;
    private OffsetLedger ledger;
    private RowIndex rows;
    /** A body of 8,000 rows of 218 bytes (1.7 MB), whose checksums are part of the label. */
    private io.streamload.connect.buffer.ChunkedBytes body;
    private long nextOffset;
    private long ops;

    @Setup(Level.Trial)
    public void setUp() {
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition("orders", p));
        }
        labels = new LabelFormat("bench", "orders-sink");
        body = new io.streamload.connect.buffer.ChunkedBytes();
        byte[] row = new byte[218];
        java.util.Arrays.fill(row, (byte) 'x');
        for (int i = 0; i < 8000; i++) {
            body.write(row, 0, row.length);
        }
        ledger = new OffsetLedger();
        ledger.open(partitions);
    }

    @Setup(Level.Iteration)
    public void freshIndex() {
        rows = new RowIndex(false);
    }

    /** A batch of 8 partitions and 8,000 rows gets its label. */
    @Override
    protected long operations() {
        return ops;
    }

    @Benchmark
    public String label() {
        ops++;
        long first = nextOffset;
        nextOffset += 1000;
        List<PartitionRange> ranges = new ArrayList<>(PARTITIONS);
        for (TopicPartition partition : partitions) {
            ranges.add(new PartitionRange(partition, first, first + 999));
        }
        return labels.labelFor("orders", ranges, body, java.util.Map.of());
    }

    /** One batch of 8 partitions is registered, confirmed and committed in the ledger. */
    @Benchmark
    public Map<TopicPartition, OffsetAndMetadata> ledgerBatch() {
        ops++;
        long first = nextOffset;
        nextOffset += 1000;
        List<OffsetLedger.Entry> entries = new ArrayList<>(PARTITIONS);
        for (TopicPartition partition : partitions) {
            entries.add(ledger.register(partition, first, first + 999));
        }
        entries.forEach(ledger::confirm);
        return ledger.committableOffsets();
    }

    /** One row's position and offset recorded in the row index. */
    @Benchmark
    public int rowIndexAdd() {
        ops++;
        long offset = nextOffset++;
        if (rows.size() >= 1_000_000) {
            rows = new RowIndex(false);
        }
        rows.add(offset * 200, offset * 200 + 199, partitions.get((int) (offset & (PARTITIONS - 1))), offset, null);
        return rows.size();
    }
}
