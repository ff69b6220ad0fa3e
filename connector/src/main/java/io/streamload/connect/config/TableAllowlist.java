package io.streamload.connect.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import io.streamload.connect.routing.TargetTable;

/**
 * {@code table.field.allowed}: the databases and tables a record may name through
 * {@code table.field}. Each entry is {@code db.table} or {@code table} (a table of
 * {@code load.database}), where {@code *} stands for any run of characters, for example
 * {@code db.*} or {@code db.orders_*}; names are compared with case. The entry {@code *} alone
 * allows every table the load user can reach.
 */
public final class TableAllowlist {

    /** The entry that allows any table. */
    public static final String ANY = "*";

    private final List<String> entries;
    private final List<Pattern[]> patterns;
    private final boolean any;
    private final String defaultDatabase;

    private TableAllowlist(List<String> entries, String defaultDatabase) {
        this.entries = List.copyOf(entries);
        this.defaultDatabase = defaultDatabase;
        this.any = entries.contains(ANY);
        this.patterns = new ArrayList<>();
        for (String entry : entries) {
            TargetTable target = TargetTable.resolve(defaultDatabase, entry);
            patterns.add(new Pattern[] {glob(target.database()), glob(target.table())});
        }
    }

    /**
     * @param entries the setting's entries; blank ones are skipped
     * @param defaultDatabase the database of an entry or a name without one
     * @throws ConfigException naming the entry that is not {@code db.table}, {@code table} or {@code *}
     */
    public static TableAllowlist of(List<String> entries, String defaultDatabase) {
        List<String> kept = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                check(trimmed);
                kept.add(trimmed);
            }
        }
        return new TableAllowlist(kept, defaultDatabase);
    }

    /** True when no entry is given: records may name no table at all. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** True when the table a record names (plain or {@code db.table}) is allowed. */
    public boolean allows(String name) {
        if (any) {
            return true;
        }
        TargetTable target = TargetTable.resolve(defaultDatabase, name);
        for (Pattern[] pattern : patterns) {
            if (pattern[0].matcher(target.database()).matches() && pattern[1].matcher(target.table()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The entries as the user gave them, for messages. */
    @Override
    public String toString() {
        return String.join(",", entries);
    }

    private static void check(String entry) {
        if (entry.equals(ANY)) {
            return;
        }
        int dot = entry.indexOf('.');
        if (entry.startsWith(".") || entry.endsWith(".") || dot >= 0 && entry.indexOf('.', dot + 1) >= 0
                || entry.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == ',')) {
            throw new ConfigException("'" + entry + "' in " + DataConfig.TABLE_FIELD_ALLOWED + " is not db.table or "
                    + "table (with * for any characters, for example db.orders_*), nor * for any table");
        }
    }

    private static Pattern glob(String text) {
        String[] parts = text.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            if (!parts[i].isEmpty()) {
                regex.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Checks the entries' form; whether the list may be empty is a check of its own. */
    static final class Validator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            if (value != null) {
                of((List<String>) value, "db");
            }
        }

        @Override
        public String toString() {
            return "db.table or table entries, * for any characters, comma separated; or * for any table";
        }
    }
}
