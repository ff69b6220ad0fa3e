package io.streamload.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** mysql-connector-j against the FE's MySQL port: connection set-up, DDL, errors, and loads into what DDL made. */
class MysqlPortTest {

    private static StreamLoadEmulator start(Dialect dialect) {
        return Fixtures.builder(dialect).mysqlPort(0).modifyColumnTime(Duration.ofMillis(300)).start();
    }

    private static Connection connect(StreamLoadEmulator e) throws SQLException {
        return DriverManager.getConnection(e.jdbcUrl(), Fixtures.USER, Fixtures.PASSWORD);
    }

    private static String createSql(Dialect dialect) {
        String model = dialect == Dialect.DORIS ? "UNIQUE KEY" : "PRIMARY KEY";
        return "CREATE TABLE `demo`.`orders` (\n  `id` BIGINT NOT NULL,\n  `qty` INT NULL,\n  `note` VARCHAR(16) NULL\n)"
                + " " + model + "(`id`)\nDISTRIBUTED BY HASH(`id`) BUCKETS 4\nPROPERTIES (\"replication_num\" = \"1\")";
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theDriverConnectsAndRunsDdlThatLoadsThenUse(Dialect dialect) throws Exception {
        try (StreamLoadEmulator e = start(dialect); Connection c = connect(e); Statement s = c.createStatement()) {
            assertTrue(c.isValid(2), "COM_PING answers");
            s.execute("CREATE DATABASE demo");
            s.execute("USE demo");
            s.execute(createSql(dialect));
            s.execute("ALTER TABLE orders ADD COLUMN `channel` VARCHAR(32) NULL");
            try (ResultSet rs = s.executeQuery("DESC orders")) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString("Field") + " " + rs.getString("Type") + " " + rs.getString("Null"));
                }
                assertEquals(List.of("id BIGINT NO", "qty INT YES", "note VARCHAR(16) YES", "channel VARCHAR(32) YES"),
                        columns);
            }
            try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE demo.orders")) {
                assertTrue(rs.next());
                String ddl = rs.getString(2);
                assertTrue(ddl.contains((dialect == Dialect.DORIS ? "UNIQUE KEY" : "PRIMARY KEY") + "(`id`)"), ddl);
                assertTrue(ddl.contains("DISTRIBUTED BY HASH(`id`) BUCKETS 4"), ddl);
            }
            var reply = Fixtures.load(e, "orders", "[{\"id\":1,\"qty\":2,\"note\":\"a\",\"channel\":\"web\"}]",
                    "format", "json", "strip_outer_array", "true");
            assertEquals("Success", reply.path("Status").asText(), reply.toString());
            assertEquals("web", e.rows("demo", "orders").get(0).get("channel"));
            assertEquals(3, e.ddlStatements().size(), "CREATE DATABASE, CREATE TABLE, ALTER TABLE");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void errorsCarryTheServersCodesAndTexts(Dialect dialect) throws Exception {
        boolean doris = dialect == Dialect.DORIS;
        try (StreamLoadEmulator e = start(dialect); Connection c = connect(e); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE demo");
            s.execute(createSql(dialect));
            SQLException exists = assertThrows(SQLException.class, () -> s.execute(createSql(dialect)));
            assertEquals(1050, exists.getErrorCode());
            assertTrue(exists.getMessage().contains("Table 'orders' already exists"), exists.getMessage());

            SQLException dup = assertThrows(SQLException.class,
                    () -> s.execute("ALTER TABLE demo.orders ADD COLUMN qty BIGINT NULL"));
            assertEquals(doris ? 1105 : 1064, dup.getErrorCode());
            assertTrue(dup.getMessage().contains("Can not add column which already exists in base table: qty"));

            SQLException narrow = assertThrows(SQLException.class,
                    () -> s.execute("ALTER TABLE demo.orders MODIFY COLUMN note VARCHAR(8) NULL"));
            assertTrue(narrow.getMessage().contains("Can not change VARCHAR(16) to VARCHAR(8)"), narrow.getMessage());

            s.execute("ALTER TABLE demo.orders MODIFY COLUMN qty BIGINT NULL");
            SQLException busy = assertThrows(SQLException.class,
                    () -> s.execute("ALTER TABLE demo.orders ADD COLUMN extra INT NULL"));
            assertTrue(busy.getMessage().contains(doris ? "Table[orders]'s state(SCHEMA_CHANGE) is not NORMAL. Do not allow doing ALTER ops"
                    : "A schema change operation is in progress on the table \"orders\""), busy.getMessage());
            Await.until("the MODIFY COLUMN job ends", () -> e.rows("demo", "orders") != null
                    && e.sql().appliedDdl().size() == 3 && typeOf(e, "qty").equals("BIGINT"));

            SQLException same = assertThrows(SQLException.class,
                    () -> s.execute("ALTER TABLE demo.orders MODIFY COLUMN qty BIGINT NULL"));
            assertTrue(same.getMessage().contains("Nothing is changed. please check your alter stmt."), same.getMessage());

            e.sql().privilege("ALTER", false);
            SQLException denied = assertThrows(SQLException.class,
                    () -> s.execute("ALTER TABLE demo.orders ADD COLUMN extra INT NULL"));
            assertEquals(doris ? 1142 : 5203, denied.getErrorCode());
            assertTrue(denied.getMessage().contains(doris ? "ALTER TABLE command denied to user 'loader'"
                    : "Access denied; you need (at least one of) the ALTER privilege(s) on TABLE orders"), denied.getMessage());

            SQLException unknown = assertThrows(SQLException.class, () -> s.execute("DESC demo.nope"));
            assertEquals(doris ? 1051 : 5502, unknown.getErrorCode());
            SQLException notPrefix = assertThrows(SQLException.class, () -> s.execute(
                    "CREATE TABLE demo.k (a INT NULL, id BIGINT NOT NULL) DUPLICATE KEY(id) DISTRIBUTED BY RANDOM"));
            assertTrue(notPrefix.getMessage().contains("Key columns should be a ordered prefix of the schema"),
                    notPrefix.getMessage());
            if (doris) {
                assertThrows(SQLException.class, () -> s.execute(createSql(Dialect.STARROCKS).replace("orders", "pk")),
                        "Doris has no PRIMARY KEY model");
            }
        }
    }

    private static String typeOf(StreamLoadEmulator e, String column) {
        for (var c : e.catalog().table("demo", "orders").definition().columns()) {
            if (c.name().equals(column)) {
                return c.type().declared();
            }
        }
        return "";
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWrongPasswordIsRefusedWithTheServersError(Dialect dialect) {
        try (StreamLoadEmulator e = start(dialect)) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(e.jdbcUrl(), Fixtures.USER, "wrong"));
            assertEquals(1045, refused.getErrorCode());
            assertTrue(refused.getMessage().contains("Access denied for user 'loader' (using password: YES)"),
                    refused.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void sessionQueriesAnswer(Dialect dialect) throws Exception {
        try (StreamLoadEmulator e = start(dialect); Connection c = connect(e); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE 'version'")) {
                assertTrue(rs.next());
                assertEquals(dialect == Dialect.DORIS ? "5.7.99" : "8.0.33", rs.getString(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT @@version_comment LIMIT 1")) {
                assertTrue(rs.next());
            }
            SQLException unknown = assertThrows(SQLException.class, () -> s.executeQuery("SELECT @@no_such_thing"));
            assertEquals(1193, unknown.getErrorCode());
            assertTrue(e.sql().statementCount() > 0);
            Map<String, Object> stats = e.sql().stats();
            assertEquals(0, stats.get("ddlCount"));
        }
    }
}
