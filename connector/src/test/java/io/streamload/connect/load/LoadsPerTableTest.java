package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.streamload.connect.dialect.TableModel;

class LoadsPerTableTest {

    private final Map<String, TableModel> models = Map.of("events", TableModel.DUPLICATE, "users", TableModel.KEYED,
            "totals", TableModel.AGGREGATE);
    private final LoadsPerTable loadsPerTable = new LoadsPerTable(4, table -> Optional.ofNullable(models.get(table)));

    @Test
    void onlyADuplicateKeyTableLoadsSeveralBatchesAtOnce() {
        assertEquals(4, loadsPerTable.applyAsInt("events"));
        assertEquals(1, loadsPerTable.applyAsInt("users"), "a later row of a key must land after an earlier one");
        assertEquals(1, loadsPerTable.applyAsInt("totals"), "REPLACE columns keep the last row");
    }

    @Test
    void aTableOfUnknownModelLoadsOneBatchAtATime() {
        assertEquals(1, loadsPerTable.applyAsInt("not_visible_to_this_user"));
    }
}
