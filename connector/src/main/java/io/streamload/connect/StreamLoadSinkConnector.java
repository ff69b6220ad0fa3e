package io.streamload.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.config.ConfigAliases;
import io.streamload.connect.config.CrossFieldValidation;
import io.streamload.connect.config.LoadUrls;
import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.connect.errors.ErrorTolerance;
import io.streamload.connect.errors.WarningsStoreSettings;

/**
 * Kafka Connect sink that loads records into StarRocks or Apache Doris through HTTP Stream Load.
 *
 * <p>The connector itself holds no state: every task gets the same configuration and Connect's
 * consumer group shares the partitions among them. Its {@link #validate} adds the checks that
 * span several keys (and the official StarRocks connector's alias keys) to the per-key checks,
 * reporting each error on the key the user has to change.
 *
 * <p>One finding is not an error: {@code errors.tolerance=all} without a dead letter queue. Validate
 * recommends a topic for {@code errors.deadletterqueue.topic.name} instead, and logs why.
 */
public class StreamLoadSinkConnector extends SinkConnector {

    /** The connector name, which Connect puts in the connector's properties. */
    static final String CONNECTOR_NAME = "name";
    /** Added to each task's properties so the task can name its threads. */
    static final String TASK_INDEX = "streamload.task.index";
    /** Connect's dead letter queue topic of a sink connector. */
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";

    private static final Logger log = LoggerFactory.getLogger(StreamLoadSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        // Fails the connector with a message naming the key at fault if the config is invalid.
        new StreamLoadSinkConfig(props);
        this.props = Map.copyOf(props);
        String dlq = deadLetterQueueToRecommend(props);
        if (dlq != null) {
            log.warn("Connector {}: {}", props.getOrDefault(CONNECTOR_NAME, "(no name)"), noDeadLetterQueueWarning(dlq));
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return StreamLoadSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(TASK_INDEX, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Nothing to release: the connector starts no threads and holds no connections.
    }

    @Override
    public ConfigDef config() {
        return StreamLoadSinkConfig.configDef();
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        ConfigAliases.Resolved resolved = ConfigAliases.resolve(connectorConfigs);
        List<ConfigValue> values = new ArrayList<>(config().validate(resolved.props()));
        // A required key that is not there: the ConfigDef's "no default value" gives way to the
        // cross-field check's message, which says what to give and names the alias.
        values.stream().filter(v -> CrossFieldValidation.isRequired(v.name())
                        && resolved.props().get(v.name()) == null)
                .forEach(v -> v.errorMessages().clear());
        Map<String, ConfigValue> byName = values.stream()
                .collect(Collectors.toMap(ConfigValue::name, v -> v, (a, b) -> a));
        Set<String> keysWithErrors = values.stream().filter(v -> !v.errorMessages().isEmpty())
                .map(ConfigValue::name).collect(Collectors.toSet());
        Map<String, Object> parsed = new HashMap<>();
        values.forEach(v -> parsed.put(v.name(), v.value()));

        Map<String, List<String>> errors = CrossFieldValidation.check(parsed, resolved, keysWithErrors);
        errors.forEach((key, messages) -> valueFor(key, byName, values, connectorConfigs).errorMessages()
                .addAll(messages));
        // Only here, not when a task starts: a task without its store password still loads.
        WarningsStoreSettings.checkPasswordSource(parsed, System.getenv()).forEach((key, message) ->
                valueFor(key, byName, values, connectorConfigs).addErrorMessage(message));

        // An error on a key whose value came from its alias is shown on the alias too: that is
        // the key the user wrote.
        resolved.filledFrom().forEach((ours, alias) -> {
            ConfigValue source = byName.get(ours);
            if (source != null && !source.errorMessages().isEmpty()) {
                ConfigValue aliasValue = valueFor(alias, byName, values, connectorConfigs);
                source.errorMessages().stream().filter(m -> !aliasValue.errorMessages().contains(m))
                        .forEach(aliasValue::addErrorMessage);
            }
        });
        recommendADeadLetterQueue(connectorConfigs, byName, values);
        for (String urls : List.of(StreamLoadSinkConfig.LOAD_URLS, ConfigAliases.LOAD_URLS_ALIAS)) {
            ConfigValue shown = byName.get(urls);
            if (shown != null) {
                shown.value(LoadUrls.withoutCredentials(shown.value()));
            }
        }
        return new Config(values);
    }

    /**
     * {@code errors.tolerance=all} without a dead letter queue: records the target refuses are
     * skipped and only logged (and written to the warnings store, when there is one), so they
     * cannot be replayed. Connect's validation has no warning level, and this is a choice a user
     * may make, so it is not an error: validate recommends a topic for
     * {@code errors.deadletterqueue.topic.name} (its recommended values), and the worker log says why.
     */
    private static void recommendADeadLetterQueue(Map<String, String> raw, Map<String, ConfigValue> byName,
                                                  List<ConfigValue> values) {
        String topic = deadLetterQueueToRecommend(raw);
        if (topic == null) {
            return;
        }
        ConfigValue dlq = byName.computeIfAbsent(DLQ_TOPIC, k -> {
            ConfigValue value = new ConfigValue(k, raw.getOrDefault(k, ""), new ArrayList<>(), new ArrayList<>());
            values.add(value);
            return value;
        });
        dlq.recommendedValues(List.of(topic));
        log.warn("Connector {}: {}", raw.getOrDefault(CONNECTOR_NAME, "(no name)"), noDeadLetterQueueWarning(topic));
    }

    /** The topic to recommend for the dead letter queue, or null when none is missing. */
    static String deadLetterQueueToRecommend(Map<String, String> props) {
        String tolerance = props.get(ErrorTolerance.KEY);
        String dlq = props.get(DLQ_TOPIC);
        if (tolerance == null || !"all".equalsIgnoreCase(tolerance.trim()) || dlq != null && !dlq.isBlank()) {
            return null;
        }
        String name = props.get(CONNECTOR_NAME);
        return (name == null || name.isBlank() ? "streamload" : name.trim()) + "-dlq";
    }

    static String noDeadLetterQueueWarning(String topic) {
        return ErrorTolerance.KEY + "=all without " + DLQ_TOPIC + ": records the target refuses are skipped and only "
                + "logged (and written to the warnings store, if load.errors.url is set), so they cannot be replayed. "
                + "Set " + DLQ_TOPIC + " (for example " + topic + ") to keep them.";
    }

    private static ConfigValue valueFor(String key, Map<String, ConfigValue> byName, List<ConfigValue> values,
                                        Map<String, String> raw) {
        return byName.computeIfAbsent(key, k -> {
            // A key outside the ConfigDef: a Stream Load header under load.properties., shown with
            // its value; or a key that is no setting of ours (a misspelt load.password, say),
            // whose value is not repeated, since nothing says it is not a secret.
            boolean header = k.startsWith(StreamLoadSinkConfig.LOAD_PROPERTIES_PREFIX)
                    || k.startsWith(ConfigAliases.SINK_PROPERTIES_PREFIX);
            ConfigValue value = new ConfigValue(k, header ? raw.get(k) : null, List.of(), new ArrayList<>());
            values.add(value);
            return value;
        });
    }
}
