package io.streamload.warnings;

import java.sql.SQLException;

/**
 * The store's database does not exist (or the user may not see it). Read-only commands say so
 * instead of answering "no rows": a mistyped database or cluster id is far likelier than a store
 * nothing was ever written to, since the connector creates its database with its first load.
 */
public final class MissingDatabaseException extends SQLException {
    private final String database;

    public MissingDatabaseException(String database) {
        // 42000 with MySQL's ER_BAD_DB_ERROR, the code a USE of the missing database would give.
        super("the warnings store database '" + database + "' does not exist (or its user may not see it)",
                "42000", 1049);
        this.database = database;
    }

    public String database() {
        return database;
    }
}
