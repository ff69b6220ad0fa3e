package io.streamload.connect.load;

import java.util.List;
import java.util.Set;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;

/** Cuts a batch into parts, each framed like the batch and labelled by exactly its records. */
public final class BatchCutter {

    private final BodyFraming framing;
    private final LabelFormat labels;

    public BatchCutter(BodyFraming framing, LabelFormat labels) {
        this.framing = framing;
        this.labels = labels;
    }

    /** The first and the second half of a batch of at least two records, in order. */
    public List<Batch> halves(Batch batch) {
        int middle = batch.recordCount() / 2;
        return List.of(batch.part(0, middle, framing, labels), batch.part(middle, batch.recordCount(), framing, labels));
    }

    /** The batch of every record but {@code dropped} (rows of {@code batch}), in order. */
    public Batch without(Batch batch, Set<Integer> dropped) {
        return batch.without(dropped, framing, labels);
    }
}
