package io.streamload.benchmarks.e2e;

import java.util.Map;

/**
 * One measured run: which sink reads which topic with which converter.
 *
 * @param name what the report calls it
 * @param topic {@link Scenario#JSON_TOPIC} (plain JSON objects) or {@link Scenario#ENVELOPE_TOPIC}
 *              (JSON with the schema envelope {@code JsonConverter} reads into a Struct)
 * @param ceiling the name of the scenario whose throughput this one is compared with; null for a ceiling
 * @param sameConverter for a sink, the no-op sink that reads the same topic through the same
 *                      converter: what the worker alone costs for this input, the bound of this
 *                      sink (for passthrough the same as {@code ceiling}); null for the no-op sinks
 * @param table the emulator table the sink loads into; null for the no-op sink
 * @param props converter and connector settings on top of the common ones
 */
public record Scenario(String name, String topic, String ceiling, String sameConverter, String table,
                       Map<String, String> props) {

    static final String JSON_TOPIC = "orders-json";
    static final String ENVELOPE_TOPIC = "orders-envelope";

    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final String JSON = "org.apache.kafka.connect.json.JsonConverter";

    /** The no-op sink on plain JSON, bytes not converted: the ceiling of the JSON scenarios. */
    static final Scenario CEILING_JSON = new Scenario("ceiling (no-op sink, JSON topic)", JSON_TOPIC, null, null, null,
            Map.of("value.converter", BYTES));
    /**
     * The no-op sink behind {@code JsonConverter}: what the worker alone costs for Map input, the
     * bound no Map sink can pass.
     */
    static final Scenario CEILING_JSON_CONVERTER = new Scenario("no-op sink, JsonConverter (schemas off)", JSON_TOPIC,
            CEILING_JSON.name(), null, null,
            Map.of("value.converter", JSON, "value.converter.schemas.enable", "false"));
    /** JSON text appended as it is: {@code ByteArrayConverter} and {@code value.passthrough}. */
    static final Scenario PASSTHROUGH = new Scenario("passthrough (ByteArrayConverter)", JSON_TOPIC,
            CEILING_JSON.name(), CEILING_JSON.name(), "orders_passthrough",
            Map.of("value.converter", BYTES, "value.passthrough", "true"));
    /** Passthrough with each body compressed on the wire: what each codec costs and saves. */
    static final Scenario PASSTHROUGH_GZIP1 = compressed("gzip", "1");
    static final Scenario PASSTHROUGH_GZIP6 = compressed("gzip", "6");
    static final Scenario PASSTHROUGH_LZ4 = compressed("lz4_frame", null);
    static final Scenario PASSTHROUGH_ZSTD1 = compressed("zstd", "1");
    static final Scenario PASSTHROUGH_ZSTD3 = compressed("zstd", "3");

    private static Scenario compressed(String codec, String level) {
        Map<String, String> props = new java.util.HashMap<>(PASSTHROUGH.props());
        props.put("load.compression", codec);
        if (level != null) {
            props.put("load.compression.level", level);
        }
        return new Scenario("passthrough, " + codec + (level == null ? "" : " level " + level), JSON_TOPIC,
                CEILING_JSON.name(), CEILING_JSON.name(), "orders_" + codec + (level == null ? "" : level),
                Map.copyOf(props));
    }

    /** Schemaless Maps from {@code JsonConverter}, encoded into JSON rows. */
    static final Scenario MAP = new Scenario("Map (JsonConverter, schemas off)", JSON_TOPIC, CEILING_JSON.name(),
            CEILING_JSON_CONVERTER.name(), "orders_map",
            Map.of("value.converter", JSON, "value.converter.schemas.enable", "false"));
    /** The no-op sink on the schema envelope topic: the ceiling of the Struct scenario. */
    static final Scenario CEILING_ENVELOPE = new Scenario("ceiling (no-op sink, envelope topic)", ENVELOPE_TOPIC,
            null, null, null, Map.of("value.converter", BYTES));
    /** The no-op sink behind {@code JsonConverter} with schemas: the bound of the Struct scenario. */
    static final Scenario CEILING_ENVELOPE_CONVERTER = new Scenario("no-op sink, JsonConverter (schemas on)",
            ENVELOPE_TOPIC, CEILING_ENVELOPE.name(), null, null,
            Map.of("value.converter", JSON, "value.converter.schemas.enable", "true"));
    /** Structs from {@code JsonConverter} with schemas, encoded into JSON rows. */
    static final Scenario STRUCT = new Scenario("Struct (JsonConverter, schemas on)", ENVELOPE_TOPIC,
            CEILING_ENVELOPE.name(), CEILING_ENVELOPE_CONVERTER.name(), "orders_struct",
            Map.of("value.converter", JSON, "value.converter.schemas.enable", "true"));

    /**
     * The Struct scenario with {@code auto.evolve} on: every record's schema is checked against its
     * table before it is buffered (the table already fits, so this measures the steady state).
     */
    static final Scenario STRUCT_AUTO_EVOLVE = new Scenario("Struct, auto.evolve on", ENVELOPE_TOPIC,
            CEILING_ENVELOPE.name(), CEILING_ENVELOPE_CONVERTER.name(), "orders_struct_auto",
            Map.of("value.converter", JSON, "value.converter.schemas.enable", "true", "auto.evolve", "true"));

    /** In run order: each bound just before the runs compared with it, so drift hurts least. */
    public static final Scenario[] ALL = {CEILING_JSON, PASSTHROUGH, CEILING_JSON_CONVERTER, MAP, CEILING_ENVELOPE,
        CEILING_ENVELOPE_CONVERTER, STRUCT, STRUCT_AUTO_EVOLVE};

    private static final String OFF_CORE_KEY = "noop-offcore-";

    /** True for the no-op sink, which loads nothing. */
    boolean isNoOp() {
        return table == null;
    }

    /**
     * The no-op sink with {@code nanos} of CPU per record spent on a second thread (a diagnostic:
     * how much work beside the task thread the machine absorbs, see {@link OffCoreNoOpSinkTask}).
     */
    static Scenario offCore(long nanos) {
        return new Scenario("no-op sink, " + nanos + " ns/record on a second thread", JSON_TOPIC, CEILING_JSON.name(),
                null, null, Map.of("value.converter", BYTES, OffCoreNoOpSinkTask.CPU_NANOS_PER_RECORD,
                        Long.toString(nanos)));
    }

    public static Scenario byKey(String key) {
        if (key.startsWith(OFF_CORE_KEY)) {
            String[] parts = key.substring(OFF_CORE_KEY.length()).split("-burst-");
            Scenario smooth = offCore(Long.parseLong(parts[0]));
            if (parts.length == 1) {
                return smooth;
            }
            Map<String, String> props = new java.util.HashMap<>(smooth.props());
            props.put(OffCoreNoOpSinkTask.BURST_RECORDS, parts[1]);
            return new Scenario(smooth.name() + " in bursts of " + parts[1] + " records", JSON_TOPIC, CEILING_JSON.name(),
                    null, null, Map.copyOf(props));
        }
        return switch (key) {
            case "ceiling-json" -> CEILING_JSON;
            case "passthrough" -> PASSTHROUGH;
            case "passthrough-gzip1" -> PASSTHROUGH_GZIP1;
            case "passthrough-gzip6" -> PASSTHROUGH_GZIP6;
            case "passthrough-lz4" -> PASSTHROUGH_LZ4;
            case "passthrough-zstd1" -> PASSTHROUGH_ZSTD1;
            case "passthrough-zstd3" -> PASSTHROUGH_ZSTD3;
            case "map" -> MAP;
            case "noop-jsonconverter" -> CEILING_JSON_CONVERTER;
            case "ceiling-envelope" -> CEILING_ENVELOPE;
            case "struct" -> STRUCT;
            case "struct-auto-evolve" -> STRUCT_AUTO_EVOLVE;
            case "noop-jsonconverter-schemas" -> CEILING_ENVELOPE_CONVERTER;
            default -> throw new IllegalArgumentException("unknown scenario '" + key
                    + "'; known: ceiling-json, passthrough, map, noop-jsonconverter, ceiling-envelope, struct, "
                    + "struct-auto-evolve, noop-jsonconverter-schemas, noop-offcore-<ns per record>[-burst-<records>]");
        };
    }
}
