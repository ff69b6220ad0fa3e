package io.streamload.connect.dialect;

import java.util.Optional;

/**
 * Where a table's {@code CREATE TABLE} can be read besides the FE's HTTP API: {@code SHOW CREATE
 * TABLE} on its MySQL port. Best effort, like the HTTP question: empty when it cannot be asked or
 * does not say.
 */
@FunctionalInterface
public interface CreateTableSource {

    /** No second source: the model is what the HTTP API says, or unknown. */
    CreateTableSource NONE = (database, table) -> Optional.empty();

    /** The statement that creates {@code database.table}, or empty. */
    Optional<String> createTable(String database, String table);
}
