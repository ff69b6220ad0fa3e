package io.streamload.connect.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;

/**
 * Writes {@code docs/configuration.md} from the {@link ConfigDef}, so the reference cannot drift
 * from what the connector accepts. A test compares the committed file with this output and fails
 * when they differ.
 *
 * <p>Usage: {@code ConfigReference <output file>}.
 */
public final class ConfigReference {

    /** How to bring the committed reference up to date; quoted in the file and in the test. */
    public static final String REGENERATE_COMMAND = "mvn -pl connector -am test -Dtest=ConfigurationReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dstreamload.docs.update=true";

    private ConfigReference() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ConfigReference <output file>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
    }

    /** The whole reference as Markdown. */
    public static String markdown() {
        ConfigDef def = StreamLoadSinkConfig.configDef();
        Map<String, List<ConfigDef.ConfigKey>> byGroup = new LinkedHashMap<>();
        for (String group : def.groups()) {
            byGroup.put(group, new ArrayList<>());
        }
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            byGroup.computeIfAbsent(key.group, g -> new ArrayList<>()).add(key);
        }

        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from the connector's ConfigDef by ")
                .append(ConfigReference.class.getName()).append(". Do not edit by hand; regenerate with:\n     ")
                .append(REGENERATE_COMMAND).append(" -->\n\n")
                .append("Settings of `io.streamload.connect.StreamLoadSinkConnector`, in addition to Kafka Connect's "
                        + "own (`name`, `topics`, `tasks.max`, converters, `errors.*`). Keys are grouped as the "
                        + "REST API's validate endpoint groups them.\n\n")
                .append("A key that looks like one of these but is none (`load.pasword`, `buffer.max.byte`, "
                        + "`load.propertes.timeout`) is a validation error on that key naming the nearest key: "
                        + "Connect would otherwise pass it by and leave the setting at its default. Connect's own "
                        + "keys, the sub-keys of `load.properties.*`, `sink.properties.*` and "
                        + "`exactly.once.log.client.*`, and other keys that look like none of ours are left alone. "
                        + "With `errors.tolerance=all` and no `errors.deadletterqueue.topic.name`, validate "
                        + "recommends a topic for the latter (its recommended values) without an error: records the "
                        + "target refuses would otherwise only be logged.\n\n");
        for (Map.Entry<String, List<ConfigDef.ConfigKey>> group : byGroup.entrySet()) {
            List<ConfigDef.ConfigKey> keys = group.getValue();
            keys.sort((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup));
            out.append("## ").append(group.getKey()).append("\n\n");
            if (StreamLoadSinkConfig.GROUP_LOAD.equals(group.getKey())) {
                out.append(loadPropertiesSection());
            }
            if (StreamLoadSinkConfig.GROUP_ALIASES.equals(group.getKey())) {
                out.append(aliasesSection());
            }
            out.append("| Key | Type | Default | Valid values | Importance | Description |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigDef.ConfigKey key : keys) {
                out.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(defaultOf(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String loadPropertiesSection() {
        return "Any `" + StreamLoadSinkConfig.LOAD_PROPERTIES_PREFIX + "<header>` is sent as the Stream Load "
                + "header `<header>` with every load, for example `load.properties.max_filter_ratio=0.1`, "
                + "`load.properties.columns=id,name,__op` or `load.properties.timeout=300`. "
                + "The connector owns the headers that decide how the body it writes is read and how "
                + "retries stay safe: `format`, `column_separator` and `row_delimiter` act as aliases of "
                + "`format`, `csv.column.separator` and `csv.row.delimiter`; `label` is refused (see "
                + "`label.prefix`); `strip_outer_array`, `read_json_by_line`, `line_delimiter` and the HTTP "
                + "headers `Expect`, `Authorization`, `Content-Length` are set by the connector and a value "
                + "given for them is ignored. Values the targets check are checked at validation: "
                + "`max_filter_ratio` a number from 0 to 1; `strict_mode`, `partial_update`, `strip_outer_array` "
                + "and the other true/false headers `true` or `false`; `timeout` whole seconds, at least 1; "
                + "`skip_header`, `load_mem_limit`, `exec_mem_limit` whole numbers; `merge_type` `APPEND`, `DELETE` "
                + "or `MERGE`. The JSON-only headers (`jsonpaths`, `json_root`, `strip_outer_array`, "
                + "`read_json_by_line`, `fuzzy_parse`, `num_as_string`, `ignore_json_size`) are refused with "
                + "`format=csv`, as are the settings that only shape JSON rows (`value.passthrough`, `time.zone`, "
                + "`bytes.format`, `float.non.finite`, `table.field`) when set away from their defaults.\n\n";
    }

    private static String aliasesSection() {
        return "The keys of the official StarRocks Kafka connector are accepted, so a configuration written "
                + "for it works by changing `connector.class`. `sink.properties.<header>` is an alias of "
                + "`load.properties.<header>`. A setting given under both names with different values is a "
                + "validation error reported on both keys. `starrocks.http.url` may list `host:port` without "
                + "a scheme (http is assumed). Its `connect.timeoutms` and `sink.maxretries` are accepted and "
                + "ignored: use `load.connect.timeout.ms` and `max.retries`.\n\n";
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault() || key.defaultValue == null) {
            return "";
        }
        if (key.defaultValue instanceof org.apache.kafka.common.config.types.Password password) {
            return password.value().isEmpty() ? "`\"\"`" : "(hidden)";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null || text.isEmpty() ? "`\"\"`" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
