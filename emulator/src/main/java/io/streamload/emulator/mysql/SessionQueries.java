package io.streamload.emulator.mysql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The session queries a MySQL driver sends while it sets a connection up: mysql-connector-j reads
 * its server variables with one {@code SELECT @@session.auto_increment_increment AS
 * auto_increment_increment, @@character_set_client AS character_set_client, ...} (its
 * {@code NativeSession.loadServerVariables}), sometimes {@code SHOW VARIABLES}; other clients ask
 * {@code SELECT @@version_comment LIMIT 1}, {@code SELECT DATABASE()}, {@code SELECT 1}.
 */
final class SessionQueries {
    /** The variables the FE answers, as StarRocks and Doris report them (both keep MySQL's names). */
    static final Map<String, String> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("auto_increment_increment", "1");
        VARIABLES.put("autocommit", "1");
        VARIABLES.put("character_set_client", "utf8mb4");
        VARIABLES.put("character_set_connection", "utf8mb4");
        VARIABLES.put("character_set_results", "utf8mb4");
        VARIABLES.put("character_set_server", "utf8mb4");
        VARIABLES.put("collation_connection", "utf8mb4_general_ci");
        VARIABLES.put("collation_database", "utf8mb4_general_ci");
        VARIABLES.put("collation_server", "utf8mb4_general_ci");
        VARIABLES.put("init_connect", "");
        VARIABLES.put("interactive_timeout", "3600");
        VARIABLES.put("language", "/palo/share/english/");
        VARIABLES.put("license", "Apache License 2.0");
        VARIABLES.put("lower_case_table_names", "0");
        VARIABLES.put("max_allowed_packet", "33554432");
        VARIABLES.put("net_buffer_length", "16384");
        VARIABLES.put("net_write_timeout", "60");
        VARIABLES.put("performance_schema", "0");
        VARIABLES.put("query_cache_size", "1048576");
        VARIABLES.put("query_cache_type", "OFF");
        VARIABLES.put("sql_mode", "ONLY_FULL_GROUP_BY");
        VARIABLES.put("system_time_zone", "UTC");
        VARIABLES.put("time_zone", "UTC");
        VARIABLES.put("transaction_isolation", "REPEATABLE-READ");
        VARIABLES.put("transaction_read_only", "0");
        VARIABLES.put("tx_isolation", "REPEATABLE-READ");
        VARIABLES.put("tx_read_only", "0");
        VARIABLES.put("wait_timeout", "28800");
        VARIABLES.put("version_comment", "streamload emulator");
    }

    private SessionQueries() {
    }

    static ResultTable select(SqlTokens t, String database, ServerErrors errors, String user) throws SqlError {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        do {
            SqlTokens.Token tok = t.next();
            String label = tok.text();
            String value;
            if (tok.kind() == SqlTokens.Kind.WORD && tok.text().startsWith("@@")) {
                String name = tok.text().substring(2);
                if (t.accept(".")) {
                    name = t.name();
                    label = tok.text() + "." + name;
                }
                value = variable(name, errors);
            } else if (tok.kind() == SqlTokens.Kind.NUMBER || tok.kind() == SqlTokens.Kind.STRING) {
                value = tok.text();
            } else if (tok.is("DATABASE") || tok.is("SCHEMA") || tok.is("USER") || tok.is("CURRENT_USER")
                    || tok.is("CONNECTION_ID") || tok.is("VERSION")) {
                t.expect("(");
                t.expect(")");
                label = tok.text() + "()";
                String fn = tok.text().toUpperCase(Locale.ROOT);
                value = switch (fn) {
                    case "DATABASE", "SCHEMA" -> database;
                    case "USER", "CURRENT_USER" -> "'" + user + "'@'%'";
                    case "CONNECTION_ID" -> "1";
                    default -> errors.serverVersion();
                };
            } else {
                throw SqlEngine.syntax("the emulator answers SELECT of @@variables, literals and DATABASE() only");
            }
            if (t.accept("AS")) {
                label = t.name();
            } else if (t.peek().kind() == SqlTokens.Kind.NAME) {
                label = t.name();
            }
            names.add(label);
            values.add(value);
        } while (t.accept(","));
        if (t.accept("LIMIT")) {
            t.next();
        }
        if (!t.atEnd()) {
            throw SqlEngine.syntax("the emulator answers SELECT without FROM only");
        }
        return ResultTable.row(names, values.toArray(String[]::new));
    }

    private static String variable(String name, ServerErrors errors) throws SqlError {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("version")) {
            return errors.serverVersion();
        }
        String v = VARIABLES.get(key);
        if (v == null) {
            throw errors.unknownVariable(name);
        }
        return v;
    }

    /** SHOW VARIABLES [LIKE 'pattern' | WHERE Variable_name = 'x' | WHERE Variable_name IN (...)]. */
    static ResultTable showVariables(SqlTokens t, ServerErrors errors) throws SqlError {
        Map<String, String> all = new LinkedHashMap<>(VARIABLES);
        all.put("version", errors.serverVersion());
        List<String> wanted = null;
        String like = null;
        if (t.accept("LIKE")) {
            like = t.string().toLowerCase(Locale.ROOT).replace("%", ".*").replace("_", ".");
        } else if (t.accept("WHERE")) {
            t.name();
            wanted = new ArrayList<>();
            if (t.accept("=")) {
                wanted.add(t.string().toLowerCase(Locale.ROOT));
            } else {
                t.expect("IN");
                t.expect("(");
                do {
                    wanted.add(t.string().toLowerCase(Locale.ROOT));
                } while (t.accept(","));
                t.expect(")");
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if ((like == null || e.getKey().matches(like)) && (wanted == null || wanted.contains(e.getKey()))) {
                rows.add(List.of(e.getKey(), e.getValue()));
            }
        }
        return ResultTable.of(List.of("Variable_name", "Value"), rows);
    }
}
