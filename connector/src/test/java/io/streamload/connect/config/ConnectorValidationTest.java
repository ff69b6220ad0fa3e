package io.streamload.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.AbstractHerder;
import org.junit.jupiter.api.Test;

import io.streamload.connect.StreamLoadSinkConnector;

/** The checks behind {@code PUT /connector-plugins/.../config/validate}, called directly. */
class ConnectorValidationTest {

    @Test
    void aMinimalConfigIsValid() {
        assertEquals(Map.of(), errors(minimal()));
    }

    @Test
    void missingUrlIsReportedOnLoadUrls() {
        Map<String, String> props = minimal();
        props.remove("load.urls");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.urls"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.urls").get(0).contains("Missing required"), errors.toString());
    }

    @Test
    void badUrlsAreReportedOnLoadUrls() {
        for (String bad : List.of("ftp://fe:8030", "http://fe", "http://fe:8030/api", "http://:8030", "http://fe:port")) {
            Map<String, String> props = minimal();
            props.put("load.urls", "http://ok:8030," + bad);
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of("load.urls"), List.copyOf(errors.keySet()), bad);
        }
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutEchoingThem() {
        Map<String, String> props = minimal();
        props.put("load.urls", "http://root:s3cret@fe:8030");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.urls"), List.copyOf(errors.keySet()));
        assertFalse(errors.toString().contains("s3cret"), errors.toString());
        // Connect's validation answer repeats each value: the entry is shown without its credentials.
        props.put("load.urls", "http://fe1:8030,https://root:s3cret@fe2:8030");
        assertEquals(List.of("http://fe1:8030", "https://***@fe2:8030"), value(props, "load.urls").value());

        Map<String, String> alias = minimal();
        alias.remove("load.urls");
        alias.put("starrocks.http.url", "fe1:8030,root:s3cret@fe2:8030");
        assertEquals("fe1:8030,***@fe2:8030", value(alias, "starrocks.http.url").value());
        assertFalse(String.valueOf(value(alias, "load.urls").value()).contains("s3cret"),
                String.valueOf(value(alias, "load.urls").value()));
    }

    @Test
    void unknownTargetIsReportedOnTarget() {
        Map<String, String> props = minimal();
        props.put("target", "mysql");
        assertEquals(List.of("target"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void officialStarRocksKeysAreAccepted() {
        Map<String, String> props = new HashMap<>();
        props.put("starrocks.http.url", "fe1:8030,fe2:8030");
        props.put("starrocks.database.name", "db");
        props.put("starrocks.username", "root");
        props.put("starrocks.password", "secret");
        props.put("starrocks.topic2table.map", "orders:order_rows");
        props.put("bufferflush.maxbytes", "1000000");
        props.put("bufferflush.intervalms", "2000");
        props.put("sink.properties.format", "json");
        props.put("sink.properties.strip_outer_array", "true");
        props.put("sink.properties.max_filter_ratio", "0.1");
        assertEquals(Map.of(), errors(props));

        StreamLoadSinkConfig config = new StreamLoadSinkConfig(props);
        assertEquals(List.of(URI.create("http://fe1:8030"), URI.create("http://fe2:8030")), config.loadUrls());
        assertEquals("db", config.database());
        assertEquals("root", config.user());
        assertEquals("secret", config.password().value());
        assertEquals(Map.of("orders", "order_rows"), config.topicToTable());
        assertEquals(1_000_000L, config.bufferMaxBytes());
        assertEquals(2_000L, config.bufferFlushInterval().toMillis());
        assertEquals("json", config.format());
        assertEquals(Map.of("max_filter_ratio", "0.1"), config.loadProperties(), "framing headers are the connector's");
    }

    @Test
    void aKeyGivenUnderBothNamesWithTheSameValueIsFine() {
        Map<String, String> props = minimal();
        props.put("starrocks.http.url", "http://fe:8030");
        props.put("starrocks.username", " root ");
        assertEquals(Map.of(), errors(props));
    }

    @Test
    void conflictingAliasKeysAreReportedOnBoth() {
        Map<String, String> props = minimal();
        props.put("starrocks.http.url", "http://other:8030");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.urls", "starrocks.http.url"), List.copyOf(errors.keySet()));
        assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props));
    }

    @Test
    void conflictingPasswordsAreReportedWithoutShowingThem() {
        Map<String, String> props = minimal();
        props.put("load.password", "one-secret");
        props.put("starrocks.password", "other-secret");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.password", "starrocks.password"), List.copyOf(errors.keySet()));
        assertFalse(errors.toString().contains("secret"), errors.toString());
    }

    @Test
    void conflictingHeaderPrefixesAndHeaderAliases() {
        Map<String, String> props = minimal();
        props.put("load.properties.timeout", "60");
        props.put("sink.properties.timeout", "90");
        props.put("format", "json");
        props.put("load.properties.format", "csv");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("format", "load.properties.format", "load.properties.timeout", "sink.properties.timeout"),
                List.copyOf(errors.keySet()));
    }

    @Test
    void aHeaderAliasFillsTheSettingWhenItIsNotGiven() {
        Map<String, String> props = minimal();
        props.put("sink.properties.format", "CSV");
        props.put("sink.properties.column_separator", "\\x01");
        StreamLoadSinkConfig config = new StreamLoadSinkConfig(props);
        assertEquals("csv", config.format());
        assertEquals("\u0001", config.csvColumnSeparator());
    }

    @Test
    void theLabelIsTheConnectors() {
        Map<String, String> props = minimal();
        props.put("load.properties.label", "mine");
        assertEquals(List.of("load.properties.label"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void anInvalidValueGivenThroughAnAliasIsShownOnTheAlias() {
        Map<String, String> props = minimal();
        props.remove("load.urls");
        props.put("starrocks.http.url", "ftp://fe:8030");
        assertEquals(List.of("load.urls", "starrocks.http.url"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void crossFieldChecks() {
        Map<String, String> props = minimal();
        props.put("retry.backoff.ms", "5000");
        props.put("retry.backoff.max.ms", "1000");
        props.put("format", "csv");
        props.put("csv.column.separator", "\\x01");
        props.put("csv.row.delimiter", "\\x01");
        assertEquals(List.of("csv.row.delimiter", "retry.backoff.max.ms"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void theFlushIntervalBoundsAndTheLoadRateAreChecked() {
        Map<String, String> props = minimal();
        props.put("buffer.flush.interval.ms", "120000");
        assertEquals(Map.of(), errors(props), "the default maximum gives way to a longer minimum");
        props.put("buffer.flush.interval.max.ms", "30000");
        props.put("load.max.rate", "-1");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("buffer.flush.interval.max.ms", "load.max.rate"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("buffer.flush.interval.max.ms").get(0).contains("must not be below buffer.flush.interval.ms"),
                errors::toString);

        props.put("buffer.flush.interval.max.ms", "120000");
        props.put("load.max.rate", "NaN");
        assertEquals(List.of("load.max.rate"), List.copyOf(errors(props).keySet()));
        props.put("load.max.rate", "0.5");
        assertEquals(Map.of(), errors(props));
    }

    @Test
    void parallelLoadsOfATableNeedAtLeastOnce() {
        Map<String, String> props = minimal();
        props.put("max.in.flight.loads.per.table", "3");
        assertEquals(Map.of(), errors(props));
        props.put("delivery.guarantee", "exactly_once");
        props.put("exactly.once.log.bootstrap.servers", "kafka:9092");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("max.in.flight.loads.per.table"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("max.in.flight.loads.per.table").get(0).contains("set max.in.flight.loads.per.table to 1"),
                errors.toString());
        props.put("max.in.flight.loads.per.table", "0");
        assertEquals(List.of("max.in.flight.loads.per.table"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void exactlyOnceRefusesConsumersThatRebalanceIncrementally() {
        Map<String, String> props = minimal();
        props.put("consumer.override.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assertEquals(Map.of(), errors(props), "at least once takes any assignor");
        props.put("delivery.guarantee", "exactly_once");
        props.put("exactly.once.log.bootstrap.servers", "kafka:9092");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("delivery.guarantee"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("delivery.guarantee").get(0).contains("Remove that override"), errors.toString());

        // Eager first: the group uses it, as with the consumer's default list.
        props.put("consumer.override.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        assertEquals(Map.of(), errors(props));

        props.put("consumer.override.group.protocol", "CONSUMER");
        assertEquals(List.of("delivery.guarantee"), List.copyOf(errors(props).keySet()));
        props.put("consumer.override.group.protocol", "classic");
        assertEquals(Map.of(), errors(props));
    }

    @Test
    void mergeCommitIsAtLeastOnceOnlyAndSaysSoOnLoadMode() {
        Map<String, String> props = minimal();
        props.put("load.mode", "merge_commit");
        assertEquals(Map.of(), errors(props));
        props.put("delivery.guarantee", "exactly_once");
        props.put("exactly.once.log.bootstrap.servers", "kafka:9092");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.mode"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.mode").get(0).contains("at least once only"), errors.toString());
        assertTrue(errors.get("load.mode").get(0).contains("set load.mode=stream_load"), errors.toString());

        props.put("load.mode", "async");
        assertEquals(List.of("load.mode"), List.copyOf(errors(props).keySet()));
    }

    @Test
    void mergeCommitOnDorisRefusesWhatGroupCommitDoesNotTake() {
        Map<String, String> props = minimal();
        props.put("target", "doris");
        props.put("load.mode", "merge_commit");
        assertEquals(Map.of(), errors(props));

        props.put("load.merge.interval.ms", "200");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("load.merge.interval.ms"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.merge.interval.ms").get(0).contains("group_commit_interval_ms"), errors.toString());
        props.remove("load.merge.interval.ms");

        props.put("load.properties.partial_columns", "true");
        errors = errors(props);
        assertEquals(List.of("load.mode"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.mode").get(0).contains("partial column updates"), errors.toString());

        props.remove("load.properties.partial_columns");
        props.put("target", "starrocks");
        props.put("load.merge.interval.ms", "200");
        props.put("load.merge.parallel", "4");
        assertEquals(Map.of(), errors(props), "StarRocks takes both");
    }

    @Test
    void theMergeHeadersAreAskedForWithLoadModeNotLoadProperties() {
        for (String header : List.of("enable_merge_commit", "merge_commit_async", "merge_commit_interval_ms",
                "group_commit")) {
            Map<String, String> props = minimal();
            props.put("load.properties." + header, "true");
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of("load.properties." + header), List.copyOf(errors.keySet()), header);
            assertTrue(errors.get("load.properties." + header).get(0).contains("load.mode=merge_commit"),
                    errors.toString());
        }
    }

    @Test
    void dorisIsATarget() {
        Map<String, String> props = minimal();
        props.put("target", "Doris");
        assertEquals(List.of(), List.copyOf(errors(props).keySet()));
    }

    @Test
    void dataSettingsNameTheFieldAtFault() {
        Map<String, String> props = minimal();
        props.put("time.zone", "Mars/Olympus");
        assertEquals(List.of("time.zone"), List.copyOf(errors(props).keySet()));

        Map<String, String> csvChanges = minimal();
        csvChanges.put("format", "csv");
        csvChanges.put("cdc.mode", "debezium");
        assertEquals(List.of("cdc.mode"), List.copyOf(errors(csvChanges).keySet()));

        Map<String, String> passthroughChanges = minimal();
        passthroughChanges.put("cdc.mode", "flattened");
        passthroughChanges.put("value.passthrough", "true");
        assertEquals(List.of("value.passthrough"), List.copyOf(errors(passthroughChanges).keySet()));

        Map<String, String> softTombstones = minimal();
        softTombstones.put("cdc.mode", "debezium");
        softTombstones.put("cdc.delete.mode", "soft");
        softTombstones.put("cdc.tombstones", "delete");
        assertEquals(List.of("cdc.tombstones"), List.copyOf(errors(softTombstones).keySet()));

        Map<String, String> partialFromRecords = minimal();
        partialFromRecords.put("partial.update", "true");
        assertEquals(Map.of(), errors(partialFromRecords), "JSON rows name their own columns");
        Map<String, String> csvPartialWithoutColumns = minimal();
        csvPartialWithoutColumns.put("partial.update", "true");
        csvPartialWithoutColumns.put("format", "csv");
        assertEquals(List.of("partial.update.columns"), List.copyOf(errors(csvPartialWithoutColumns).keySet()));
        Map<String, String> passthroughPartialWithoutColumns = minimal();
        passthroughPartialWithoutColumns.put("partial.update", "true");
        passthroughPartialWithoutColumns.put("value.passthrough", "true");
        assertEquals(List.of("partial.update.columns"),
                List.copyOf(errors(passthroughPartialWithoutColumns).keySet()));
    }

    @Test
    void separatorsAreDecoded() {
        Map<String, String> props = minimal();
        props.put("format", "CSV");
        props.put("csv.column.separator", "\\x01");
        props.put("csv.row.delimiter", "\\r\\n");
        StreamLoadSinkConfig config = new StreamLoadSinkConfig(props);
        assertEquals("csv", config.format());
        assertEquals("\u0001", config.csvColumnSeparator());
        assertEquals("\r\n", config.csvRowDelimiter());
        assertEquals("\\x0d\\x0a", Separators.toHeaderValue(config.csvRowDelimiter()));
    }

    @Test
    void thePasswordIsHiddenInToString() {
        Map<String, String> props = minimal();
        props.put("load.password", "s3cret");
        StreamLoadSinkConfig config = new StreamLoadSinkConfig(props);
        assertFalse(config.password().toString().contains("s3cret"));
        assertFalse(config.values().toString().contains("s3cret"));
    }

    @Test
    void theConnectionKeysAreRequiredAsConnectReportsThem() {
        Map<String, ConfigDef.ConfigKey> keys = new StreamLoadSinkConnector().config().configKeys();
        for (String key : List.of("load.urls", "load.user", "load.database")) {
            assertTrue(AbstractHerder.convertConfigKey(keys.get(key)).required(), key + " is reported as required");
        }
        assertFalse(AbstractHerder.convertConfigKey(keys.get("load.password")).required());
        assertFalse(AbstractHerder.convertConfigKey(keys.get("starrocks.http.url")).required(), "an alias is optional");
    }

    @Test
    void aMissingRequiredKeySaysWhatToGiveAndNamesItsAlias() {
        Map<String, String> props = minimal();
        props.remove("load.user");
        assertEquals(Map.of("load.user", List.of("Missing required configuration \"load.user\": the user that loads "
                + "(or its alias \"starrocks.username\")")), errors(props));
        ConfigException e = assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props));
        assertTrue(e.getMessage().contains("load.user") && e.getMessage().contains("starrocks.username"),
                e.getMessage());

        props.put("load.user", " ");
        assertEquals(List.of("load.user"), List.copyOf(errors(props).keySet()), "blank is missing too");
    }

    @Test
    void aPortOutsideOneTo65535IsRefused() {
        for (String bad : List.of("http://fe:0", "http://fe:65536", "http://fe:70000", "fe:99999999999",
                "http://fe:-1", "https://[::1]:80800")) {
            Map<String, String> props = minimal();
            props.put("load.urls", "http://ok:8030," + bad);
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of("load.urls"), List.copyOf(errors.keySet()), bad);
            assertTrue(errors.get("load.urls").get(0).contains("1 to 65535"), errors.toString());
        }
        Map<String, String> props = minimal();
        props.put("load.urls", "http://fe:1,http://fe:65535,[::1]:8030");
        assertEquals(Map.of(), errors(props));
    }

    @Test
    void aMisspeltKeyIsAnErrorNamingTheNearestKey() {
        Map<String, String> expected = new TreeMap<>();
        expected.put("load.pasword", "load.password");
        expected.put("buffer.max.byte", "buffer.max.bytes");
        expected.put("load.propertes.timeout", "load.properties.timeout");
        expected.put("sink.propertis.max_filter_ratio", "sink.properties.max_filter_ratio");
        expected.put("starrocks.usrname", "starrocks.username");
        expected.put("tagret", "target");
        expected.put("lod.urls", "load.urls");
        expected.put("Buffer.Flush.Interval.MS", "buffer.flush.interval.ms");
        for (Map.Entry<String, String> typo : expected.entrySet()) {
            Map<String, String> props = minimal();
            props.put(typo.getKey(), "1");
            Map<String, List<String>> errors = errors(props);
            assertEquals(List.of(typo.getKey()), List.copyOf(errors.keySet()), typo.getKey());
            assertTrue(errors.get(typo.getKey()).get(0).contains("did you mean '" + typo.getValue() + "'"),
                    errors.toString());
            assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props), "a task refuses it too");
        }

        Map<String, String> misspeltPassword = minimal();
        misspeltPassword.put("load.pasword", "s3cret");
        assertEquals(null, value(misspeltPassword, "load.pasword").value(), "an unknown key's value is not repeated");
        assertFalse(errors(misspeltPassword).toString().contains("s3cret"));

        Map<String, String> consumerSetting = minimal();
        consumerSetting.put("max.poll.records", "100");
        assertTrue(errors(consumerSetting).get("max.poll.records").get(0)
                .contains("consumer.override.max.poll.records"), errors(consumerSetting).toString());

        Map<String, String> farOff = minimal();
        farOff.put("load.something.else.entirely", "x");
        assertTrue(errors(farOff).get("load.something.else.entirely").get(0).contains("not a setting of this connector"),
                errors(farOff).toString());
    }

    @Test
    void keysOfConnectAndFreeSubKeysAreNotTypos() {
        Map<String, String> props = minimal();
        props.put("name", "orders-sink");
        props.put("tasks.max", "2");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("key.converter.schemas.enable", "false");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        props.put("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");
        props.put("transforms", "route");
        props.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        props.put("predicates", "");
        props.put("errors.tolerance", "all");
        props.put("errors.deadletterqueue.topic.name", "orders-dlq");
        props.put("errors.log.enable", "true");
        props.put("consumer.override.max.poll.records", "1000");
        props.put("config.action.reload", "restart");
        props.put("load.properties.columns", "id,name");
        props.put("load.properties.some_future_header", "x");
        props.put("sink.properties.timeout", "600");
        props.put("exactly.once.log.client.security.protocol", "SSL");
        props.put("connect.timeoutms", "1000");
        props.put("sink.maxretries", "3");
        props.put("my.own.note", "kept by Connect, not ours");
        assertEquals(Map.of(), errors(props));
        new StreamLoadSinkConfig(props);
    }

    @Test
    void aTopicOfTheMapThatIsNotReadIsAnError() {
        Map<String, String> props = minimal();
        props.put("topic2table.map", "orders:order_rows,ordres:order_rows");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("topic2table.map"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("topic2table.map").get(0).contains("'ordres'"), errors.toString());
        assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props));

        Map<String, String> alias = minimal();
        alias.put("starrocks.topic2table.map", "ordres:order_rows");
        assertEquals(List.of("starrocks.topic2table.map", "topic2table.map"), List.copyOf(errors(alias).keySet()),
                "shown on the key the user wrote");

        Map<String, String> byRegex = minimal();
        byRegex.remove("topics");
        byRegex.put("topics.regex", "ord.*");
        byRegex.put("topic2table.map", "orders:o,ordres:o");
        assertEquals(Map.of(), errors(byRegex));
        byRegex.put("topic2table.map", "orders:o,shipments:s");
        assertTrue(errors(byRegex).get("topic2table.map").get(0).contains("'shipments'"), errors(byRegex).toString());

        Map<String, String> renamed = minimal();
        renamed.put("transforms", "route");
        renamed.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        renamed.put("topic2table.map", "orders_renamed:order_rows");
        assertEquals(Map.of(), errors(renamed), "a transform may rename records to that topic");
    }

    @Test
    void aBufferLargerThanTheTasksMemoryBoundIsAnError() {
        Map<String, String> props = minimal();
        props.put("buffer.max.bytes", "200000000");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("buffer.max.bytes"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("buffer.max.bytes").get(0).contains("buffer.total.max.bytes (134217728)"),
                errors.toString());
        props.put("buffer.total.max.bytes", "400000000");
        assertEquals(Map.of(), errors(props));

        Map<String, String> alias = minimal();
        alias.put("bufferflush.maxbytes", "200000000");
        assertEquals(List.of("buffer.max.bytes", "bufferflush.maxbytes"), List.copyOf(errors(alias).keySet()));
    }

    @Test
    void jsonOnlyOptionsWithCsvAreErrors() {
        Map<String, String> props = minimal();
        props.put("format", "csv");
        props.put("load.properties.jsonpaths", "[\"$.id\"]");
        props.put("load.properties.json_root", "$.data");
        props.put("sink.properties.strip_outer_array", "true");
        props.put("value.passthrough", "true");
        props.put("time.zone", "Asia/Shanghai");
        props.put("bytes.format", "hex");
        props.put("float.non.finite", "fail");
        props.put("table.field", "target");
        props.put("table.field.allowed", "*");
        props.put("time.zone", "Asia/Shanghai");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("bytes.format", "float.non.finite", "load.properties.json_root", "load.properties.jsonpaths",
                "sink.properties.strip_outer_array", "table.field", "time.zone", "value.passthrough"),
                List.copyOf(errors.keySet()));
        assertTrue(errors.get("load.properties.jsonpaths").get(0).contains("format=csv"), errors.toString());

        props.put("format", "json");
        assertEquals(Map.of(), errors(props), "the same options are fine with JSON");

        Map<String, String> defaults = minimal();
        defaults.put("format", "csv");
        defaults.put("time.zone", "UTC");
        defaults.put("value.passthrough", "false");
        assertEquals(Map.of(), errors(defaults), "a JSON setting left at its default changes nothing");
    }

    @Test
    void loadPropertyValuesTheTargetRefusesAreErrorsOnTheirKey() {
        Map<String, String> bad = new TreeMap<>();
        bad.put("load.properties.max_filter_ratio", "abc");
        bad.put("sink.properties.strict_mode", "yes");
        bad.put("load.properties.partial_update", "1");
        bad.put("load.properties.strip_outer_array", "on");
        bad.put("load.properties.timeout", "10m");
        bad.put("load.properties.skip_header", "-1");
        bad.put("load.properties.merge_type", "UPSERT");
        Map<String, String> props = minimal();
        props.putAll(bad);
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.copyOf(bad.keySet()), List.copyOf(errors.keySet()));
        assertEquals(List.of("load.properties.max_filter_ratio is 'abc', but max_filter_ratio must be a number from 0 "
                + "to 1: the share of a load's rows the target may filter out, for example 0.1"),
                errors.get("load.properties.max_filter_ratio"));
        assertTrue(errors.get("sink.properties.strict_mode").get(0).contains("true or false"), errors.toString());
        assertTrue(errors.get("load.properties.timeout").get(0).contains("whole number of seconds"),
                errors.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props));
        assertTrue(e.getMessage().startsWith("load.properties."), e.getMessage());

        for (String ratio : List.of("1.5", "-0.1", "NaN", "")) {
            Map<String, String> ratioProps = minimal();
            ratioProps.put("load.properties.max_filter_ratio", ratio);
            assertEquals(List.of("load.properties.max_filter_ratio"), List.copyOf(errors(ratioProps).keySet()), ratio);
        }
        for (String timeout : List.of("0", "3000000000", "1.5")) {
            Map<String, String> timeoutProps = minimal();
            timeoutProps.put("load.properties.timeout", timeout);
            assertEquals(List.of("load.properties.timeout"), List.copyOf(errors(timeoutProps).keySet()), timeout);
        }

        Map<String, String> good = minimal();
        good.put("load.properties.max_filter_ratio", "0.25");
        good.put("load.properties.strict_mode", "FALSE");
        good.put("load.properties.partial_update", "true");
        good.put("load.properties.timeout", " 600 ");
        good.put("load.properties.skip_header", "0");
        good.put("load.properties.merge_type", "merge");
        assertEquals(Map.of(), errors(good));
    }

    @Test
    void toleratingErrorsWithoutADeadLetterQueueRecommendsOneWithoutAnError() {
        Map<String, String> props = minimal();
        props.put("name", "orders-sink");
        props.put("errors.tolerance", "all");
        assertEquals(Map.of(), errors(props), "a choice, not an error");
        ConfigValue dlq = value(props, "errors.deadletterqueue.topic.name");
        assertEquals(List.of("orders-sink-dlq"), dlq.recommendedValues());
        assertEquals(List.of(), dlq.errorMessages());

        props.put("errors.deadletterqueue.topic.name", "orders-dlq");
        assertEquals(null, value(props, "errors.deadletterqueue.topic.name"), "nothing to recommend");
        props.remove("errors.deadletterqueue.topic.name");
        props.put("errors.tolerance", "none");
        assertEquals(null, value(props, "errors.deadletterqueue.topic.name"));
    }

    @Test
    void aTableFieldNeedsTheTablesRecordsMayName() {
        Map<String, String> props = minimal();
        props.put("table.field", "target");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("table.field.allowed"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("table.field.allowed").get(0).contains("table.field=target"), errors.toString());
        assertThrows(ConfigException.class, () -> new StreamLoadSinkConfig(props));

        props.put("table.field.allowed", "db.*, db.orders_*, events");
        assertEquals(Map.of(), errors(props));
        props.put("table.field.allowed", "*");
        assertEquals(Map.of(), errors(props), "* turns the check off, explicitly");

        for (String bad : List.of("db.orders.x", ".orders", "db.", "db/x")) {
            props.put("table.field.allowed", bad);
            assertEquals(List.of("table.field.allowed"), List.copyOf(errors(props).keySet()), bad);
        }
    }

    static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", StreamLoadSinkConnector.class.getName());
        props.put("topics", "orders");
        props.put("load.urls", "http://fe:8030");
        props.put("load.user", "root");
        props.put("load.database", "db");
        return props;
    }

    /** The value validate() returns for one key, or null when it returns none. */
    static ConfigValue value(Map<String, String> props, String key) {
        return new StreamLoadSinkConnector().validate(props).configValues().stream()
                .filter(v -> v.name().equals(key)).findFirst().orElse(null);
    }

    /** Errors by key, from the connector's validate(). */
    static Map<String, List<String>> errors(Map<String, String> props) {
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigValue value : new StreamLoadSinkConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }
}
