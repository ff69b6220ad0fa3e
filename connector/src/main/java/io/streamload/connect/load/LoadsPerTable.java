package io.streamload.connect.load;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.dialect.TableModel;

/**
 * How many loads of one table may run at once ({@code max.in.flight.loads.per.table}). More than
 * one only for a duplicate key table: its rows never replace or combine with one another, so the
 * order its loads land in cannot change what it holds. Every other table, and a table whose model
 * the FE does not tell, loads one batch after the other, since there a later row of a key must
 * land after an earlier one.
 */
public final class LoadsPerTable implements ToIntFunction<String> {

    /** Every table one load at a time: the order batches were sealed is the order they land. */
    public static final ToIntFunction<String> ONE_AT_A_TIME = table -> 1;

    private static final Logger log = LoggerFactory.getLogger(LoadsPerTable.class);

    private final int limit;
    private final Function<String, Optional<TableModel>> models;

    /**
     * @param limit the most loads of a duplicate key table at once
     * @param models the model of a table, or empty when it cannot be found out
     */
    public LoadsPerTable(int limit, Function<String, Optional<TableModel>> models) {
        this.limit = limit;
        this.models = models;
    }

    @Override
    public int applyAsInt(String table) {
        Optional<TableModel> model = models.apply(table);
        if (model.isPresent() && model.get().loadsInAnyOrder()) {
            log.info("Table {} is a duplicate key table: up to {} of its loads run at once", table, limit);
            return limit;
        }
        log.info("Table {} loads one batch at a time: {}", table, model.isEmpty()
                ? "the FE did not tell its model, and its rows may depend on the order of loads"
                : "it is a " + model.get().name().toLowerCase(Locale.ROOT)
                        + " table, where the order of loads decides which row of a key stays");
        return 1;
    }
}
