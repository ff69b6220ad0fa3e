package io.streamload.connect;

import static io.streamload.connect.ConnectFixture.assertEveryIdExactlyOnce;
import static io.streamload.connect.ConnectFixture.committedOffsets;
import static io.streamload.connect.ConnectFixture.createTable;
import static io.streamload.connect.ConnectFixture.produce;
import static io.streamload.connect.ConnectFixture.sinkConfig;
import static io.streamload.connect.ConnectFixture.uniformOffsets;
import static io.streamload.connect.testing.Conditions.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.streamload.connect.testing.NginxProcess;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;

/**
 * The sink behind a real nginx running the shipped {@code config/nginx/starrocks-lb.conf} in
 * front of three emulator FEs (one cluster: a label committed through one FE is known to all).
 * Only the FE addresses, the listen port and (for speed) {@code fail_timeout} are changed.
 * One Connect cluster for the class; each test has its own emulator, nginx, topic and connector.
 */
class NginxLoadBalancerIT {

    private static final int PARTITIONS = 2;
    private static final Path SHIPPED_CONFIG = Path.of("..", "config", "nginx", "starrocks-lb.conf");

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        connect = ConnectFixture.cluster("streamload-nginx-it", 1).build();
        connect.start();
    }

    @AfterAll
    static void stopCluster() {
        connect.stop();
    }

    @Test
    void fesKilledOneAtATimeMidStreamLoseAndDuplicateNothing() throws Exception {
        int port = NginxProcess.freePort();
        try (StreamLoadEmulator emulator = emulator();
             NginxProcess nginx = NginxProcess.start(shippedConfig(emulator, port), port)) {
            String topic = "nginx-failover";
            connect.kafka().createTopic(topic, PARTITIONS);
            createTable(emulator, "nginx_failover");
            Map<String, String> config = sinkConfig(emulator, topic, "nginx_failover", 1);
            config.put("load.urls", "http://127.0.0.1:" + port);
            config.put("buffer.max.records", "200");
            config.put("buffer.flush.interval.ms", "50");
            connect.configureConnector("nginx-failover", config);
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("nginx-failover", 1, "task running");

            int perRound = 2_000;
            int half = perRound / 2;
            for (int fe = 0; fe < 3; fe++) {
                long first = (long) fe * perRound;
                long before = emulator.rowCount(ConnectFixture.DB, "nginx_failover");
                produce(connect, topic, PARTITIONS, first, half);
                // Kill the FE while this round is being loaded, produce the rest of the round
                // while it is down (so loads must go through the others), then bring it back
                // before the next one dies.
                waitFor(() -> emulator.rowCount(ConnectFixture.DB, "nginx_failover") > before,
                        Duration.ofSeconds(30), "loads of round " + fe + " started");
                emulator.stopFe(fe);
                produce(connect, topic, PARTITIONS, first + half, perRound - half);
                long roundEnd = (long) PARTITIONS * (first + perRound);
                waitFor(() -> emulator.rowCount(ConnectFixture.DB, "nginx_failover") >= roundEnd,
                        Duration.ofSeconds(60), "loads go on while FE " + fe + " is down");
                emulator.startFe(fe);
            }
            long total = 3L * perRound;
            waitFor(() -> committedOffsets(connect, "nginx-failover").equals(uniformOffsets(PARTITIONS, total)),
                    Duration.ofSeconds(60), "every offset committed");
            assertEveryIdExactlyOnce(emulator, "nginx_failover", PARTITIONS, total);
            connect.deleteConnector("nginx-failover");
        }
    }

    @Test
    void a502FromNginxAfterTheLoadCommittedIsNotLoadedTwice() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            int port = NginxProcess.freePort();
            int bePort = NginxProcess.freePort();
            // nginx also in front of the BE: the FE's Location is rewritten to nginx, so a BE
            // connection reset after commit reaches the connector as nginx's own 502 page.
            URI be = URI.create(emulator.beUrl(0));
            String config = shippedConfig(emulator, port)
                    .replace("proxy_redirect off;", "proxy_redirect " + emulator.beUrl(0) + "/ http://127.0.0.1:"
                            + bePort + "/;")
                    .replaceFirst("(?s)\\n}\\s*$", "\n    server {\n        listen 127.0.0.1:" + bePort + ";\n"
                            + "        underscores_in_headers on;\n"
                            + "        location / {\n            proxy_pass http://" + be.getHost() + ":" + be.getPort()
                            + ";\n            proxy_http_version 1.1;\n"
                            + "            proxy_set_header Expect \\$http_expect;\n"
                            + "            proxy_request_buffering off;\n            client_max_body_size 0;\n"
                            + "            proxy_next_upstream off;\n        }\n    }\n}\n");
            try (NginxProcess nginx = NginxProcess.start(config, port)) {
                String topic = "nginx-502";
                connect.kafka().createTopic(topic, PARTITIONS);
                createTable(emulator, "nginx_502");
                emulator.inject(Fault.of(FaultKind.RESET_AFTER_COMMIT).table("nginx_502").times(3));
                Map<String, String> sink = sinkConfig(emulator, topic, "nginx_502", 1);
                sink.put("load.urls", "http://127.0.0.1:" + port);
                sink.put("buffer.max.records", "250");
                connect.configureConnector("nginx-502", sink);
                connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("nginx-502", 1, "task running");

                produce(connect, topic, PARTITIONS, 0, 1_000);

                waitFor(() -> committedOffsets(connect, "nginx-502").equals(uniformOffsets(PARTITIONS, 1_000)),
                        Duration.ofSeconds(60), "every offset committed");
                assertEquals(List.of(), emulator.pendingFaults().stream().filter(f -> f.remaining() > 0).toList(),
                        "every injected reset struck");
                assertTrue(nginx.output().contains("upstream prematurely closed")
                                || nginx.output().contains("reset by peer"),
                        "nginx saw the BE connection break after commit:\n" + nginx.output());
                assertEveryIdExactlyOnce(emulator, "nginx_502", PARTITIONS, 1_000);
                // The worker's JMX: the three 502s were unknown outcomes the label resolved as
                // loaded, and the loaded counters equal what the target stores.
                ObjectName task = new ObjectName(
                        "kafka.connect:type=streamload-sink-task-metrics,connector=nginx-502,task=0");
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                assertEquals(3L, jmx.getAttribute(task, "unknown-resolved-loaded-total"));
                assertEquals(2_000L, jmx.getAttribute(task, "records-loaded-total"));
                assertEquals(2_000L, jmx.getAttribute(task, "rows-loaded-total"));
                connect.deleteConnector("nginx-502");
                waitFor(() -> !jmx.isRegistered(task), Duration.ofSeconds(30), "metrics unregistered on stop");
            }
        }
    }

    @Test
    void nginxDroppingExpectIsReportedWithTheTargetsMessage() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            int port = NginxProcess.freePort();
            // nginx's default: the Expect header is not passed on.
            String config = shippedConfig(emulator, port).replace("proxy_set_header Expect $http_expect;", "");
            try (NginxProcess nginx = NginxProcess.start(config, port)) {
                String topic = "nginx-no-expect";
                connect.kafka().createTopic(topic, 1);
                createTable(emulator, "nginx_no_expect");
                Map<String, String> sink = sinkConfig(emulator, topic, "nginx_no_expect", 1);
                sink.put("load.urls", "http://127.0.0.1:" + port);
                connect.configureConnector("nginx-no-expect", sink);
                produce(connect, topic, 1, 0, 10);

                String trace = awaitFailedTaskTrace("nginx-no-expect");
                assertTrue(trace.contains("There is no 100-continue header"), trace);
                assertTrue(trace.contains("drops the Expect header"), trace);
                assertEquals(0, emulator.rowCount(ConnectFixture.DB, "nginx_no_expect"));
                connect.deleteConnector("nginx-no-expect");
            }
        }
    }

    @Test
    void nginxBodyLimitMakesBatchesLoadInHalvesAndARecordTooLargeForItIsReported() throws Exception {
        try (StreamLoadEmulator emulator = emulator()) {
            int port = NginxProcess.freePort();
            String config = shippedConfig(emulator, port).replace("client_max_body_size 0;", "client_max_body_size 1k;");
            try (NginxProcess nginx = NginxProcess.start(config, port)) {
                String topic = "nginx-413";
                connect.kafka().createTopic(topic, 1);
                createTable(emulator, "nginx_413");
                Map<String, String> sink = sinkConfig(emulator, topic, "nginx_413", 1);
                sink.put("load.urls", "http://127.0.0.1:" + port);
                connect.configureConnector("nginx-413", sink);
                // About 6 KB per batch against a 1 KB limit: every batch is cut until it fits.
                produce(connect, topic, 1, 0, 200);

                waitFor(() -> committedOffsets(connect, "nginx-413").equals(uniformOffsets(1, 200)),
                        Duration.ofSeconds(60), "every offset committed");
                assertEveryIdExactlyOnce(emulator, "nginx_413", 1, 200);

                // One record alone larger than the limit cannot be cut: the task says what to change.
                try (var producer = connect.kafka().createProducer(Map.of())) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, null,
                            ("{\"id\":999,\"name\":\"" + "x".repeat(2_000) + "\"}").getBytes(StandardCharsets.UTF_8)));
                    producer.flush();
                }
                String trace = awaitFailedTaskTrace("nginx-413");
                assertTrue(trace.contains("HTTP 413"), trace);
                assertTrue(trace.contains("client_max_body_size"), trace);
                assertEquals(200, emulator.rowCount(ConnectFixture.DB, "nginx_413"));
                connect.deleteConnector("nginx-413");
            }
        }
    }

    private static StreamLoadEmulator emulator() {
        return StreamLoadEmulator.builder().credentials(ConnectFixture.USER, ConnectFixture.PASSWORD).frontends(3)
                .start();
    }

    /** The shipped config, pointed at the emulator's FEs and listening on {@code port}. */
    static String shippedConfig(StreamLoadEmulator emulator, int port) throws IOException {
        String shipped = Files.readString(SHIPPED_CONFIG, StandardCharsets.UTF_8);
        String servers = IntStream.range(0, emulator.frontendCount())
                .mapToObj(i -> URI.create(emulator.feUrl(i)))
                // fail_timeout shortened from the shipped 60s so an FE comes back within the test.
                .map(fe -> "server " + fe.getHost() + ":" + fe.getPort() + " max_fails=3 fail_timeout=2s;")
                .collect(Collectors.joining("\n        "));
        String config = shipped.replaceFirst("(?s)server fe1\\.example\\.com.*?fe3\\.example\\.com:8030[^;]*;",
                Matcher.quoteReplacement(servers));
        config = config.replace("listen 8031;", "listen 127.0.0.1:" + port + ";");
        assertTrue(config.contains(servers) && config.contains("127.0.0.1:" + port),
                "the shipped config still has the FE list and listen line this test replaces");
        return config;
    }

    private static String awaitFailedTaskTrace(String connector) throws InterruptedException {
        String[] trace = new String[1];
        waitFor(() -> {
            ConnectorStateInfo status = connect.connectorStatus(connector);
            for (ConnectorStateInfo.TaskState task : status.tasks()) {
                if ("FAILED".equals(task.state())) {
                    trace[0] = task.trace();
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(60), "the task failed");
        return trace[0];
    }
}
