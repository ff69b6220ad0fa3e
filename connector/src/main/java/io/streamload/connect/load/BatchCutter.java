package io.streamload.connect.load;

import java.util.List;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.BodyFraming;

/** Cuts a batch into two halves, each framed like the batch and labelled by exactly its records. */
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
}
