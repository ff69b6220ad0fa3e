package io.streamload.connect.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Maps the keys of the official StarRocks Kafka connector onto ours, so its users switch by
 * changing {@code connector.class} only. A key given under both names with different values is a
 * conflict: we refuse to guess which one the user meant.
 *
 * <p>Three kinds of alias exist: plain keys ({@code starrocks.http.url} for {@code load.urls}),
 * the header prefix ({@code sink.properties.*} for {@code load.properties.*}), and the Stream
 * Load headers the connector turns into settings of its own ({@code load.properties.format} for
 * {@code format}, {@code column_separator} and {@code row_delimiter} for the CSV settings).
 */
public final class ConfigAliases {

    /** Official key to our key, in the order they are documented. */
    static final Map<String, String> KEY_ALIASES;
    /** Official prefix of pass-through Stream Load headers. */
    public static final String SINK_PROPERTIES_PREFIX = "sink.properties.";
    /** The official StarRocks connector's key for {@code load.urls}. */
    public static final String LOAD_URLS_ALIAS = "starrocks.http.url";
    /** Stream Load header (under either prefix) that stands for a setting of ours. */
    static final Map<String, String> HEADER_ALIASES;
    /**
     * Keys of the official connector without a counterpart here, accepted (so its configs still
     * validate) and ignored: {@code connect.timeoutms} (see {@code load.connect.timeout.ms}) and
     * {@code sink.maxretries} (see {@code max.retries}, which counts differently).
     */
    static final Set<String> IGNORED_OFFICIAL_KEYS = Set.of("connect.timeoutms", "sink.maxretries");

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(LOAD_URLS_ALIAS, StreamLoadSinkConfig.LOAD_URLS);
        keys.put("starrocks.database.name", StreamLoadSinkConfig.LOAD_DATABASE);
        keys.put("starrocks.username", StreamLoadSinkConfig.LOAD_USER);
        keys.put("starrocks.password", StreamLoadSinkConfig.LOAD_PASSWORD);
        keys.put("starrocks.topic2table.map", StreamLoadSinkConfig.TOPIC2TABLE_MAP);
        keys.put("bufferflush.maxbytes", StreamLoadSinkConfig.BUFFER_MAX_BYTES);
        keys.put("bufferflush.intervalms", StreamLoadSinkConfig.BUFFER_FLUSH_INTERVAL_MS);
        KEY_ALIASES = Collections.unmodifiableMap(keys);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("format", StreamLoadSinkConfig.FORMAT);
        headers.put("column_separator", StreamLoadSinkConfig.CSV_COLUMN_SEPARATOR);
        headers.put("row_delimiter", StreamLoadSinkConfig.CSV_ROW_DELIMITER);
        HEADER_ALIASES = Collections.unmodifiableMap(headers);
    }

    private ConfigAliases() {
    }

    /** Two keys that name the same setting but were given different values. */
    public record Conflict(String key, String otherKey) {
        public String message() {
            return "'" + key + "' and '" + otherKey + "' name the same setting but have different values; "
                    + "remove one of them";
        }
    }

    /**
     * The properties after alias resolution.
     *
     * @param props every key under our names (the alias keys stay too, they are harmless)
     * @param loadProperties Stream Load headers from both prefixes, by header name
     * @param conflicts keys given twice with different values
     * @param filledFrom our key to the alias key its value came from
     */
    public record Resolved(Map<String, String> props, Map<String, String> loadProperties,
                           List<Conflict> conflicts, Map<String, String> filledFrom) {
    }

    /** Resolves aliases; never throws, conflicts are reported in the result. */
    public static Resolved resolve(Map<String, String> raw) {
        Map<String, String> props = new LinkedHashMap<>(raw);
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, String> filledFrom = new LinkedHashMap<>();

        KEY_ALIASES.forEach((alias, ours) -> {
            UnaryOperator<String> normalise = StreamLoadSinkConfig.LOAD_URLS.equals(ours)
                    ? ConfigAliases::normaliseList : ConfigAliases::trim;
            mergeInto(props, alias, ours, raw.get(alias), normalise, conflicts, filledFrom);
        });

        Map<String, String> headers = new TreeMap<>();
        Map<String, String> headerSource = new TreeMap<>();
        collectHeaders(raw, SINK_PROPERTIES_PREFIX, headers, headerSource, conflicts);
        collectHeaders(raw, StreamLoadSinkConfig.LOAD_PROPERTIES_PREFIX, headers, headerSource, conflicts);

        HEADER_ALIASES.forEach((header, ours) -> {
            String value = headers.get(header);
            if (value == null) {
                return;
            }
            UnaryOperator<String> normalise = StreamLoadSinkConfig.FORMAT.equals(ours)
                    ? v -> trim(v).toLowerCase(Locale.ROOT) : ConfigAliases::decodeSeparator;
            mergeInto(props, headerSource.get(header), ours, value, normalise, conflicts, filledFrom);
        });
        return new Resolved(props, Collections.unmodifiableMap(headers), List.copyOf(conflicts),
                Collections.unmodifiableMap(filledFrom));
    }

    /** Declares the plain alias keys so they are documented and appear in validate results. */
    static void define(ConfigDef def, String group) {
        int order = 0;
        for (Map.Entry<String, String> alias : KEY_ALIASES.entrySet()) {
            Type type = StreamLoadSinkConfig.LOAD_PASSWORD.equals(alias.getValue()) ? Type.PASSWORD : Type.STRING;
            def.define(alias.getKey(), type, null, Importance.LOW,
                    "Alias of `" + alias.getValue() + "`. Giving both with different values is an error.",
                    group, ++order, Width.MEDIUM, alias.getKey());
        }
    }

    private static void mergeInto(Map<String, String> props, String aliasKey, String ours, String aliasValue,
                                  UnaryOperator<String> normalise, List<Conflict> conflicts,
                                  Map<String, String> filledFrom) {
        if (aliasValue == null) {
            return;
        }
        String ourValue = props.get(ours);
        if (ourValue == null) {
            props.put(ours, aliasValue);
            filledFrom.put(ours, aliasKey);
        } else if (!Objects.equals(normalise.apply(ourValue), normalise.apply(aliasValue))) {
            // Name the key the user actually wrote, which may itself have been an alias.
            conflicts.add(new Conflict(filledFrom.getOrDefault(ours, ours), aliasKey));
        }
    }

    private static void collectHeaders(Map<String, String> raw, String prefix, Map<String, String> headers,
                                       Map<String, String> source, List<Conflict> conflicts) {
        raw.forEach((key, value) -> {
            if (!key.startsWith(prefix) || key.length() == prefix.length() || value == null) {
                return;
            }
            String header = key.substring(prefix.length());
            String previous = headers.get(header);
            if (previous == null) {
                headers.put(header, value);
                source.put(header, key);
            } else if (!previous.trim().equals(value.trim())) {
                conflicts.add(new Conflict(key, source.get(header)));
            }
        });
    }

    private static String trim(String value) {
        return value.trim();
    }

    private static String normaliseList(String value) {
        return String.join(",", value.trim().split("\\s*,\\s*"));
    }

    private static String decodeSeparator(String value) {
        try {
            return Separators.decode(value);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
