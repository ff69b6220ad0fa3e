package io.streamload.connect.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import io.streamload.connect.buffer.BodyCodec;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.dialect.StreamLoadDialects;

/**
 * The checks that involve more than one key, or a key and its alias. They run both when the
 * connector's config is validated through the REST API (so the error is reported on the field at
 * fault) and when a connector or task starts (so a config that skipped validation still fails
 * with the same message).
 */
public final class CrossFieldValidation {

    /** The keys without a default, and what to give for each. */
    private static final Map<String, String> REQUIRED = new LinkedHashMap<>();
    /** Connect's prefix for the connector's own settings of its consumers. */
    private static final String CONSUMER_OVERRIDE = "consumer.override.";

    static {
        REQUIRED.put(StreamLoadSinkConfig.LOAD_URLS, "the FE endpoints, for example http://fe1:8030,http://fe2:8030");
        REQUIRED.put(StreamLoadSinkConfig.LOAD_USER, "the user that loads");
        REQUIRED.put(StreamLoadSinkConfig.LOAD_DATABASE, "the database of the target tables");
    }

    /** Connect's keys this class reads: which topics the connector reads, and its transforms. */
    private static final String TOPICS = "topics";
    private static final String TOPICS_REGEX = "topics.regex";
    private static final String TRANSFORMS = "transforms";

    /**
     * Settings that only shape JSON rows: with {@code format=csv} the record value is the line,
     * sent as it is, and a value that is not a Struct or Map has no field to route by.
     */
    private static final List<String> JSON_ONLY_SETTINGS = List.of(DataConfig.VALUE_PASSTHROUGH,
            DataConfig.TIME_ZONE, DataConfig.BYTES_FORMAT, DataConfig.FLOAT_NON_FINITE, DataConfig.TABLE_FIELD);

    private CrossFieldValidation() {
    }

    /** Checks a parsed configuration; returns errors by the key to report them on. */
    static Map<String, List<String>> check(AbstractConfig config, ConfigAliases.Resolved resolved) {
        return check(config.values(), resolved, Set.of());
    }

    /**
     * Checks parsed values.
     *
     * @param values parsed values by key; a key that failed to parse may be absent or null
     * @param resolved the alias resolution of the raw properties
     * @param keysWithErrors keys already reported as invalid, not to be reported missing as well
     * @return error messages by the key they belong to, in a stable order
     */
    public static Map<String, List<String>> check(Map<String, ?> values, ConfigAliases.Resolved resolved,
                                                  Collection<String> keysWithErrors) {
        Map<String, List<String>> errors = new LinkedHashMap<>();

        for (ConfigAliases.Conflict conflict : resolved.conflicts()) {
            add(errors, conflict.key(), conflict.message());
            add(errors, conflict.otherKey(), conflict.message());
        }

        REQUIRED.keySet().forEach(key -> requirePresent(values, keysWithErrors, errors, key));

        UnknownKeys.find(resolved.props().keySet(), StreamLoadSinkConfig.keyNames()).forEach((key, message) ->
                add(errors, key, message));

        resolved.loadProperties().keySet().stream().filter(LoadPropertyRules::isRefused).forEach(header ->
                add(errors, keyOf(resolved.props(), header), "Stream Load header '" + header + "' cannot be set: "
                        + LoadPropertyRules.refusalReason(header)));
        resolved.loadProperties().forEach((header, value) -> LoadPropertyRules.valueProblem(header, value)
                .ifPresent(problem -> {
                    String key = keyOf(resolved.props(), header);
                    add(errors, key, key + " is '" + value + "', but " + problem);
                }));
        if (isCsv(values)) {
            resolved.loadProperties().keySet().stream().filter(LoadPropertyRules::isJsonOnly).forEach(header -> {
                String key = keyOf(resolved.props(), header);
                add(errors, key, key + ": the header " + header + " applies to JSON bodies only, but format=csv "
                        + "sends CSV lines; remove it, or set format=json");
            });
            for (String key : JSON_ONLY_SETTINGS) {
                if (!keysWithErrors.contains(key) && StreamLoadSinkConfig.differsFromDefault(key, values.get(key))) {
                    add(errors, key, key + " applies to JSON rows only, but format=csv sends each record value as "
                            + "the CSV line it holds, unchanged; remove " + key + ", or set format=json");
                }
            }
        }

        checkTopicsOfTheMap(values, resolved.props(), keysWithErrors, errors);

        Object bufferMax = values.get(StreamLoadSinkConfig.BUFFER_MAX_BYTES);
        Object bufferTotal = values.get(StreamLoadSinkConfig.BUFFER_TOTAL_MAX_BYTES);
        if (bufferMax instanceof Long m && bufferTotal instanceof Long t && m > t) {
            add(errors, StreamLoadSinkConfig.BUFFER_MAX_BYTES, StreamLoadSinkConfig.BUFFER_MAX_BYTES + " (" + m
                    + ") is above " + StreamLoadSinkConfig.BUFFER_TOTAL_MAX_BYTES + " (" + t + "), the bytes one task "
                    + "holds in all, so no buffer ever gets that full: lower " + StreamLoadSinkConfig.BUFFER_MAX_BYTES
                    + " to at most " + t + ", or raise " + StreamLoadSinkConfig.BUFFER_TOTAL_MAX_BYTES + " (twice "
                    + StreamLoadSinkConfig.BUFFER_MAX_BYTES + " lets one batch load while the next fills)");
        }

        Object flushMin = values.get(StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MS);
        Object flushMax = values.get(StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MAX_MS);
        // Only a maximum the user set is checked: the default one gives way to a longer minimum.
        if (resolved.props().containsKey(StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MAX_MS)
                && flushMin instanceof Long min && flushMax instanceof Long max && max < min) {
            add(errors, StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MAX_MS, StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MAX_MS
                    + " (" + max + ") must not be below " + StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MS + " (" + min
                    + "): raise it to at least " + min + " (equal keeps every table's interval fixed)");
        }
        Object maxRate = values.get(StreamLoadSinkConfig.LOAD_MAX_RATE);
        if (maxRate instanceof Double rate && (rate.isNaN() || rate.isInfinite())) {
            add(errors, StreamLoadSinkConfig.LOAD_MAX_RATE, StreamLoadSinkConfig.LOAD_MAX_RATE + " must be a number of "
                    + "loads per second from 0 (no limit) to 10000, not " + rate);
        }

        Object backoff = values.get(StreamLoadSinkConfig.RETRY_BACKOFF_MS);
        Object backoffMax = values.get(StreamLoadSinkConfig.RETRY_BACKOFF_MAX_MS);
        if (backoff instanceof Long b && backoffMax instanceof Long m && b > m) {
            add(errors, StreamLoadSinkConfig.RETRY_BACKOFF_MAX_MS, StreamLoadSinkConfig.RETRY_BACKOFF_MAX_MS
                    + " (" + m + ") must not be below " + StreamLoadSinkConfig.RETRY_BACKOFF_MS + " (" + b + ")");
        }

        Object format = values.get(StreamLoadSinkConfig.FORMAT);
        Object columnSeparator = values.get(StreamLoadSinkConfig.CSV_COLUMN_SEPARATOR);
        Object rowDelimiter = values.get(StreamLoadSinkConfig.CSV_ROW_DELIMITER);
        if (format instanceof String f && StreamLoadSinkConfig.FORMAT_CSV.equalsIgnoreCase(f)
                && columnSeparator instanceof String c && rowDelimiter instanceof String r
                && !keysWithErrors.contains(StreamLoadSinkConfig.CSV_ROW_DELIMITER)
                && !keysWithErrors.contains(StreamLoadSinkConfig.CSV_COLUMN_SEPARATOR)
                && Separators.decode(c).equals(Separators.decode(r))) {
            add(errors, StreamLoadSinkConfig.CSV_ROW_DELIMITER, "the row delimiter must differ from the column separator");
        }
        DataConfig.check(values, keysWithErrors, (key, message) -> add(errors, key, message));
        AutoTableConfig.check(values, resolved.loadProperties(), keysWithErrors, (key, message) -> add(errors, key, message));
        checkCompression(values, keysWithErrors, errors);

        Object guarantee = values.get(StreamLoadSinkConfig.DELIVERY_GUARANTEE);
        Object logServers = values.get(StreamLoadSinkConfig.EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS);
        if (guarantee instanceof String g && StreamLoadSinkConfig.EXACTLY_ONCE.equalsIgnoreCase(g)
                && (!(logServers instanceof String servers) || servers.isBlank())) {
            add(errors, StreamLoadSinkConfig.EXACTLY_ONCE_LOG_BOOTSTRAP_SERVERS, "delivery.guarantee=exactly_once "
                    + "keeps an intent log in Kafka: set the bootstrap servers of the cluster that holds it (usually "
                    + "the one this connector reads from)");
        }
        Object perTable = values.get(StreamLoadSinkConfig.MAX_IN_FLIGHT_LOADS_PER_TABLE);
        if (guarantee instanceof String g && StreamLoadSinkConfig.EXACTLY_ONCE.equalsIgnoreCase(g)
                && perTable instanceof Integer n && n > 1) {
            add(errors, StreamLoadSinkConfig.MAX_IN_FLIGHT_LOADS_PER_TABLE, "delivery.guarantee=exactly_once commits "
                    + "each table's transactions in order, one at a time: set "
                    + StreamLoadSinkConfig.MAX_IN_FLIGHT_LOADS_PER_TABLE + " to 1, or use delivery.guarantee="
                    + "at_least_once to load duplicate key tables in parallel");
        }
        if (guarantee instanceof String g && StreamLoadSinkConfig.EXACTLY_ONCE.equalsIgnoreCase(g)) {
            incrementalRebalancing(resolved.props()).ifPresent(setting -> add(errors,
                    StreamLoadSinkConfig.DELIVERY_GUARANTEE, "delivery.guarantee=exactly_once holds across eager "
                            + "rebalances, which close all of a task's partitions at once; " + setting + " moves them "
                            + "one at a time, and a load carrying records of a moved partition and of a kept one may "
                            + "then load the moved one's records twice (docs/exactly-once.md, Limits). Remove that "
                            + "override (the default assignor, RangeAssignor, is eager), or use "
                            + "delivery.guarantee=at_least_once"));
        }
        checkMergeCommit(values, resolved, guarantee, errors);
        return errors;
    }

    /**
     * The connector's consumer override that makes its sink consumers rebalance incrementally (a
     * cooperative assignor first in the list, or the consumer group protocol of KIP-848), if any.
     * The worker's own consumer settings are not seen here; the task warns when a close leaves a
     * running load with records of partitions it keeps.
     */
    static Optional<String> incrementalRebalancing(Map<String, String> props) {
        String strategy = props.get(CONSUMER_OVERRIDE + "partition.assignment.strategy");
        if (strategy != null && !strategy.isBlank()) {
            String first = strategy.split(",")[0].trim();
            if (first.endsWith("CooperativeStickyAssignor")) {
                return Optional.of(CONSUMER_OVERRIDE + "partition.assignment.strategy=" + first);
            }
        }
        String protocol = props.get(CONSUMER_OVERRIDE + "group.protocol");
        if (protocol != null && protocol.trim().equalsIgnoreCase("consumer")) {
            return Optional.of(CONSUMER_OVERRIDE + "group.protocol=consumer");
        }
        return Optional.empty();
    }

    /**
     * {@code load.mode=merge_commit}: the target names each merged transaction itself, so no label
     * of the connector's can make a load count once, which exactly once needs; Doris does not
     * group-commit partial column updates (they load as plain loads, unmerged), and takes neither
     * window nor parallelism from a load.
     */
    private static void checkMergeCommit(Map<String, ?> values, ConfigAliases.Resolved resolved, Object guarantee,
                                         Map<String, List<String>> errors) {
        Object mode = values.get(StreamLoadSinkConfig.LOAD_MODE);
        if (!(mode instanceof String m) || !StreamLoadSinkConfig.LOAD_MODE_MERGE_COMMIT.equalsIgnoreCase(m)) {
            return;
        }
        if (guarantee instanceof String g && StreamLoadSinkConfig.EXACTLY_ONCE.equalsIgnoreCase(g)) {
            add(errors, StreamLoadSinkConfig.LOAD_MODE, "load.mode=merge_commit is at least once only: the target "
                    + "merges loads into transactions it names itself and does not check the connector's labels, so "
                    + "a load cannot be made to count once; set load.mode=stream_load for delivery.guarantee="
                    + "exactly_once, or delivery.guarantee=at_least_once for merge_commit");
        }
        Object target = values.get(StreamLoadSinkConfig.TARGET);
        if (target instanceof String t && StreamLoadSinkConfig.TARGET_DORIS.equalsIgnoreCase(t)) {
            boolean partialColumns = Boolean.TRUE.equals(values.get(DataConfig.PARTIAL_UPDATE))
                    || "true".equalsIgnoreCase(String.valueOf(resolved.loadProperties().get("partial_columns")).trim());
            if (partialColumns) {
                add(errors, StreamLoadSinkConfig.LOAD_MODE, "load.mode=merge_commit: Doris does not group-commit "
                        + "partial column updates (it loads them one by one, unmerged); set load.mode=stream_load, "
                        + "or turn off partial.update (load.properties.partial_columns)");
            }
            for (String key : List.of(StreamLoadSinkConfig.LOAD_MERGE_INTERVAL_MS,
                    StreamLoadSinkConfig.LOAD_MERGE_PARALLEL)) {
                if (StreamLoadSinkConfig.differsFromDefault(key, values.get(key))) {
                    add(errors, key, key + " is read by StarRocks only: Doris takes its group commit window from the "
                            + "table property group_commit_interval_ms (ALTER TABLE t SET (\"group_commit_interval_ms\""
                            + " = \"1000\")); remove " + key);
                }
            }
        }
    }

    /**
     * {@code load.compression} against what the target reads for the format and delivery
     * guarantee (the dialect knows), whether this worker can run the codec, and the level against
     * the codec's range.
     */
    private static void checkCompression(Map<String, ?> values, Collection<String> keysWithErrors,
                                         Map<String, List<String>> errors) {
        String key = StreamLoadSinkConfig.LOAD_COMPRESSION;
        if (keysWithErrors.contains(key) || !(values.get(key) instanceof String name)) {
            return;
        }
        BodyCodec codec = BodyCodec.bySettingName(name).orElse(null);
        if (codec == null) {
            return; // the key's validator reports it
        }
        Object level = values.get(StreamLoadSinkConfig.LOAD_COMPRESSION_LEVEL);
        String levelKey = StreamLoadSinkConfig.LOAD_COMPRESSION_LEVEL;
        if (level instanceof Integer l && !keysWithErrors.contains(levelKey)) {
            if (!codec.hasLevels()) {
                add(errors, levelKey, levelKey + " is " + l + ", but " + key + "=" + codec.settingName()
                        + " has no levels; remove " + levelKey);
            } else if (l < codec.minLevel() || l > codec.maxLevel()) {
                add(errors, levelKey, levelKey + " is " + l + ", but " + codec.settingName() + " takes levels "
                        + codec.minLevel() + " to " + codec.maxLevel());
            }
        }
        if (codec == BodyCodec.NONE) {
            return;
        }
        Object target = values.get(StreamLoadSinkConfig.TARGET);
        Object format = values.get(StreamLoadSinkConfig.FORMAT);
        Object guarantee = values.get(StreamLoadSinkConfig.DELIVERY_GUARANTEE);
        if (target instanceof String t && format instanceof String f && !keysWithErrors.contains(StreamLoadSinkConfig.TARGET)
                && !keysWithErrors.contains(StreamLoadSinkConfig.FORMAT)) {
            StreamLoadDialect dialect = StreamLoadDialects.forTarget(t);
            String lowerFormat = f.trim().toLowerCase(Locale.ROOT);
            boolean transactional = guarantee instanceof String g && StreamLoadSinkConfig.EXACTLY_ONCE.equalsIgnoreCase(g);
            dialect.compressionRefusal(lowerFormat, codec, transactional).ifPresent(why -> add(errors, key,
                    key + "=" + codec.settingName() + " cannot be used with target=" + t.trim().toLowerCase(Locale.ROOT)
                            + ", format=" + lowerFormat + (transactional ? ", delivery.guarantee=exactly_once" : "")
                            + ": " + why + ". Accepted here: " + accepted(dialect, lowerFormat, transactional)));
        }
        codec.unavailableReason().ifPresent(why -> add(errors, key, key + "=" + codec.settingName() + ": " + why));
    }

    private static String accepted(StreamLoadDialect dialect, String format, boolean transactional) {
        List<String> names = new ArrayList<>();
        for (BodyCodec codec : BodyCodec.values()) {
            if (dialect.compressionRefusal(format, codec, transactional).isEmpty()) {
                names.add(codec.settingName());
            }
        }
        return String.join(", ", names);
    }

    /**
     * The required keys of the raw (alias-resolved) properties that are not there at all, with
     * the message for each. A blank value is reported by {@link #check} instead.
     */
    static Map<String, String> missingRequired(Map<String, String> props) {
        Map<String, String> missing = new LinkedHashMap<>();
        REQUIRED.keySet().stream().filter(key -> props.get(key) == null)
                .forEach(key -> missing.put(key, missingMessage(key)));
        return missing;
    }

    /** True for the keys without a default: validate reports them missing with {@link #check}'s message. */
    public static boolean isRequired(String key) {
        return REQUIRED.containsKey(key);
    }

    private static void requirePresent(Map<String, ?> values, Collection<String> keysWithErrors,
                                       Map<String, List<String>> errors, String key) {
        if (keysWithErrors.contains(key)) {
            return;
        }
        Object value = values.get(key);
        boolean missing = value == null
                || value instanceof String s && s.isBlank()
                || value instanceof List<?> l && l.stream().allMatch(e -> e == null || e.toString().isBlank())
                || value instanceof Password p && p.value().isBlank();
        if (missing) {
            add(errors, key, missingMessage(key));
        }
    }

    private static String missingMessage(String key) {
        String alias = ConfigAliases.KEY_ALIASES.entrySet().stream()
                .filter(e -> e.getValue().equals(key)).map(Map.Entry::getKey).findFirst().orElse(null);
        return "Missing required configuration \"" + key + "\": " + REQUIRED.get(key)
                + (alias == null ? "" : " (or its alias \"" + alias + "\")");
    }

    /**
     * Each topic of {@code topic2table.map} must be one the connector reads: a topic named wrong
     * there silently sends its records to the table {@code table.name.format} gives. With
     * transforms configured a record's topic may be one a transform renamed it to, which cannot
     * be known here, so the check is left out.
     */
    private static void checkTopicsOfTheMap(Map<String, ?> values, Map<String, String> props,
                                            Collection<String> keysWithErrors, Map<String, List<String>> errors) {
        String topics = props.get(TOPICS);
        String regex = props.get(TOPICS_REGEX);
        String transforms = props.get(TRANSFORMS);
        if (keysWithErrors.contains(StreamLoadSinkConfig.TOPIC2TABLE_MAP)
                || !(values.get(StreamLoadSinkConfig.TOPIC2TABLE_MAP) instanceof String map)
                || transforms != null && !transforms.isBlank()
                || (topics == null || topics.isBlank()) && (regex == null || regex.isBlank())) {
            return;
        }
        Set<String> subscribed = new HashSet<>();
        if (topics != null) {
            for (String topic : topics.split(",")) {
                subscribed.add(topic.trim());
            }
        }
        Pattern pattern = null;
        if (regex != null && !regex.isBlank()) {
            try {
                pattern = Pattern.compile(regex.trim());
            } catch (PatternSyntaxException e) {
                return; // Connect reports the regex itself
            }
        }
        List<String> unread = new ArrayList<>();
        Map<String, String> mapped;
        try {
            mapped = TopicTableMap.parse(map);
        } catch (ConfigException e) {
            return;
        }
        for (String topic : mapped.keySet()) {
            if (!subscribed.contains(topic) && (pattern == null || !pattern.matcher(topic).matches())) {
                unread.add(topic);
            }
        }
        if (!unread.isEmpty()) {
            String reads = (topics != null && !topics.isBlank() ? TOPICS + "=" + topics.trim() : "")
                    + (regex != null && !regex.isBlank() ? (topics != null && !topics.isBlank() ? ", " : "")
                    + TOPICS_REGEX + "=" + regex.trim() : "");
            add(errors, StreamLoadSinkConfig.TOPIC2TABLE_MAP, StreamLoadSinkConfig.TOPIC2TABLE_MAP + " names "
                    + (unread.size() == 1 ? "topic '" + unread.get(0) + "', which" : "topics " + unread + ", which")
                    + " this connector does not read (" + reads + "): correct the topic name in "
                    + StreamLoadSinkConfig.TOPIC2TABLE_MAP + ", or add the topic to " + TOPICS
                    + ". (A topic that a transform renames records to is accepted once the transform is in "
                    + TRANSFORMS + ".)");
        }
    }

    private static boolean isCsv(Map<String, ?> values) {
        return values.get(StreamLoadSinkConfig.FORMAT) instanceof String f
                && StreamLoadSinkConfig.FORMAT_CSV.equalsIgnoreCase(f.trim());
    }

    /** The key the user wrote for a Stream Load header, under whichever prefix they used. */
    private static String keyOf(Map<String, String> props, String header) {
        String ours = StreamLoadSinkConfig.LOAD_PROPERTIES_PREFIX + header;
        return props.containsKey(ours) ? ours : ConfigAliases.SINK_PROPERTIES_PREFIX + header;
    }

    private static void add(Map<String, List<String>> errors, String key, String message) {
        errors.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }
}
