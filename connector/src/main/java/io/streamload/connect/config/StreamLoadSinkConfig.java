package io.streamload.connect.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.streamload.connect.buffer.BodyCodec;
import io.streamload.connect.buffer.WireCompression;
import io.streamload.connect.errors.WarningsStoreSettings;
import io.streamload.warnings.DurationText;

/**
 * Every setting of the sink, declared once in a {@link ConfigDef}: the REST validate endpoint,
 * the generated reference in {@code docs/configuration.md} and the task all read this one
 * definition, so they cannot drift apart.
 *
 * <p>Construct it from the raw connector properties: keys of the official StarRocks connector are
 * first mapped to ours by {@link ConfigAliases}, and the checks that involve several keys run in
 * {@link CrossFieldValidation}, so a config that passes {@code validate()} also starts.
 */
public final class StreamLoadSinkConfig extends AbstractConfig {

    public static final String GROUP_CONNECTION = "Connection";
    public static final String GROUP_ROUTING = "Routing";
    public static final String GROUP_FORMAT = "Format";
    public static final String GROUP_BUFFERING = "Buffering";
    public static final String GROUP_LOAD = "Load";
    public static final String GROUP_RETRY = "Retries";
    public static final String GROUP_LIFECYCLE = "Offsets and lifecycle";
    public static final String GROUP_REJECTED_ROWS = "Rejected rows";
    public static final String GROUP_ALIASES = "Aliases (official StarRocks connector keys)";
    public static final String GROUP_DATA = "Data";
    public static final String GROUP_NETWORK = "Network and TLS";
    public static final String GROUP_AUTO_TABLES = "Automatic tables";
    public static final String GROUP_DELIVERY = "Delivery guarantee";

    public static final String DELIVERY_GUARANTEE = "delivery.guarantee";
    public static final String EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS = "exactly.once.log.bootstrap.servers";
    public static final String EXACTLY_ONCE_LOG_TOPIC = "exactly.once.log.topic";
    public static final String EXACTLY_ONCE_LOG_RETENTION_MS = "exactly.once.log.retention.ms";
    /** Prefix of client settings (security, timeouts) for the intent log's cluster. Not a key of its own. */
    public static final String EXACTLY_ONCE_LOG_CLIENT_PREFIX = "exactly.once.log.client.";
    public static final String AT_LEAST_ONCE = "at_least_once";
    public static final String EXACTLY_ONCE = "exactly_once";

    public static final String TARGET = "target";
    public static final String LOAD_URLS = "load.urls";
    public static final String LOAD_USER = "load.user";
    public static final String LOAD_PASSWORD = "load.password";
    public static final String LOAD_DATABASE = "load.database";

    public static final String TOPIC2TABLE_MAP = "topic2table.map";
    public static final String TABLE_NAME_FORMAT = "table.name.format";

    public static final String FORMAT = "format";
    public static final String CSV_COLUMN_SEPARATOR = "csv.column.separator";
    public static final String CSV_ROW_DELIMITER = "csv.row.delimiter";
    public static final String LOAD_COMPRESSION = "load.compression";
    public static final String LOAD_COMPRESSION_LEVEL = "load.compression.level";

    public static final String BUFFER_MAX_BYTES = "buffer.max.bytes";
    public static final String BUFFER_MAX_RECORDS = "buffer.max.records";
    public static final String BUFFER_FLUSH_INTERVAL_MS = "buffer.flush.interval.ms";
    public static final String BUFFER_FLUSH_INTERVAL_MAX_MS = "buffer.flush.interval.max.ms";
    public static final String LOAD_MAX_RATE = "load.max.rate";
    public static final String BUFFER_TOTAL_MAX_BYTES = "buffer.total.max.bytes";
    public static final String BUFFER_FULL_MAX_WAIT_MS = "buffer.full.max.wait.ms";
    public static final String MAX_IN_FLIGHT_LOADS = "max.in.flight.loads";
    public static final String MAX_IN_FLIGHT_LOADS_PER_TABLE = "max.in.flight.loads.per.table";

    /** Prefix of the settings passed through as Stream Load headers. Not a key of its own. */
    public static final String LOAD_PROPERTIES_PREFIX = "load.properties.";
    public static final String LABEL_PREFIX = "label.prefix";
    public static final String LOAD_TIMEOUT_MS = "load.timeout.ms";
    public static final String LOAD_MODE = "load.mode";
    public static final String LOAD_MODE_STREAM_LOAD = "stream_load";
    public static final String LOAD_MODE_MERGE_COMMIT = "merge_commit";
    public static final String LOAD_MERGE_INTERVAL_MS = "load.merge.interval.ms";
    public static final String LOAD_MERGE_PARALLEL = "load.merge.parallel";

    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";

    public static final String COMMIT_MAX_WAIT_MS = "commit.max.wait.ms";
    public static final String CLOSE_MAX_WAIT_MS = "close.max.wait.ms";

    public static final String LOAD_ERRORS_URL = "load.errors.url";
    public static final String LOAD_ERRORS_PASSWORD = "load.errors.password";
    public static final String LOAD_ERRORS_PASSWORD_FILE = "load.errors.password.file";
    public static final String LOAD_ERRORS_PASSWORD_ENV = "load.errors.password.env";
    public static final String LOAD_ERRORS_CLUSTER_ID = "load.errors.cluster.id";
    public static final String LOAD_ERRORS_CREATE_TABLES = "load.errors.create.tables";
    public static final String LOAD_ERRORS_RETENTION = "load.errors.retention";
    public static final String LOAD_ERRORS_QUEUE_CAPACITY = "load.errors.queue.capacity";

    /** Values of {@code target} and {@code format}. */
    public static final String TARGET_STARROCKS = "starrocks";
    public static final String TARGET_DORIS = "doris";
    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_CSV = "csv";

    private static final ConfigDef CONFIG_DEF = buildConfigDef();

    private final ConfigAliases.Resolved resolved;

    /**
     * Parses and checks the raw connector properties.
     *
     * @throws ConfigException naming the first key at fault, with what to change
     */
    public StreamLoadSinkConfig(Map<String, String> rawProps) {
        this(ConfigAliases.resolve(rawProps));
    }

    private StreamLoadSinkConfig(ConfigAliases.Resolved resolved) {
        super(CONFIG_DEF, requiredPresent(resolved), false);
        this.resolved = resolved;
        Map<String, List<String>> errors = CrossFieldValidation.check(this, resolved);
        if (!errors.isEmpty()) {
            Map.Entry<String, List<String>> first = errors.entrySet().iterator().next();
            throw new ConfigException(first.getKey() + ": " + String.join("; ", first.getValue()));
        }
    }

    /**
     * The properties, once the keys without a default are known to be there: {@link AbstractConfig}
     * would refuse a missing one with a message that names neither its alias nor what to give.
     */
    private static Map<String, String> requiredPresent(ConfigAliases.Resolved resolved) {
        Map<String, String> missing = CrossFieldValidation.missingRequired(resolved.props());
        if (!missing.isEmpty()) {
            Map.Entry<String, String> first = missing.entrySet().iterator().next();
            throw new ConfigException(first.getKey() + ": " + first.getValue());
        }
        return resolved.props();
    }

    /** Every key of the definition, aliases included. */
    static Set<String> keyNames() {
        return CONFIG_DEF.names();
    }

    /** True when {@code value}, as parsed, is not the key's default (text compared without case). */
    static boolean differsFromDefault(String key, Object value) {
        ConfigDef.ConfigKey definition = CONFIG_DEF.configKeys().get(key);
        if (definition == null || value == null || !definition.hasDefault()) {
            return false;
        }
        if (value instanceof String text && definition.defaultValue instanceof String defaultText) {
            return !text.trim().equalsIgnoreCase(defaultText.trim());
        }
        return !value.equals(definition.defaultValue);
    }

    /** The one definition of every key; also used by {@code Connector.config()}. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    public String target() {
        return getString(TARGET).toLowerCase(Locale.ROOT);
    }

    public List<URI> loadUrls() {
        return LoadUrls.parse(getList(LOAD_URLS));
    }

    public String user() {
        return getString(LOAD_USER);
    }

    /** The password; never log it (its {@code toString()} is {@code [hidden]}). */
    public Password password() {
        Password password = getPassword(LOAD_PASSWORD);
        return password == null ? new Password("") : password;
    }

    public String database() {
        return getString(LOAD_DATABASE);
    }

    public Map<String, String> topicToTable() {
        return TopicTableMap.parse(getString(TOPIC2TABLE_MAP));
    }

    public String tableNameFormat() {
        return getString(TABLE_NAME_FORMAT);
    }

    /** The codec and level load bodies are compressed with. */
    public WireCompression compression() {
        BodyCodec codec = BodyCodec.bySettingName(getString(LOAD_COMPRESSION)).orElseThrow();
        Integer level = getInt(LOAD_COMPRESSION_LEVEL);
        return codec == BodyCodec.NONE ? WireCompression.NONE
                : new WireCompression(codec, level == null ? codec.defaultLevel() : level);
    }

    public String format() {
        return getString(FORMAT).toLowerCase(Locale.ROOT);
    }

    /** The CSV column separator as the bytes to write, escapes such as {@code \t} and {@code \x01} decoded. */
    public String csvColumnSeparator() {
        return Separators.decode(getString(CSV_COLUMN_SEPARATOR));
    }

    public String csvRowDelimiter() {
        return Separators.decode(getString(CSV_ROW_DELIMITER));
    }

    public long bufferMaxBytes() {
        return getLong(BUFFER_MAX_BYTES);
    }

    public long bufferMaxRecords() {
        return getLong(BUFFER_MAX_RECORDS);
    }

    public Duration bufferFlushInterval() {
        return Duration.ofMillis(getLong(BUFFER_FLUSH_INTERVAL_MS));
    }

    /** The longest a table's flush interval grows while the target refuses its loads for too many versions. */
    public Duration bufferFlushIntervalMax() {
        // The default maximum gives way to a longer minimum (validation refuses only one the user set).
        return Duration.ofMillis(Math.max(getLong(BUFFER_FLUSH_INTERVAL_MAX_MS), getLong(BUFFER_FLUSH_INTERVAL_MS)));
    }

    /** The most loads per second of one task; 0 for no limit. */
    public double loadMaxRate() {
        return getDouble(LOAD_MAX_RATE);
    }

    public long bufferTotalMaxBytes() {
        return getLong(BUFFER_TOTAL_MAX_BYTES);
    }

    public Duration bufferFullMaxWait() {
        return Duration.ofMillis(getLong(BUFFER_FULL_MAX_WAIT_MS));
    }

    public int maxInFlightLoads() {
        return getInt(MAX_IN_FLIGHT_LOADS);
    }

    public int maxInFlightLoadsPerTable() {
        return getInt(MAX_IN_FLIGHT_LOADS_PER_TABLE);
    }

    /**
     * The user's Stream Load headers ({@code load.properties.*}, or {@code sink.properties.*}),
     * without the headers the connector owns (format, separators, JSON framing, label).
     */
    public Map<String, String> loadProperties() {
        Map<String, String> headers = new TreeMap<>();
        resolved.loadProperties().forEach((name, value) -> {
            if (!LoadPropertyRules.isOwnedByConnector(name)) {
                headers.put(name, value);
            }
        });
        return Collections.unmodifiableMap(headers);
    }

    public String labelPrefix() {
        return getString(LABEL_PREFIX);
    }

    public Duration loadTimeout() {
        return Duration.ofMillis(getLong(LOAD_TIMEOUT_MS));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS));
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public Duration commitMaxWait() {
        return Duration.ofMillis(getLong(COMMIT_MAX_WAIT_MS));
    }

    public Duration closeMaxWait() {
        return Duration.ofMillis(getLong(CLOSE_MAX_WAIT_MS));
    }

    /**
     * The warnings store settings; {@code connectorName} is the cluster id when
     * {@code load.errors.cluster.id} is not set.
     */
    public WarningsStoreSettings.Values warningsStore(String connectorName) {
        String clusterId = getString(LOAD_ERRORS_CLUSTER_ID);
        return new WarningsStoreSettings.Values(getPassword(LOAD_ERRORS_URL), getPassword(LOAD_ERRORS_PASSWORD),
                getString(LOAD_ERRORS_PASSWORD_FILE), getString(LOAD_ERRORS_PASSWORD_ENV),
                clusterId.isBlank() ? connectorName : clusterId, getBoolean(LOAD_ERRORS_CREATE_TABLES),
                DurationText.parse(getString(LOAD_ERRORS_RETENTION), LOAD_ERRORS_RETENTION),
                getInt(LOAD_ERRORS_QUEUE_CAPACITY));
    }

    /** The settings of the "Data" group. */
    public DataConfig data() {
        return DataConfig.of(this);
    }

    /** True when the target merges this task's loads with others (StarRocks merge commit, Doris group commit). */
    public boolean mergeCommit() {
        return LOAD_MODE_MERGE_COMMIT.equalsIgnoreCase(getString(LOAD_MODE));
    }

    /** The merge window and parallelism asked of StarRocks' merge commit. */
    public MergeCommitSettings mergeCommitSettings() {
        return new MergeCommitSettings(Duration.ofMillis(getLong(LOAD_MERGE_INTERVAL_MS)), getInt(LOAD_MERGE_PARALLEL));
    }

    public boolean exactlyOnce() {
        return EXACTLY_ONCE.equalsIgnoreCase(getString(DELIVERY_GUARANTEE));
    }

    public String exactlyOnceLogTopic() {
        return getString(EXACTLY_ONCE_LOG_TOPIC);
    }

    public Duration exactlyOnceLogRetention() {
        return Duration.ofMillis(getLong(EXACTLY_ONCE_LOG_RETENTION_MS));
    }

    /** The intent log cluster's client settings: bootstrap servers plus every {@code exactly.once.log.client.*}. */
    public Map<String, Object> exactlyOnceLogClient() {
        Map<String, Object> client = new HashMap<>(originalsWithPrefix(EXACTLY_ONCE_LOG_CLIENT_PREFIX));
        client.put("bootstrap.servers", getString(EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS));
        return client;
    }

    /** FE health, timeouts, the retry time budget and TLS; see {@link NetworkSettings}. */
    /** auto.create, auto.evolve and the DDL connection. */
    public AutoTableConfig autoTables() {
        return AutoTableConfig.from(this);
    }

    public NetworkSettings network() {
        return NetworkSettings.from(this);
    }

    private static ConfigDef buildConfigDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(TARGET, Type.STRING, TARGET_STARROCKS,
                ConfigDef.CaseInsensitiveValidString.in(TARGET_STARROCKS, TARGET_DORIS), Importance.HIGH,
                "The database behind the load URLs: `starrocks` or `doris`. It decides the Stream Load "
                        + "header names, how JSON bodies are framed, how deletes are marked and how replies are read.",
                GROUP_CONNECTION, ++order, Width.SHORT, "Target");
        def.define(LOAD_URLS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new LoadUrls.Validator(), Importance.HIGH,
                "Required. The FE HTTP endpoints, comma separated, each `http://host:port` or "
                        + "`https://host:port` (FE http port, 8030 by default). `host:port` alone means http. "
                        + "Loads are sent to them in turn; the FE redirects each load to a BE.",
                GROUP_CONNECTION, ++order, Width.LONG, "Load URLs");
        def.define(LOAD_USER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "Required. The user that loads, with INSERT privilege on the target tables.",
                GROUP_CONNECTION, ++order, Width.MEDIUM, "User");
        def.define(LOAD_PASSWORD, Type.PASSWORD, "", Importance.HIGH,
                "The user's password. Never logged.",
                GROUP_CONNECTION, ++order, Width.MEDIUM, "Password");
        def.define(LOAD_DATABASE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                "Required. The database that holds the target tables.",
                GROUP_CONNECTION, ++order, Width.MEDIUM, "Database");

        order = 0;
        def.define(TOPIC2TABLE_MAP, Type.STRING, "", new TopicTableMap.Validator(), Importance.MEDIUM,
                "Explicit table per topic, as `topic:table,topic:table`. Topics not listed use "
                        + "`" + TABLE_NAME_FORMAT + "`.",
                GROUP_ROUTING, ++order, Width.LONG, "Topic to table map");
        def.define(TABLE_NAME_FORMAT, Type.STRING, "${topic}", new TableNameFormat.Validator(),
                Importance.MEDIUM,
                "The table for a topic not in `" + TOPIC2TABLE_MAP + "`; `${topic}` is replaced by the "
                        + "topic name, for example `kafka_${topic}`.",
                GROUP_ROUTING, ++order, Width.MEDIUM, "Table name format");

        order = 0;
        def.define(FORMAT, Type.STRING, FORMAT_JSON,
                ConfigDef.CaseInsensitiveValidString.in(FORMAT_JSON, FORMAT_CSV), Importance.HIGH,
                "How rows are sent. `json`: a record value that is a Struct, a Map, or JSON text (String "
                        + "or bytes) holding one object becomes one JSON row; the connector frames the body "
                        + "the way the target reads it. `csv`: the record value is a String (or UTF-8 bytes) "
                        + "holding one CSV line.",
                GROUP_FORMAT, ++order, Width.SHORT, "Format");
        def.define(CSV_COLUMN_SEPARATOR, Type.STRING, "\\t", new Separators.Validator(), Importance.LOW,
                "Column separator of CSV rows, as Stream Load's `column_separator`. Escapes `\\t`, `\\n`, "
                        + "`\\\\` and `\\xHH` are understood.",
                GROUP_FORMAT, ++order, Width.SHORT, "CSV column separator");
        def.define(CSV_ROW_DELIMITER, Type.STRING, "\\n", new Separators.Validator(), Importance.LOW,
                "Row delimiter of CSV rows, as Stream Load's `row_delimiter`. Same escapes as the "
                        + "column separator. A record value must not contain it.",
                GROUP_FORMAT, ++order, Width.SHORT, "CSV row delimiter");
        def.define(LOAD_COMPRESSION, Type.STRING, BodyCodec.NONE.settingName(),
                ConfigDef.LambdaValidator.with((name, value) -> {
                    if (value != null && BodyCodec.bySettingName(value.toString()).isEmpty()) {
                        throw new ConfigException(name, value, "use one of " + BodyCodec.settingNames());
                    }
                }, BodyCodec::settingNames), Importance.MEDIUM,
                "How load bodies are compressed on the wire; the body is compressed while it is sent and "
                        + "sent chunked. `none`; `gzip` (StarRocks: CSV, and JSON 3.2.7 and later; Doris: "
                        + "CSV, JSON 3.0.5 and later); `lz4_frame` (the same; the least CPU); `zstd` (StarRocks "
                        + "only; the smallest bodies). lz4_frame and zstd use the lz4-java and zstd-jni the "
                        + "worker ships with kafka-clients. See the README for when each pays off.",
                GROUP_FORMAT, ++order, Width.SHORT, "Load compression");
        def.define(LOAD_COMPRESSION_LEVEL, Type.INT, null, Importance.LOW,
                "Level of `" + LOAD_COMPRESSION + "`: gzip 1 (fastest, the default) to 9 (smallest); zstd 1 to 19 "
                        + "(default 1). Not for `none` or `lz4_frame`.",
                GROUP_FORMAT, ++order, Width.SHORT, "Load compression level");

        order = 0;
        def.define(BUFFER_MAX_BYTES, Type.LONG, 64L << 20, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "A table's buffer is loaded once it holds this many bytes (one record may go past it). "
                        + "Keep it below the body limit of any proxy between the connector and the FEs.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Buffer max bytes");
        def.define(BUFFER_MAX_RECORDS, Type.LONG, 500_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "A table's buffer is loaded once it holds this many records.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Buffer max records");
        def.define(BUFFER_FLUSH_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
                "A table's buffer is loaded at the latest this long after its first record arrived. "
                        + "This bounds the latency; each load makes a new data version in the target, so "
                        + "very small values cost the target compaction work.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Buffer flush interval (ms)");
        def.define(BUFFER_FLUSH_INTERVAL_MAX_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(10), Importance.MEDIUM,
                "The longest a table's flush interval grows to. When the target refuses a load because the "
                        + "table holds too many unmerged versions (StarRocks `tablet_max_versions`, Doris "
                        + "`max_tablet_version_num`), the load is retried under its label and that table's "
                        + "interval doubles, up to this, so it makes fewer, larger loads; each confirmed load "
                        + "then takes `" + BUFFER_FLUSH_INTERVAL_MS + "` off again. At least `"
                        + BUFFER_FLUSH_INTERVAL_MS + "`; equal to it, every table keeps a fixed interval.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Buffer flush interval max (ms)");
        def.define(LOAD_MAX_RATE, Type.DOUBLE, 0.0, ConfigDef.Range.between(0.0, 10_000.0), Importance.MEDIUM,
                "The most loads one task starts per second, over all its tables, retries included (e.g. 20; "
                        + "0.5 is one load every 2 s). 0: no limit. With many tables each load makes a data "
                        + "version in the target: 500 tables flushed every second are 500 loads a second. Loads "
                        + "wait their turn oldest first, so no table starves; a table whose last batch still waits "
                        + "keeps filling its buffer instead of queueing another, so it loads less often and more "
                        + "at once. Memory stays within `" + BUFFER_TOTAL_MAX_BYTES + "`.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Max loads per second");
        def.define(BUFFER_TOTAL_MAX_BYTES, Type.LONG, 128L << 20, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Upper bound of the bytes one task holds, buffered plus being loaded. When it is "
                        + "reached the task stops taking records until loads complete, so memory stays "
                        + "bounded whatever the input rate. The default is twice the default `"
                        + BUFFER_MAX_BYTES + "`: one batch loading while the next fills; the heap a task "
                        + "needs is about this plus the records Connect holds (see docs/performance.md).",
                GROUP_BUFFERING, ++order, Width.SHORT, "Task memory bound (bytes)");
        def.define(BUFFER_FULL_MAX_WAIT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When `" + BUFFER_TOTAL_MAX_BYTES + "` is reached, `put()` waits at most this long for "
                        + "loads to complete; if they have not, the task pauses its partitions and resumes "
                        + "them within about 200 ms of loads making room (while they are paused it has the "
                        + "worker call it every 200 ms, not only at its next offset commit). Keep it well "
                        + "below the consumer's `max.poll.interval.ms`.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Buffer full max wait (ms)");
        def.define(MAX_IN_FLIGHT_LOADS, Type.INT, 2, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
                "Loads one task runs at the same time. Loads into the same table run one after the other, "
                        + "in order, so a later change of a key never lands before an earlier one; see "
                        + MAX_IN_FLIGHT_LOADS_PER_TABLE + " for duplicate key tables.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Max in-flight loads");
        def.define(MAX_IN_FLIGHT_LOADS_PER_TABLE, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.LOW,
                "Loads of one table that one task may run at the same time, within " + MAX_IN_FLIGHT_LOADS
                        + ". Above 1 it applies only to duplicate key tables, where no row replaces or combines with "
                        + "another, so the order loads land in cannot change the result: the task asks the FE for "
                        + "each table's model before its first load. Primary, unique and aggregate key tables, and "
                        + "tables whose model the FE does not tell (StarRocks tells it only to a user with the admin "
                        + "role), still load one batch at a time. Helps when one table's loads take longer than "
                        + "filling a buffer. Needs "
                        + DELIVERY_GUARANTEE + "=at_least_once.",
                GROUP_BUFFERING, ++order, Width.SHORT, "Max in-flight loads per table");

        order = 0;
        def.define(LABEL_PREFIX, Type.STRING, "kafka", new LabelPrefixValidator(), Importance.LOW,
                "Start of every load label. Labels are `<prefix>-<connector>-<table>-<topic>-<partition>-"
                        + "<first offset>-<last offset>-<identity>`, the identity a hash of these fields and of "
                        + "the batch's rows, so a retry reuses its label and the target refuses to load the same "
                        + "records twice, while other records at the same offsets (a topic created again) get "
                        + "another label (see docs/labels.md). Change it when another writer makes labels of "
                        + "this form in the same database.",
                GROUP_LOAD, ++order, Width.SHORT, "Label prefix");
        def.define(LOAD_TIMEOUT_MS, Type.LONG, 600_000L, ConfigDef.Range.atLeast(1_000), Importance.MEDIUM,
                "How long one load request may take before its outcome is treated as unknown (and "
                        + "resent with the same label); also, at least once, how long a load whose label is "
                        + "still running is watched before it is resent.",
                GROUP_LOAD, ++order, Width.SHORT, "Load timeout (ms)");
        def.define(LOAD_MODE, Type.STRING, LOAD_MODE_STREAM_LOAD,
                ConfigDef.CaseInsensitiveValidString.in(LOAD_MODE_STREAM_LOAD, LOAD_MODE_MERGE_COMMIT), Importance.MEDIUM,
                "`stream_load`: each batch is one Stream Load under its own label, one transaction and one new "
                        + "version of the table; a retry under the same label never loads twice. `merge_commit`: the "
                        + "target merges the concurrent loads of a table into one transaction and one version "
                        + "(StarRocks 3.4+ merge commit, `enable_merge_commit` in sync mode; Doris 2.1+ group "
                        + "commit, `group_commit: sync_mode`), for many small loads. The target then names the "
                        + "transaction itself: the batch's label is not checked, so a retry after an unknown outcome "
                        + "(a 502, a reset, a timeout) may load the batch twice. At least once only (not with "
                        + DELIVERY_GUARANTEE + "=exactly_once). The answer comes once the merged transaction is "
                        + "visible, and a primary or unique key table still gets one load at a time from a task, so "
                        + "the order of a key's changes holds. See README, Load modes, and docs/retry-policy.md.",
                GROUP_LOAD, ++order, Width.SHORT, "Load mode");
        def.define(LOAD_MERGE_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                "With " + LOAD_MODE + "=merge_commit on StarRocks: the merge window "
                        + "(`merge_commit_interval_ms`). Loads of a table that reach the target within it share one "
                        + "transaction; a load waits for its window to close, so a wider window merges more and "
                        + "answers later. Doris takes its window from the table property `group_commit_interval_ms` "
                        + "(ALTER TABLE t SET (\"group_commit_interval_ms\" = \"1000\")), not from a load: "
                        + "leave this at its default there.",
                GROUP_LOAD, ++order, Width.SHORT, "Merge window (ms)");
        def.define(LOAD_MERGE_PARALLEL, Type.INT, 2, ConfigDef.Range.between(1, 1024), Importance.LOW,
                "With " + LOAD_MODE + "=merge_commit on StarRocks: how many BEs take a merge window's loads "
                        + "(`merge_commit_parallel`). Doris has no such setting: leave it at its default there.",
                GROUP_LOAD, ++order, Width.SHORT, "Merge parallelism");

        order = 0;
        def.define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "How often a load whose outcome is unknown or transiently failed is sent again (always "
                        + "with the same label) before the task fails; with exactly-once, the transaction's "
                        + "steps, or its commit alone once it is prepared. `retry.max.time.ms` can end the "
                        + "retries sooner. Permanent failures (authentication, a table of the configuration "
                        + "the target does not know) fail the task at once, and so do rows the target refuses "
                        + "unless `errors.tolerance=all` reports them.",
                GROUP_RETRY, ++order, Width.SHORT, "Max retries");
        def.define(RETRY_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Wait before the first retry; doubles with each retry up to `" + RETRY_BACKOFF_MAX_MS
                        + "`, with random jitter so tasks do not retry in lockstep.",
                GROUP_RETRY, ++order, Width.SHORT, "Retry backoff (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Upper bound of the wait between retries.",
                GROUP_RETRY, ++order, Width.SHORT, "Retry backoff max (ms)");

        order = 0;
        def.define(COMMIT_MAX_WAIT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When Connect commits offsets (every `offset.flush.interval.ms`, and before partitions are "
                        + "revoked), the task loads what it buffered and waits at most this long for the "
                        + "loads to be confirmed, so the commit includes them. Offsets are only ever "
                        + "committed for records the target confirmed. Keep it well below the consumer's "
                        + "`max.poll.interval.ms`.",
                GROUP_LIFECYCLE, ++order, Width.SHORT, "Commit max wait (ms)");
        def.define(CLOSE_MAX_WAIT_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "When partitions are closed or the task stops, loads in flight get at most this long to "
                        + "finish; then they are abandoned (their offsets are not committed, so their "
                        + "records are loaded again by the next owner).",
                GROUP_LIFECYCLE, ++order, Width.SHORT, "Close max wait (ms)");

        order = 0;
        def.define(LOAD_ERRORS_URL, Type.PASSWORD, null, new WarningsStoreSettings.UrlValidator(), Importance.MEDIUM,
                "The warnings store: a MySQL-protocol server where every rejected row (table `load_errors`) and "
                        + "a summary of every load (table `load_jobs`) are written, as "
                        + "`mysql://user[:password]@host[:port][/database[/table]][?option=value&...]`. Best effort: "
                        + "loading never waits on it, and entries it cannot take (MySQL away, queue full, password "
                        + "not readable on the worker) are counted in `warnings-store-dropped-total` and dropped. "
                        + "Query it with `warnings-reporter show \"SHOW LOAD WARNINGS ...\"`. Not set: no store. "
                        + "Options: only the driver's TLS options (`sslMode`, `tlsVersions`, `tlsCiphersuites`, "
                        + "`trustCertificateKeyStoreUrl`/`Type`/`Password` and `clientCertificateKeyStoreUrl`/`Type`/"
                        + "`Password` with `file:` URLs, `fallbackToSystemTrustStore`, `fallbackToSystemKeyStore`, "
                        + "`useSSL`, `requireSSL`, `verifyServerCertificate`), `allowPublicKeyRetrieval` (off "
                        + "unless set: without TLS it lets the server read the password), "
                        + "`connectTimeout`, `socketTimeout`, `tcpKeepAlive`, `characterEncoding` and "
                        + "`connectionCollation`; any other is refused, and LOAD DATA LOCAL, driver extension "
                        + "classes and authentication with the worker's Kerberos, OCI or OpenID identities stay off "
                        + "whatever the URL says. A PASSWORD-type setting: Connect's validation results show "
                        + "`[hidden]` and the connector logs it with the password masked, but "
                        + "`GET /connectors/NAME/config` returns it as written and the config topic stores it so. "
                        + "Keep the password out of the URL: use `"
                        + LOAD_ERRORS_PASSWORD + "` with a config provider (`${file:/etc/kafka/secrets/mysql.properties:"
                        + "password}` with Kafka's FileConfigProvider), or the password file or variable below.",
                GROUP_REJECTED_ROWS, ++order, Width.LONG, "Warnings store URL");
        def.define(LOAD_ERRORS_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                "The warnings store password, when it is not in `" + LOAD_ERRORS_URL + "`. Like every "
                        + "PASSWORD-type setting, `GET /connectors/NAME/config` returns it as written: give it "
                        + "through a config provider, e.g. `${file:/etc/kafka/secrets/mysql.properties:password}`.",
                GROUP_REJECTED_ROWS, ++order, Width.MEDIUM, "Warnings store password");
        def.define(LOAD_ERRORS_PASSWORD_FILE, Type.STRING, "", Importance.LOW,
                "A file on the worker that holds the warnings store password (a trailing line break is ignored). "
                        + "Only honoured under a directory the worker's administrator allowed with "
                        + "`-Dstreamload.secrets.dir=DIR` or the worker's environment variable "
                        + "`STREAMLOAD_SECRETS_DIR=DIR` (links and `..` are resolved first); otherwise refused, "
                        + "without saying whether the file exists, so that a user of the REST API cannot have "
                        + "the worker send any of its files to a server of their choosing. Prefer `"
                        + LOAD_ERRORS_PASSWORD + "` with a config provider. "
                        + "Validation checks that the validating worker can read it. A task that cannot read it "
                        + "when it starts loads as usual without the store (one WARN; its entries are counted in "
                        + "`warnings-store-dropped-total`).",
                GROUP_REJECTED_ROWS, ++order, Width.MEDIUM, "Warnings store password file");
        def.define(LOAD_ERRORS_PASSWORD_ENV, Type.STRING, "", Importance.LOW,
                "An environment variable of the worker that holds the warnings store password. Only honoured "
                        + "when its name starts with one of the comma-separated prefixes the worker's administrator "
                        + "allowed with `-Dstreamload.secret.env.prefix=PREFIX` or the worker's environment variable "
                        + "`STREAMLOAD_SECRET_ENV_PREFIX=PREFIX`; none allowed by default. Validation "
                        + "checks that it is set on the validating worker. A task that does not find it when it "
                        + "starts loads as usual without the store (one WARN; its entries are counted in "
                        + "`warnings-store-dropped-total`).",
                GROUP_REJECTED_ROWS, ++order, Width.MEDIUM, "Warnings store password variable");
        def.define(LOAD_ERRORS_CLUSTER_ID, Type.STRING, "", Importance.LOW,
                "Names the warnings store database when the URL names none (sanitised to `[a-z0-9_]`). "
                        + "Default: the connector's name, so each connector keeps its own database.",
                GROUP_REJECTED_ROWS, ++order, Width.MEDIUM, "Warnings store cluster id");
        def.define(LOAD_ERRORS_CREATE_TABLES, Type.BOOLEAN, true, Importance.LOW,
                "Create the warnings store database and tables when they are missing.",
                GROUP_REJECTED_ROWS, ++order, Width.SHORT, "Create warnings tables");
        def.define(LOAD_ERRORS_RETENTION, Type.STRING, "7d", new DurationSetting(), Importance.LOW,
                "Rows of the warnings store older than this are deleted, in small batches, by the connector's "
                        + "first task once an hour (and by `warnings-reporter cleanup` or `serve`).",
                GROUP_REJECTED_ROWS, ++order, Width.SHORT, "Warnings retention");
        def.define(LOAD_ERRORS_QUEUE_CAPACITY, Type.INT, 10_000, ConfigDef.Range.between(1, 1_000_000),
                Importance.LOW,
                "Entries waiting for the warnings store at most; beyond, new entries are dropped and counted.",
                GROUP_REJECTED_ROWS, ++order, Width.SHORT, "Warnings queue capacity");

        order = 0;
        def.define(DELIVERY_GUARANTEE, Type.STRING, AT_LEAST_ONCE,
                ConfigDef.CaseInsensitiveValidString.in(AT_LEAST_ONCE, EXACTLY_ONCE), Importance.HIGH,
                "`at_least_once`: plain stream loads, a record may be loaded twice after a crash between "
                        + "the load and the offset commit. `exactly_once`: each batch goes into a transaction "
                        + "(StarRocks' transaction interface, Doris' two-phase commit) that is recorded in the intent "
                        + "log before it is committed, so after any crash or rebalance each record is applied once. "
                        + "Needs `" + EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS + "`, and consumers that rebalance eagerly "
                        + "(Connect's default): a `consumer.override.` of a cooperative assignor or of "
                        + "`group.protocol=consumer` is refused. See docs/exactly-once.md.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Delivery guarantee");
        def.define(EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.HIGH,
                "With exactly_once: the Kafka cluster that keeps the intent log, usually the one the connector "
                        + "reads from (`host:port,...`). Client settings such as security go in "
                        + "`" + EXACTLY_ONCE_LOG_CLIENT_PREFIX + "*`, for example "
                        + "`" + EXACTLY_ONCE_LOG_CLIENT_PREFIX + "security.protocol`.",
                GROUP_DELIVERY, ++order, Width.LONG, "Intent log bootstrap servers");
        def.define(EXACTLY_ONCE_LOG_TOPIC, Type.STRING, "streamload-intent-log", Importance.MEDIUM,
                "With exactly_once: the compacted topic holding the intent log, created when missing. Several "
                        + "connectors may share it (entries are keyed by connector name); keep it as long as the "
                        + "target keeps labels.",
                GROUP_DELIVERY, ++order, Width.MEDIUM, "Intent log topic");
        def.define(EXACTLY_ONCE_LOG_RETENTION_MS, Type.LONG, 3L * 24 * 3600 * 1000, ConfigDef.Range.atLeast(60_000),
                Importance.LOW,
                "With exactly_once: how long the intent log keeps entries, set when the connector creates the "
                        + "topic (compacted, then deleted after this). Keep it at least as long as the target keeps "
                        + "labels (StarRocks `label_keep_max_second`, 3 days by default; Doris 12 hours): beyond "
                        + "that recovery cannot use an entry anyway.",
                GROUP_DELIVERY, ++order, Width.SHORT, "Intent log retention (ms)");

        DataConfig.define(def, GROUP_DATA);
        AutoTableConfig.define(def, GROUP_AUTO_TABLES);
        NetworkSettings.define(def, GROUP_NETWORK);
        ConfigAliases.define(def, GROUP_ALIASES);
        return def;
    }
}
