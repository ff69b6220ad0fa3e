package io.streamload.connect.dialect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before any load, to send deletes or partial updates to a table that cannot apply
 * them: on a duplicate key table StarRocks ignores {@code __op} (every delete would become one
 * more row) and Doris refuses the delete sign. The model is asked over the FE's HTTP API, then
 * its MySQL port when the task may use it ({@link TableModelLookup}); when neither says (no
 * privilege, an older version), the check is skipped with a warning rather than failing a working
 * setup.
 */
public final class KeyedTableCheck {

    private static final Logger log = LoggerFactory.getLogger(KeyedTableCheck.class);

    private final StreamLoadDialect dialect;
    private final Function<String, Optional<TableModel>> models;

    /**
     * @param models the model of a table, or empty when the FE does not tell ({@link TableModelLookup#modelOf})
     */
    public KeyedTableCheck(StreamLoadDialect dialect, Function<String, Optional<TableModel>> models) {
        this.dialect = dialect;
        this.models = models;
    }

    /**
     * @param why what needs keyed tables, for the message (for example {@code cdc.mode=debezium})
     * @throws ConnectException naming every table that is known not to be keyed
     */
    public void requireKeyed(Collection<String> tables, String why) {
        List<String> refused = new ArrayList<>();
        for (String table : tables) {
            Optional<TableModel> model = models.apply(table);
            if (model.isEmpty()) {
                log.warn("Could not tell whether table {} is a {} table; {} needs one, so check it yourself "
                        + "(setting ddl.port lets the task read SHOW CREATE TABLE on the FE's MySQL port)",
                        table, keyedName(), why);
            } else if (!model.get().appliesDeletes()) {
                refused.add(table);
            }
        }
        if (!refused.isEmpty()) {
            throw new ConnectException(why + " needs " + keyedName() + " tables, but " + String.join(", ", refused)
                    + (refused.size() == 1 ? " is not one" : " are not") + ": deletes and partial updates cannot "
                    + "apply to a duplicate or aggregate key table. Recreate the table as a " + keyedName()
                    + " table, or route these topics elsewhere.");
        }
    }

    private String keyedName() {
        return dialect.keyedModelName();
    }
}
