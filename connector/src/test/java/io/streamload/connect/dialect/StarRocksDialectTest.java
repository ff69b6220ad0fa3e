package io.streamload.connect.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** StarRocks' CDC, partial update and table model headers and bodies. */
class StarRocksDialectTest {

    private final StarRocksDialect dialect = new StarRocksDialect();

    @Test
    void deleteSignNeedsNoHeaderUnlessColumnsAreListed() {
        Map<String, String> headers = new LinkedHashMap<>();
        dialect.addDeleteSignHeaders(headers);
        assertEquals(Map.of(), headers, "a JSON load reads __op from each object by itself");

        headers.put("columns", "id,name");
        dialect.addDeleteSignHeaders(headers);
        assertEquals(Map.of("columns", "id,name,__op"), headers);
    }

    @Test
    void partialUpdateAndMergeCondition() {
        Map<String, String> headers = new LinkedHashMap<>();
        dialect.addPartialUpdateHeaders(headers, List.of("id", "score"));
        dialect.addMergeConditionHeaders(headers, "version");
        assertEquals(Map.of("partial_update", "true", "columns", "`id`,`score`", "merge_condition", "version"), headers);
    }

    @Test
    void tableModelFromTheDdl() {
        assertEquals("/api/_get_ddl?db=db&tbl=t", dialect.tableModelPath("db", "t").orElseThrow());
        assertEquals(Optional.of(TableModel.KEYED), dialect.parseTableModel(
                "{\"TABLE\":[\"CREATE TABLE `t` (\\n  `id` bigint NOT NULL\\n) ENGINE=OLAP \\nPRIMARY KEY(`id`)\\n\"],"
                        + "\"PARTITION\":[],\"ROLLUP\":[]}"));
        assertEquals(Optional.of(TableModel.DUPLICATE), dialect.parseTableModel(
                "{\"TABLE\":[\"CREATE TABLE `t` (`id` bigint) ENGINE=OLAP DUPLICATE KEY(`id`)\"]}"));
        assertEquals(Optional.of(TableModel.AGGREGATE), dialect.parseTableModel(
                "{\"TABLE\":[\"CREATE TABLE `t` (`id` bigint, `n` bigint SUM) ENGINE=OLAP AGGREGATE KEY(`id`)\"]}"));
        assertEquals(Optional.of(TableModel.AGGREGATE), dialect.parseTableModel(
                "{\"TABLE\":[\"CREATE TABLE `t` (`id` bigint, `v` int) ENGINE=OLAP UNIQUE KEY(`id`)\"]}"));
        assertEquals(Optional.empty(), dialect.parseTableModel("{\"code\":\"403\",\"message\":\"Access denied\"}"));
    }

    @Test
    void labelStateIsInState() {
        assertEquals(Optional.of(LabelState.COMMITTED), dialect.parseLabelState(
                "{\"status\":\"OK\",\"code\":\"0\",\"msg\":\"Success\",\"message\":\"OK\",\"state\":\"COMMITTED\"}"));
    }
}
