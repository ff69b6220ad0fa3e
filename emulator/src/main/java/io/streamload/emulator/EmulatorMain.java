package io.streamload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamload.emulator.table.TableDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar streamload-emulator.jar --fe-port N --be-port N --user U --password P
 * [--dialect starrocks|doris] [--tables FILE] [--backends N] [--bind ADDRESS]
 * [--fe-keeps-reading-after-answer] [--mysql-port N | --no-mysql] [--max-tablet-versions N]
 * [--compaction-versions-per-second R] [--no-merged-loads] [--group-commit-interval-ms N]}. The MySQL
 * protocol port is open on 9030 unless told otherwise.
 */
public final class EmulatorMain {
    private static final String USAGE = String.join("\n",
            "Usage: java -jar streamload-emulator.jar [options]",
            "  --fe-port N          FE http port (0 = pick a free port; default 8030)",
            "  --be-port N          first BE http port (0 = pick a free port; default 8040); more BEs take the next ports",
            "  --mysql-port N       FE MySQL protocol port for DDL (0 = pick a free port; default 9030)",
            "  --no-mysql           no MySQL protocol port",
            "  --backends N         number of BEs behind the FE (default 1)",
            "  --user U             Basic auth user (default root)",
            "  --password P         Basic auth password (default empty)",
            "  --dialect D          starrocks (default) or doris",
            "  --tables FILE        JSON file of tables to create at start (see emulator/README.md)",
            "  --bind ADDRESS       address to listen on (default 127.0.0.1)",
            "  --max-tablet-versions N  versions a table's tablet may hold before loads are refused",
            "                       (default: the server's, 1000 for starrocks, 2000 for doris)",
            "  --compaction-versions-per-second R  versions compaction merges away per second over",
            "                       all tablets (default 100; 0 stops compaction)",
            "  --fe-keeps-reading-after-answer",
            "                       answer as FEs before StarRocks PR 52582: keep reading and discard a body sent",
            "                       after a 307 or other early answer (default: close the connection at once)",
            "  --no-merged-loads    answer as StarRocks before 3.4 and Doris before 2.1: merge commit and group",
            "                       commit headers are ignored, every load is a plain one",
            "  --group-commit-interval-ms N",
            "                       Doris: the group commit window, as the table property group_commit_interval_ms",
            "                       (default 10000)",
            "  --help               this text");

    private EmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        StreamLoadEmulator emulator;
        try {
            emulator = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (emulator == null) {
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            System.out.println("emulator stopped");
            stopped.countDown();
        }, "emulator-shutdown"));
        stopped.await();
    }

    /** Starts an emulator from command-line arguments and prints its listeners; null after --help. */
    static StreamLoadEmulator start(String[] args, PrintStream out) throws IOException {
        StreamLoadEmulator.Builder b = StreamLoadEmulator.builder().fePort(8030).mysqlPort(9030);
        boolean mysql = true;
        int bePort = 8040;
        int backends = 1;
        String user = "root";
        String password = "";
        Path tables = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return null;
            }
            if (a.equals("--no-mysql")) {
                mysql = false;
                continue;
            }
            if (a.equals("--fe-keeps-reading-after-answer")) {
                b.feKeepsReadingAfterAnswer(true);
                continue;
            }
            if (a.equals("--no-merged-loads")) {
                b.mergesLoads(false);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--fe-port" -> b.fePort(port(a, v));
                case "--be-port" -> bePort = port(a, v);
                case "--mysql-port" -> b.mysqlPort(port(a, v));
                case "--backends" -> backends = Integer.parseInt(v);
                case "--user" -> user = v;
                case "--password" -> password = v;
                case "--dialect" -> b.dialect(Dialect.parse(v));
                case "--tables" -> tables = Path.of(v);
                case "--bind" -> b.bindAddress(InetAddress.getByName(v));
                case "--group-commit-interval-ms" -> b.groupCommitInterval(java.time.Duration.ofMillis(positive(a, v)));
                case "--max-tablet-versions" -> b.maxTabletVersions(Integer.parseInt(v));
                case "--compaction-versions-per-second" -> b.compactionVersionsPerSecond(Double.parseDouble(v));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            ports.add(bePort == 0 ? 0 : bePort + i);
        }
        b.backends(backends).bePorts(ports).credentials(user, password);
        if (!mysql) {
            b.noMysql();
        }
        List<TableDefinition> defs = tables == null ? List.of() : readTables(tables);
        StreamLoadEmulator emulator = b.start();
        defs.forEach(emulator::createTable);
        out.println("FE listening on " + emulator.feUrl());
        for (int i = 0; i < emulator.backendCount(); i++) {
            out.println("BE listening on " + emulator.beUrl(i));
        }
        if (mysql) {
            out.println("MySQL protocol listening on port " + emulator.mysqlPort() + " (" + emulator.jdbcUrl() + ")");
        }
        for (TableDefinition d : defs) {
            out.println("table " + d.database() + "." + d.table() + " (" + d.model() + ", " + d.columns().size() + " columns)");
        }
        out.println("tablet versions: loads refused past " + emulator.maxTabletVersions() + ", compaction merges "
                + emulator.compactionVersionsPerSecond() + " per second");
        if (emulator.feKeepsReadingAfterAnswer()) {
            out.println("FE keeps reading bodies sent after its answers, as FEs before StarRocks PR 52582");
        }
        out.flush();
        return emulator;
    }

    private static long positive(String option, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number of milliseconds, at least 1, not '"
                    + v + "'");
        }
    }

    private static int port(String option, String v) {
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number from 0 to 65535, not '" + v + "'");
        }
    }

    /**
     * A tables file is either an array of definitions that name their {@code database} and
     * {@code table}, or an object keyed by {@code "db.table"}.
     */
    static List<TableDefinition> readTables(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("tables file " + file + " is not readable JSON: " + e.getMessage());
        }
        List<TableDefinition> out = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode n : root) {
                if (!n.hasNonNull("database") || !n.hasNonNull("table")) {
                    throw new IllegalArgumentException("tables file " + file + ": each entry needs 'database' and 'table'");
                }
                out.add(TableDefinition.fromJson(n.get("database").asText(), n.get("table").asText(), n));
            }
        } else if (root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String[] name = e.getKey().split("\\.", 2);
                if (name.length != 2) {
                    throw new IllegalArgumentException("tables file " + file + ": key '" + e.getKey() + "' must be db.table");
                }
                out.add(TableDefinition.fromJson(name[0], name[1], e.getValue()));
            }
        } else {
            throw new IllegalArgumentException("tables file " + file + " must hold a JSON array or object");
        }
        return out;
    }
}
