package io.streamload.emulator.load;

import java.util.ArrayList;
import java.util.List;

/** What one body turned into: accepted rows and, for each rejected row, why. */
public final class ParsedBatch {
    /** One rejected row: the reason and the row as the target would print it. */
    public record Rejection(String reason, String row) {
    }

    public final List<Row> rows = new ArrayList<>();
    public final List<Rejection> rejections = new ArrayList<>();
    public long unselected;

    public long total() {
        return rows.size() + rejections.size() + unselected;
    }

    public long filtered() {
        return rejections.size();
    }
}
