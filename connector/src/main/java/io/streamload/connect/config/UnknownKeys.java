package io.streamload.connect.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Finds keys that look like settings of this connector but are none, such as {@code load.pasword}
 * or {@code buffer.max.byte}: Connect passes unknown keys through without a word, so a typo would
 * silently leave the setting at its default. A key is suspect when it starts like one of ours
 * (its first dotted part is the first part of a key of ours, such as {@code load} or
 * {@code buffer}) or is a few letters away from one of ours. The nearest key of ours is suggested.
 *
 * <p>Not suspect: Connect's own keys ({@code name}, {@code topics}, {@code errors.*},
 * {@code transforms.*}, converters, client overrides), keys under the prefixes whose sub-keys are
 * free ({@code load.properties.*}, {@code sink.properties.*}, {@code exactly.once.log.client.*}),
 * and the official StarRocks connector's keys, aliased or ignored (see {@link ConfigAliases}).
 */
final class UnknownKeys {

    /** Prefixes whose sub-keys are not ours to know: Stream Load headers, the intent log's client. */
    static final List<String> FREE_PREFIXES = List.of(StreamLoadSinkConfig.LOAD_PROPERTIES_PREFIX,
            ConfigAliases.SINK_PROPERTIES_PREFIX, StreamLoadSinkConfig.EXACTLY_ONCE_LOG_CLIENT_PREFIX);

    /** Keys Connect reads from a connector's config (sink and source, so a shared template passes). */
    private static final Set<String> CONNECT_KEYS = Set.of("name", "connector.class", "connector.plugin.version",
            "tasks.max", "tasks.max.enforce", "topics", "topics.regex", "key.converter", "value.converter",
            "header.converter", "key.converter.plugin.version", "value.converter.plugin.version",
            "header.converter.plugin.version", "config.action.reload", "transforms", "predicates", "task.class",
            "exactly.once.support", "transaction.boundary", "transaction.boundary.interval.ms",
            "offsets.storage.topic", "topic.creation.groups");

    /** Prefixes of keys Connect reads. */
    private static final List<String> CONNECT_PREFIXES = List.of("errors.", "transforms.", "predicates.",
            "consumer.override.", "producer.override.", "admin.override.", "key.converter.", "value.converter.",
            "header.converter.", "topic.creation.");

    private UnknownKeys() {
    }

    /**
     * The suspect keys among {@code keys}, each with its message.
     *
     * @param keys the keys as the user wrote them
     * @param known every key of the connector, aliases included
     */
    static Map<String, String> find(Collection<String> keys, Collection<String> known) {
        Set<String> ours = new TreeSet<>(known);
        ours.addAll(ConfigAliases.IGNORED_OFFICIAL_KEYS);
        Set<String> firstParts = new TreeSet<>();
        ours.forEach(key -> firstParts.add(firstPart(key)));
        FREE_PREFIXES.forEach(prefix -> firstParts.add(firstPart(prefix)));

        Map<String, String> suspects = new LinkedHashMap<>();
        for (String key : new TreeSet<>(keys)) {
            if (ours.contains(key) || isConnects(key) || hasFreePrefix(key)) {
                continue;
            }
            Suggestion nearest = nearest(key, ours);
            boolean looksLikeOurs = firstParts.contains(firstPart(key));
            if (looksLikeOurs || nearest != null && nearest.distance() <= 2) {
                suspects.put(key, message(key, nearest));
            }
        }
        return suspects;
    }

    private static String message(String key, Suggestion nearest) {
        String start = "'" + key + "' is not a setting of this connector";
        if (nearest != null && nearest.distance() <= closeEnough(key)) {
            return start + "; did you mean '" + nearest.key() + "'? Rename it (or remove it)";
        }
        if (ConsumerConfig.configNames().contains(key)) {
            return start + " but a Kafka consumer setting: give it as 'consumer.override." + key
                    + "' (the worker must allow client overrides)";
        }
        return start + "; remove it, or see docs/configuration.md for the keys that start with '"
                + firstPart(key) + ".'";
    }

    /** How many edits still count as a typo: two, and one more per eight characters beyond sixteen. */
    private static int closeEnough(String key) {
        return 2 + Math.max(0, (key.length() - 16) / 8);
    }

    private record Suggestion(String key, int distance) {
    }

    /**
     * The nearest key of ours, by edit distance; a key under a free prefix whose prefix is
     * misspelt ({@code load.propertes.timeout}) is compared by its prefix, and the suggestion
     * keeps what follows it.
     */
    private static Suggestion nearest(String key, Collection<String> ours) {
        Suggestion best = null;
        for (String candidate : ours) {
            int distance = distance(key.toLowerCase(Locale.ROOT), candidate);
            if (best == null || distance < best.distance()) {
                best = new Suggestion(candidate, distance);
            }
        }
        for (String prefix : FREE_PREFIXES) {
            int parts = prefix.split("\\.").length;
            String[] keyParts = key.split("\\.", -1);
            if (keyParts.length <= parts) {
                continue;
            }
            String keyPrefix = String.join(".", List.of(keyParts).subList(0, parts)) + ".";
            String rest = key.substring(keyPrefix.length());
            int distance = distance(keyPrefix.toLowerCase(Locale.ROOT), prefix);
            if (!rest.isEmpty() && (best == null || distance < best.distance())) {
                best = new Suggestion(prefix + rest, distance);
            }
        }
        return best;
    }

    private static boolean isConnects(String key) {
        return CONNECT_KEYS.contains(key) || CONNECT_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static boolean hasFreePrefix(String key) {
        return FREE_PREFIXES.stream().anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
    }

    private static String firstPart(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
