package io.streamload.connect.routing;

/**
 * Where rows go: a database and a table. A route may name the table alone (the database is
 * {@code load.database}) or qualify it as {@code db.table}, so one connector can feed tables of
 * several databases. Only the first dot separates: table names with dots are not supported.
 *
 * @param database the database
 * @param table the table within it
 */
public record TargetTable(String database, String table) {

    /** Reads a route's table name, qualified or not. */
    public static TargetTable resolve(String defaultDatabase, String name) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return new TargetTable(defaultDatabase, name);
        }
        return new TargetTable(name.substring(0, dot), name.substring(dot + 1));
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
