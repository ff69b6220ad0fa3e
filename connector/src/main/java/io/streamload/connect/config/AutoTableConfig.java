package io.streamload.connect.config;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Tables that follow the data: {@code auto.create} makes a missing table from a record's schema,
 * {@code auto.evolve} adds the columns a record brings and widens the ones it outgrows. Both send
 * DDL through the FE's MySQL protocol port, as the load user unless {@code ddl.user} says otherwise.
 *
 * @param create whether missing tables are created
 * @param evolve whether tables gain columns and widen them
 * @param buckets buckets per partition of created tables, 0 for the target's own choice
 * @param properties PROPERTIES of created tables
 * @param host the FE the DDL goes to, or empty for the first load URL's host
 * @param port the FE's MySQL protocol port
 * @param user the DDL user, or empty for the load user
 * @param password the DDL user's password, or null for the load password
 * @param timeout how long DDL may wait for a schema change to end or a change to show
 * @param endpointSet whether {@code ddl.host} or {@code ddl.port} was set: the MySQL port is then
 *     known to be there, so table models may be read from it without auto tables
 * @param tls the DDL connection's own TLS settings, where they do not follow the load settings
 */
public record AutoTableConfig(boolean create, boolean evolve, int buckets, Map<String, String> properties,
                              String host, int port, String user, Password password, Duration timeout,
                              boolean endpointSet, DdlTlsConfig tls) {

    public static final String AUTO_CREATE = "auto.create";
    public static final String AUTO_EVOLVE = "auto.evolve";
    public static final String AUTO_CREATE_BUCKETS = "auto.create.buckets";
    public static final String AUTO_CREATE_PROPERTIES = "auto.create.properties";
    public static final String DDL_HOST = "ddl.host";
    public static final String DDL_PORT = "ddl.port";
    public static final String DDL_USER = "ddl.user";
    public static final String DDL_PASSWORD = "ddl.password";
    public static final String DDL_TIMEOUT_MS = "ddl.timeout.ms";

    /** Whether either is on, so the task needs a DDL connection. */
    public boolean enabled() {
        return create || evolve;
    }

    /**
     * Whether the FE's MySQL port may be asked for a table's model when the HTTP API does not
     * tell: when auto tables use it anyway, or when {@code ddl.host}/{@code ddl.port} name it.
     * Otherwise a setup that never named a MySQL port is not made to reach one.
     */
    public boolean modelsOverMysql() {
        return enabled() || endpointSet;
    }

    static AutoTableConfig from(AbstractConfig config) {
        return new AutoTableConfig(config.getBoolean(AUTO_CREATE), config.getBoolean(AUTO_EVOLVE),
                config.getInt(AUTO_CREATE_BUCKETS), properties(config.getList(AUTO_CREATE_PROPERTIES)),
                config.getString(DDL_HOST).trim(), config.getInt(DDL_PORT), config.getString(DDL_USER).trim(),
                config.getPassword(DDL_PASSWORD), Duration.ofMillis(config.getLong(DDL_TIMEOUT_MS)),
                config.originals().containsKey(DDL_HOST) || config.originals().containsKey(DDL_PORT),
                DdlTlsConfig.from(config));
    }

    static Map<String, String> properties(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(AUTO_CREATE_PROPERTIES, entries, "each entry is key=value, not '" + entry
                        + "'; for example replication_num=1");
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return out;
    }

    static void define(ConfigDef def, String group) {
        int order = 0;
        def.define(AUTO_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
                "Create a table that does not exist from the schema of the first record routed to it, before "
                        + "that record's load: a PRIMARY KEY table (Doris: UNIQUE KEY with merge-on-write) on the "
                        + "columns the record key (or Debezium's key) names, a DUPLICATE KEY table otherwise. "
                        + "Needs records with Struct schemas; DDL goes through the FE's MySQL port (`" + DDL_PORT
                        + "`). The statement is in README, 'Tables that follow the data'.",
                group, ++order, Width.SHORT, "Create missing tables");
        def.define(AUTO_EVOLVE, Type.BOOLEAN, false, Importance.MEDIUM,
                "Before loading a record with a field its table lacks, add the column (nullable); widen a "
                        + "value column the field outgrows (a wider integer, FLOAT to DOUBLE, a longer VARCHAR when "
                        + "Debezium passes the source length, more DECIMAL digits). Never drops, narrows or retypes "
                        + "a column: a record that only such a change would fit is refused (dead letter queue under "
                        + "`errors.tolerance=all`).",
                group, ++order, Width.SHORT, "Evolve tables");
        def.define(AUTO_CREATE_BUCKETS, Type.INT, 0, ConfigDef.Range.between(0, 1024), Importance.LOW,
                "Buckets of created tables. `0`: the target chooses (StarRocks when the clause is left out, "
                        + "Doris with `BUCKETS AUTO`).",
                group, ++order, Width.SHORT, "Buckets of created tables");
        def.define(AUTO_CREATE_PROPERTIES, Type.LIST, "", new PropertiesValidator(), Importance.LOW,
                "PROPERTIES of created tables, as `key=value` entries, for example `replication_num=1` on a "
                        + "cluster with one BE (the targets default to 3 replicas).",
                group, ++order, Width.LONG, "Properties of created tables");
        def.define(DDL_HOST, Type.STRING, "", Importance.LOW,
                "The FE that takes DDL on its MySQL port. Empty: the host of the first `"
                        + StreamLoadSinkConfig.LOAD_URLS + "` entry.",
                group, ++order, Width.MEDIUM, "DDL host");
        def.define(DDL_PORT, Type.INT, 9030, ConfigDef.Range.between(1, 65535), Importance.LOW,
                "The FE's MySQL protocol port (`query_port`, 9030 on both targets). Besides auto tables' DDL, "
                        + "it is where a table's key model is read (`SHOW CREATE TABLE`) when the HTTP API does not "
                        + "tell (StarRocks' `_get_ddl` needs the admin role): with auto tables on, or when this or `"
                        + DDL_HOST + "` is set.",
                group, ++order, Width.SHORT, "DDL port");
        def.define(DDL_USER, Type.STRING, "", Importance.LOW,
                "The user that runs DDL. Empty: `" + StreamLoadSinkConfig.LOAD_USER + "`. It needs CREATE TABLE on "
                        + "the database (`auto.create`) and ALTER on its tables (`auto.evolve`); see "
                        + "docs/auto-tables.md.",
                group, ++order, Width.MEDIUM, "DDL user");
        def.define(DDL_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "The DDL user's password. Not set: `" + StreamLoadSinkConfig.LOAD_PASSWORD + "`.",
                group, ++order, Width.MEDIUM, "DDL password");
        def.define(DDL_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(1_000), Importance.LOW,
                "How long a record waits for its table: while another schema change on it runs (the "
                        + "targets refuse a second ALTER meanwhile), and until an added or widened column shows. "
                        + "Then the task fails naming the table.",
                group, ++order, Width.SHORT, "DDL timeout (ms)");
        DdlTlsConfig.define(def, group, order);
    }

    /**
     * The settings auto tables cannot work with, each reported on its own key.
     *
     * @param loadProperties the Stream Load headers the configuration sets
     */
    static void check(Map<String, ?> values, Map<String, String> loadProperties, Collection<String> keysWithErrors,
                      BiConsumer<String, String> errors) {
        DdlTlsConfig.check(values, errors);
        boolean create = Boolean.TRUE.equals(values.get(AUTO_CREATE));
        boolean evolve = Boolean.TRUE.equals(values.get(AUTO_EVOLVE));
        if (!create && !evolve) {
            return;
        }
        String on = create && evolve ? AUTO_CREATE + " and " + AUTO_EVOLVE : create ? AUTO_CREATE : AUTO_EVOLVE;
        String key = create ? AUTO_CREATE : AUTO_EVOLVE;
        if (Boolean.TRUE.equals(values.get(DataConfig.VALUE_PASSTHROUGH))) {
            errors.accept(DataConfig.VALUE_PASSTHROUGH, on + " read each record's schema, but "
                    + DataConfig.VALUE_PASSTHROUGH + "=true appends values without reading them; turn one off");
        }
        Object format = values.get(StreamLoadSinkConfig.FORMAT);
        if (format instanceof String f && StreamLoadSinkConfig.FORMAT_CSV.equalsIgnoreCase(f.trim())) {
            errors.accept(key, on + " make columns from record schemas, but format=csv sends each value as the "
                    + "line it holds, which names no columns; set format=json, or turn " + on + " off");
        }
        for (String header : List.of("columns", "jsonpaths")) {
            if (loadProperties.containsKey(header)) {
                errors.accept(key, on + " follow each record's fields, but the load property '" + header
                        + "' fixes the columns every load writes; remove it, or turn " + on + " off");
            }
        }
        Object partialColumns = values.get(DataConfig.PARTIAL_UPDATE_COLUMNS);
        if (partialColumns instanceof List<?> l && l.stream().anyMatch(c -> c != null && !c.toString().isBlank())) {
            errors.accept(key, on + " follow each record's fields, but " + DataConfig.PARTIAL_UPDATE_COLUMNS
                    + " fixes the columns every load writes; remove it, or turn " + on + " off");
        }
    }

    /** Each entry of auto.create.properties is key=value. */
    static final class PropertiesValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                properties((List<String>) list);
            }
        }

        @Override
        public String toString() {
            return "key=value entries";
        }
    }
}
