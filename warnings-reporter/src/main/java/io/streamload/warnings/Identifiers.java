package io.streamload.warnings;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Database and table names go into SQL text (they cannot be bound as parameters), so every one is
 * checked against a strict pattern and then quoted. Anything else is rejected before it reaches MySQL.
 */
public final class Identifiers {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Pattern INVALID_CHARS = Pattern.compile("[^a-z0-9_]");
    public static final String FALLBACK_CLUSTER_DATABASE = "streamload";

    private Identifiers() {
    }

    /** @throws IllegalArgumentException naming {@code what} when {@code name} is not a plain identifier */
    public static String requireValid(String name, String what) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("the " + what + " name '" + name
                    + "' must be 1 to 64 characters of letters, digits, '_' or '$'");
        }
        return name;
    }

    /** The identifier in backquotes, after validation. */
    public static String quote(String name) {
        return "`" + requireValid(name, "identifier") + "`";
    }

    /** {@code `db`.`table`}. */
    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    /**
     * Turns a cluster id (by default the connector name) into a database name: lower case, every
     * character outside {@code [a-z0-9_]} becomes '_', at most 64 characters. Two clusters whose
     * ids differ only in such characters share a database, which the design accepts (ids are meant
     * to be unique) in exchange for names a person can type.
     */
    public static String databaseForCluster(String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            return FALLBACK_CLUSTER_DATABASE;
        }
        String name = INVALID_CHARS.matcher(clusterId.trim().toLowerCase(Locale.ROOT)).replaceAll("_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
