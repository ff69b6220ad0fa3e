package io.streamload.emulator.mysql;

import io.streamload.emulator.load.Catalog;
import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.ColumnType;
import io.streamload.emulator.table.TableData;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.TableModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the statements the FE's MySQL port takes: the session statements a driver sends while it
 * connects ({@code SELECT @@...}, {@code SET ...}, {@code SHOW VARIABLES}), {@code USE},
 * {@code CREATE DATABASE}, {@code CREATE TABLE}, {@code ALTER TABLE ... ADD COLUMN / MODIFY COLUMN},
 * {@code DESC} and {@code SHOW CREATE TABLE}, into the emulator's {@link Catalog}. Errors carry
 * the codes and messages of the server the emulator speaks as ({@link ServerErrors}).
 *
 * <p>Adding a column is immediate (StarRocks' fast schema evolution, Doris' light schema change).
 * Changing a column's type is a schema change job: the table is in state SCHEMA_CHANGE for
 * {@code modifyColumnTime}, other ALTERs on it are refused meanwhile, and the new type shows once
 * the job ends. Loads go on during the job, as on the servers (they write to both schemas).
 */
public final class SqlEngine {
    private final Catalog catalog;
    private final ServerErrors errors;
    private final boolean doris;
    private final String user;
    private final ScheduledExecutorService scheduler;
    private final Duration modifyColumnTime;
    private final Set<String> granted = ConcurrentHashMap.newKeySet();
    private final Map<String, TableOptions> options = new ConcurrentHashMap<>();
    /** Tables in state SCHEMA_CHANGE: key db.table, value the System.nanoTime() the job ends. */
    private final Map<String, Long> schemaChanges = new ConcurrentHashMap<>();
    private final List<String> appliedDdl = new ArrayList<>();
    private final AtomicLong statements = new AtomicLong();
    private final Object ddlLock = new Object();

    /** How the table was declared beyond its columns: shown again by SHOW CREATE TABLE. */
    private record TableOptions(String distribution, Map<String, String> properties, boolean uniqueKey) {
    }

    public SqlEngine(Catalog catalog, boolean doris, String user, ScheduledExecutorService scheduler,
                     Duration modifyColumnTime) {
        this.catalog = catalog;
        this.errors = new ServerErrors(doris);
        this.doris = doris;
        this.user = user;
        this.scheduler = scheduler;
        this.modifyColumnTime = modifyColumnTime;
        granted.addAll(List.of("CREATE", "ALTER"));
    }

    /** What a statement answered, and the session's database if it changed it. */
    public record Outcome(ResultTable result, String database) {
    }

    String serverVersion() {
        return errors.serverVersion();
    }

    /** The DDL statements that changed the catalog, in order (for tests and the admin API). */
    public List<String> appliedDdl() {
        synchronized (appliedDdl) {
            return List.copyOf(appliedDdl);
        }
    }

    /** Statements received through COM_QUERY. */
    public long statementCount() {
        return statements.get();
    }

    /** Grants or revokes the load user's CREATE or ALTER privilege. */
    public void privilege(String privilege, boolean grant) {
        String p = privilege.toUpperCase(Locale.ROOT);
        if (!p.equals("CREATE") && !p.equals("ALTER")) {
            throw new IllegalArgumentException("privilege must be CREATE or ALTER, not '" + privilege + "'");
        }
        if (grant) {
            granted.add(p);
        } else {
            granted.remove(p);
        }
    }

    /** Puts a table into a schema change job for a while, as another client's ALTER would. */
    public void holdSchemaChange(String db, String table, Duration time) {
        if (catalog.table(db, table) == null) {
            throw new IllegalArgumentException("Unknown table '" + db + "." + table + "'");
        }
        schemaChanges.put(key(db, table), System.nanoTime() + time.toNanos());
    }

    void useDatabase(String db) throws SqlError {
        if (!catalog.hasDatabase(db)) {
            throw errors.unknownDatabase(db);
        }
    }

    /** Runs one COM_QUERY statement. */
    public Outcome execute(String sql, String database) throws SqlError {
        statements.incrementAndGet();
        SqlTokens t = SqlTokens.of(sql);
        SqlTokens.Token first = t.next();
        switch (first.text().toUpperCase(Locale.ROOT)) {
            case "SELECT":
                return new Outcome(SessionQueries.select(t, database, errors, user), null);
            case "SET", "COMMIT", "ROLLBACK", "BEGIN":
                return new Outcome(ResultTable.OK, null);
            case "SHOW":
                return new Outcome(show(t, database), null);
            case "USE": {
                String db = t.name();
                useDatabase(db);
                return new Outcome(ResultTable.OK, db);
            }
            case "DESC", "DESCRIBE":
                return new Outcome(describe(tableRef(t, database)), null);
            case "CREATE":
                if (t.accept("DATABASE") || t.accept("SCHEMA")) {
                    return new Outcome(createDatabase(t, sql), null);
                }
                t.expect("TABLE");
                return new Outcome(createTable(t, database, sql), null);
            case "ALTER":
                t.expect("TABLE");
                return new Outcome(alterTable(t, database, sql), null);
            default:
                throw syntax("the emulator does not run '" + first.text() + "' statements: " + sql);
        }
    }

    static SqlError syntax(String message) {
        return new SqlError(1064, "42000", message);
    }

    private static String key(String db, String table) {
        return db + "." + table.toLowerCase(Locale.ROOT);
    }

    private record TableRef(String db, String table) {
    }

    private TableRef tableRef(SqlTokens t, String database) throws SqlError {
        String first = t.name();
        if (t.accept(".")) {
            return new TableRef(first, t.name());
        }
        if (database == null) {
            throw errors.noDatabase();
        }
        return new TableRef(database, first);
    }

    private ResultTable show(SqlTokens t, String database) throws SqlError {
        t.accept("FULL");
        t.accept("SESSION");
        t.accept("GLOBAL");
        if (t.accept("VARIABLES")) {
            return SessionQueries.showVariables(t, errors);
        }
        if (t.accept("CREATE")) {
            t.expect("TABLE");
            return showCreateTable(tableRef(t, database));
        }
        if (t.accept("COLUMNS") || t.accept("FIELDS")) {
            if (!t.accept("FROM")) {
                t.expect("IN");
            }
            return describe(tableRef(t, database));
        }
        if (t.accept("DATABASES")) {
            List<List<String>> rows = new ArrayList<>();
            catalog.databases().forEach(db -> rows.add(List.of(db)));
            return ResultTable.of(List.of("Database"), rows);
        }
        if (t.accept("WARNINGS") || t.accept("ERRORS")) {
            return ResultTable.of(List.of("Level", "Code", "Message"), List.of());
        }
        throw syntax("the emulator does not run this SHOW statement");
    }

    private TableData requireTable(TableRef ref) throws SqlError {
        if (!catalog.hasDatabase(ref.db())) {
            throw errors.unknownDatabase(ref.db());
        }
        TableData data = catalog.table(ref.db(), ref.table());
        if (data == null) {
            throw errors.unknownTable(ref.db(), ref.table());
        }
        return data;
    }

    private ResultTable describe(TableRef ref) throws SqlError {
        TableDefinition def = requireTable(ref).definition();
        List<List<String>> rows = new ArrayList<>();
        for (Column c : def.columns()) {
            boolean key = def.keys().stream().anyMatch(k -> k.equalsIgnoreCase(c.name()));
            List<String> row = new ArrayList<>(List.of(c.name(), c.type().declared(), c.nullable() ? "YES" : "NO",
                    key ? "true" : "false"));
            row.add(null);
            row.add("");
            rows.add(row);
        }
        return ResultTable.of(List.of("Field", "Type", "Null", "Key", "Default", "Extra"), rows);
    }

    private ResultTable showCreateTable(TableRef ref) throws SqlError {
        TableDefinition def = requireTable(ref).definition();
        TableOptions opts = options.get(key(ref.db(), ref.table()));
        StringBuilder sb = new StringBuilder("CREATE TABLE `").append(def.table()).append("` (\n");
        for (int i = 0; i < def.columns().size(); i++) {
            Column c = def.columns().get(i);
            sb.append("  `").append(c.name()).append("` ").append(c.type().declared())
                    .append(c.nullable() ? " NULL" : " NOT NULL");
            sb.append(i + 1 < def.columns().size() ? ",\n" : "\n");
        }
        sb.append(") ENGINE=OLAP\n");
        if (!def.keys().isEmpty()) {
            // Doris has no PRIMARY KEY model: its keyed tables (made here or by the admin API) are UNIQUE KEY.
            String model = def.model() == TableModel.DUPLICATE_KEY ? "DUPLICATE KEY"
                    : doris || opts != null && opts.uniqueKey() ? "UNIQUE KEY" : "PRIMARY KEY";
            sb.append(model).append("(").append(quotedList(def.keys())).append(")\n");
        }
        sb.append(opts == null ? "DISTRIBUTED BY RANDOM" : opts.distribution());
        Map<String, String> props = opts == null ? Map.of() : opts.properties();
        if (!props.isEmpty()) {
            sb.append("\nPROPERTIES (\n");
            int i = 0;
            for (Map.Entry<String, String> e : props.entrySet()) {
                sb.append("\"").append(e.getKey()).append("\" = \"").append(e.getValue()).append("\"")
                        .append(++i < props.size() ? ",\n" : "\n");
            }
            sb.append(")");
        }
        sb.append(";");
        return ResultTable.row(List.of("Table", "Create Table"), def.table(), sb.toString());
    }

    private static String quotedList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.length() == 0 ? "" : ", ").append('`').append(n).append('`');
        }
        return sb.toString();
    }

    private ResultTable createDatabase(SqlTokens t, String sql) throws SqlError {
        boolean ifNotExists = ifNotExists(t);
        String db = t.name();
        synchronized (ddlLock) {
            if (catalog.hasDatabase(db)) {
                if (ifNotExists) {
                    return ResultTable.OK;
                }
                throw errors.databaseExists(db);
            }
            requirePrivilege("CREATE", db, null);
            catalog.createDatabase(db);
            applied(sql);
        }
        return ResultTable.OK;
    }

    private static boolean ifNotExists(SqlTokens t) throws SqlError {
        if (t.accept("IF")) {
            t.expect("NOT");
            t.expect("EXISTS");
            return true;
        }
        return false;
    }

    private void requirePrivilege(String privilege, String db, String table) throws SqlError {
        if (!granted.contains(privilege)) {
            throw errors.accessDenied(privilege, user, db, table);
        }
    }

    private void applied(String sql) {
        synchronized (appliedDdl) {
            appliedDdl.add(sql.trim());
        }
    }

    /** One column as declared in CREATE TABLE or ALTER TABLE. */
    private record ColumnDef(String name, String type, Boolean nullable, boolean hasDefault) {
    }

    private ColumnDef columnDef(SqlTokens t) throws SqlError {
        String name = t.name();
        StringBuilder type = new StringBuilder();
        int depth = 0;
        while (!t.atEnd()) {
            SqlTokens.Token tok = t.peek();
            if (depth == 0 && (tok.is(",") || tok.is(")") || tok.is("NOT") || tok.is("NULL") || tok.is("DEFAULT")
                    || tok.is("COMMENT") || tok.is("AUTO_INCREMENT") || tok.is("KEY") || tok.is("AFTER")
                    || tok.is("FIRST") || tok.is("TO") || tok.is("AS"))) {
                break;
            }
            t.next();
            if (tok.is("(") || tok.is("<")) {
                depth++;
            } else if (tok.is(")") || tok.is(">")) {
                depth--;
            }
            type.append(tok.text());
            if (tok.kind() == SqlTokens.Kind.WORD && t.peek().kind() == SqlTokens.Kind.WORD) {
                type.append(' ');
            }
        }
        if (type.length() == 0) {
            throw syntax("column '" + name + "' has no type");
        }
        Boolean nullable = null;
        boolean hasDefault = false;
        while (!t.atEnd() && !t.peek().is(",") && !t.peek().is(")")) {
            if (t.accept("NOT")) {
                t.expect("NULL");
                nullable = false;
            } else if (t.accept("NULL")) {
                nullable = true;
            } else if (t.accept("DEFAULT")) {
                hasDefault = true;
                SqlTokens.Token v = t.next();
                if (v.is("CURRENT_TIMESTAMP") && t.accept("(")) {
                    t.expect(")");
                }
            } else if (t.accept("COMMENT")) {
                t.string();
            } else if (t.accept("AUTO_INCREMENT") || t.accept("KEY")) {
                // accepted and not modelled
            } else {
                break;
            }
        }
        return new ColumnDef(name, type.toString(), nullable, hasDefault);
    }

    private Column column(ColumnDef def, boolean defaultNullable) throws SqlError {
        try {
            return new Column(def.name(), ColumnType.parse(def.type()),
                    def.nullable() == null ? defaultNullable : def.nullable());
        } catch (IllegalArgumentException e) {
            throw errors.badColumnType(def.name(), e.getMessage());
        }
    }

    private ResultTable createTable(SqlTokens t, String database, String sql) throws SqlError {
        boolean ifNotExists = ifNotExists(t);
        TableRef ref = tableRef(t, database);
        t.expect("(");
        List<ColumnDef> defs = new ArrayList<>();
        do {
            if (t.peek().is("INDEX")) {
                throw syntax("the emulator does not model indexes");
            }
            defs.add(columnDef(t));
        } while (t.accept(","));
        t.expect(")");
        if (t.accept("ENGINE")) {
            t.expect("=");
            t.name();
        }
        String model = null;
        List<String> keys = new ArrayList<>();
        if (t.peek(1).is("KEY")) {
            model = t.next().text().toUpperCase(Locale.ROOT);
            t.next();
            t.expect("(");
            do {
                keys.add(t.name());
            } while (t.accept(","));
            t.expect(")");
        }
        if (t.accept("COMMENT")) {
            t.string();
        }
        if (t.peek().is("PARTITION") || t.peek().is("AUTO")) {
            throw syntax("the emulator does not model partitions");
        }
        String distribution = "DISTRIBUTED BY RANDOM";
        if (t.accept("DISTRIBUTED")) {
            t.expect("BY");
            StringBuilder d = new StringBuilder("DISTRIBUTED BY ");
            if (t.accept("HASH")) {
                t.expect("(");
                List<String> cols = new ArrayList<>();
                do {
                    cols.add(t.name());
                } while (t.accept(","));
                t.expect(")");
                d.append("HASH(").append(quotedList(cols)).append(")");
            } else {
                t.expect("RANDOM");
                d.append("RANDOM");
            }
            if (t.accept("BUCKETS")) {
                SqlTokens.Token n = t.next();
                if (n.kind() != SqlTokens.Kind.NUMBER && !n.is("AUTO")) {
                    throw syntax("BUCKETS takes a number or AUTO, not '" + n.text() + "'");
                }
                d.append(" BUCKETS ").append(n.text().toUpperCase(Locale.ROOT));
            }
            distribution = d.toString();
        }
        Map<String, String> props = new TreeMap<>();
        if (t.accept("PROPERTIES")) {
            t.expect("(");
            do {
                String k = t.string();
                t.expect("=");
                props.put(k, t.string());
            } while (t.accept(","));
            t.expect(")");
        }
        if (!t.atEnd()) {
            throw syntax("unexpected '" + t.peek().text() + "' after the table's definition");
        }
        TableModel tableModel;
        boolean unique = false;
        if (model == null || model.equals("DUPLICATE")) {
            tableModel = TableModel.DUPLICATE_KEY;
        } else if (model.equals("PRIMARY") && !errors.doris()) {
            tableModel = TableModel.PRIMARY_KEY;
        } else if (model.equals("UNIQUE")) {
            tableModel = TableModel.PRIMARY_KEY;
            unique = true;
        } else {
            throw errors.unsupportedModel(model);
        }
        // Both servers: the key columns come first, in the order the key names them (KeysDesc.analyze).
        for (int i = 0; i < keys.size(); i++) {
            if (i >= defs.size() || !defs.get(i).name().equalsIgnoreCase(keys.get(i))) {
                throw errors.ddlFailed("Key columns should be a ordered prefix of the schema. KeyColumns[" + i
                        + "] (starts from zero) is " + keys.get(i) + ", but corresponding column is "
                        + (i < defs.size() ? defs.get(i).name() : "missing") + " in the previous columns declaration.");
            }
            String keyType = defs.get(i).type().toUpperCase(Locale.ROOT);
            if (keyType.startsWith("FLOAT") || keyType.startsWith("DOUBLE")) {
                throw errors.ddlFailed("Float or double can not used as a key, use decimal instead.");
            }
            if (keyType.startsWith("JSON") || keyType.startsWith("ARRAY") || keyType.startsWith("MAP")
                    || keyType.startsWith("STRING")) {
                throw errors.ddlFailed("Type " + keyType + " can not be used as a key column");
            }
        }
        TableDefinition.Builder b = TableDefinition.builder(ref.db(), ref.table());
        for (ColumnDef def : defs) {
            boolean isKey = keys.stream().anyMatch(k -> k.equalsIgnoreCase(def.name()));
            // Key columns of primary/unique key tables are NOT NULL unless declared otherwise.
            Column c = column(def, !(isKey && tableModel == TableModel.PRIMARY_KEY));
            b.column(c.name(), c.type().declared(), c.nullable());
        }
        if (tableModel == TableModel.PRIMARY_KEY) {
            b.primaryKey(keys.toArray(String[]::new));
        } else {
            b.duplicateKey(keys.toArray(String[]::new));
        }
        TableDefinition definition;
        try {
            definition = b.build();
        } catch (IllegalArgumentException e) {
            throw errors.ddlFailed(e.getMessage());
        }
        synchronized (ddlLock) {
            if (!catalog.hasDatabase(ref.db())) {
                throw errors.unknownDatabase(ref.db());
            }
            requirePrivilege("CREATE", ref.db(), ref.table());
            if (catalog.table(ref.db(), ref.table()) != null) {
                if (ifNotExists) {
                    return ResultTable.OK;
                }
                throw errors.tableExists(ref.table());
            }
            catalog.createTable(definition);
            options.put(key(ref.db(), ref.table()), new TableOptions(distribution, props, unique));
            applied(sql);
        }
        return ResultTable.OK;
    }

    private ResultTable alterTable(SqlTokens t, String database, String sql) throws SqlError {
        TableRef ref = tableRef(t, database);
        List<ColumnDef> adds = new ArrayList<>();
        List<ColumnDef> modifies = new ArrayList<>();
        do {
            if (t.accept("ADD")) {
                t.accept("COLUMN");
                if (t.accept("(")) {
                    do {
                        adds.add(columnDef(t));
                    } while (t.accept(","));
                    t.expect(")");
                } else {
                    adds.add(columnDef(t));
                    if (t.peek().is("AFTER") || t.peek().is("FIRST")) {
                        throw syntax("the emulator adds columns at the end only (no AFTER/FIRST)");
                    }
                }
            } else if (t.accept("MODIFY")) {
                t.accept("COLUMN");
                modifies.add(columnDef(t));
            } else {
                throw syntax("the emulator runs ALTER TABLE ... ADD COLUMN and MODIFY COLUMN only, not '"
                        + t.peek().text() + "'");
            }
        } while (t.accept(","));
        if (!t.atEnd()) {
            throw syntax("unexpected '" + t.peek().text() + "' in ALTER TABLE");
        }
        synchronized (ddlLock) {
            TableData data = requireTable(ref);
            requirePrivilege("ALTER", ref.db(), ref.table());
            String k = key(ref.db(), ref.table());
            Long until = schemaChanges.get(k);
            if (until != null && until - System.nanoTime() > 0) {
                throw errors.schemaChangeRunning(data.definition().table());
            }
            schemaChanges.remove(k);
            TableDefinition def = data.definition();
            List<Column> columns = new ArrayList<>(def.columns());
            for (ColumnDef add : adds) {
                if (def.column(add.name()) != null || columns.stream().anyMatch(c -> c.name().equalsIgnoreCase(add.name()))) {
                    throw errors.columnExists(add.name());
                }
                Column c = column(add, true);
                if (!c.nullable() && !add.hasDefault()) {
                    throw errors.ddlFailed("Column '" + add.name() + "' is NOT NULL and has no DEFAULT: "
                            + "the table's existing rows would have no value for it");
                }
                columns.add(c);
            }
            for (ColumnDef modify : modifies) {
                int i = def.indexOf(modify.name());
                if (i < 0) {
                    throw errors.unknownColumn(modify.name());
                }
                Column old = columns.get(i);
                Column changed = column(modify, true);
                if (changed.nullable() != old.nullable()) {
                    throw errors.ddlFailed("Can not change nullability of column '" + old.name()
                            + "' from " + (old.nullable() ? "NULL" : "NOT NULL") + " to "
                            + (changed.nullable() ? "NULL" : "NOT NULL"));
                }
                if (!TypeWidening.allowed(old.type(), changed.type())) {
                    throw errors.cannotChangeType(old.type().declared(), changed.type().declared());
                }
                columns.set(i, new Column(old.name(), changed.type(), old.nullable()));
            }
            if (adds.isEmpty() && columns.equals(def.columns())) {
                // SchemaChangeHandler: a MODIFY to the type the column has makes no job.
                throw errors.ddlFailed("Nothing is changed. please check your alter stmt.");
            }
            TableDefinition next;
            try {
                next = def.withColumns(columns);
            } catch (IllegalArgumentException e) {
                throw errors.ddlFailed(e.getMessage());
            }
            applied(sql);
            if (modifies.isEmpty()) {
                data.redefine(next);
            } else {
                // A type change is a job: the table stays in SCHEMA_CHANGE until it ends.
                schemaChanges.put(k, System.nanoTime() + modifyColumnTime.toNanos());
                scheduler.schedule(() -> {
                    data.redefine(next);
                    schemaChanges.remove(k);
                }, modifyColumnTime.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return ResultTable.OK;
    }

    /** For the admin API: what the MySQL port has done. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statements", statementCount());
        List<String> ddl = appliedDdl();
        m.put("ddlCount", ddl.size());
        m.put("ddl", ddl);
        m.put("privileges", new ArrayList<>(new java.util.TreeSet<>(granted)));
        return m;
    }
}
