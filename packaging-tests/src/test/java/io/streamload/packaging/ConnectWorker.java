package io.streamload.packaging;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A distributed Kafka Connect worker of one Apache Kafka version, run as its own JVM:
 * {@code org.apache.kafka.connect.cli.ConnectDistributed worker.properties}, on the class path the
 * build resolved for that version (module {@code connect-workers/connect-<line>}, file
 * {@code target/classpath}), with the plugin archive's folder as {@code plugin.path}, its REST API
 * and a JMX port on localhost, and its log in {@code connect.log} of its folder. {@link #close()}
 * stops it (and anything it started), by force when it does not stop by itself.
 */
final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern RUNTIME_JAR = Pattern.compile("connect-runtime-([0-9][^/:]*)\\.jar");
    private static final String LOG_PATTERN = "[%d] %p %X{connector.context}%m (%c:%L)%n";

    /** Workers not closed yet: killed should the test JVM end first. */
    private static final List<Process> RUNNING = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (RUNNING) {
                RUNNING.forEach(ConnectWorker::destroyTree);
            }
        }, "connect-worker-reaper"));
    }

    private final String kafkaVersion;
    private final Path dir;
    private final Path log;
    private final int restPort;
    private final int jmxPort;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JMXConnector jmx;
    private boolean stoppedByForce;

    private ConnectWorker(String kafkaVersion, Path dir, int restPort, int jmxPort, Process process) {
        this.kafkaVersion = kafkaVersion;
        this.dir = dir;
        this.log = dir.resolve("connect.log");
        this.restPort = restPort;
        this.jmxPort = jmxPort;
        this.process = process;
    }

    /**
     * Starts a worker of Kafka {@code line} (for example {@code 3.4}) in {@code dir} and waits
     * until its REST API answers and it lists the plugin.
     *
     * @param groupId the worker's {@code group.id}; also names its internal topics
     */
    static ConnectWorker start(String line, Path dir, String bootstrapServers, String groupId) throws Exception {
        return start(line, dir, bootstrapServers, groupId, List.of());
    }

    /**
     * As {@link #start(String, Path, String, String)}, with more JVM options for the worker (a
     * {@code -javaagent}, as an operator's {@code KAFKA_OPTS} adds one).
     */
    static ConnectWorker start(String line, Path dir, String bootstrapServers, String groupId, List<String> jvmOptions)
            throws Exception {
        String classpath = classpath(line);
        Matcher runtime = RUNTIME_JAR.matcher(classpath);
        if (!runtime.find()) {
            throw new IllegalStateException("no connect-runtime jar in the class path of Connect " + line);
        }
        String kafkaVersion = runtime.group(1);
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path file : old.toList()) {
                Files.deleteIfExists(file);
            }
        }
        int restPort = freePort();
        int jmxPort = freePort();

        Properties worker = new Properties();
        worker.setProperty("bootstrap.servers", bootstrapServers);
        worker.setProperty("group.id", groupId);
        worker.setProperty("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.setProperty("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        for (String store : List.of("config", "offset", "status")) {
            worker.setProperty(store + ".storage.topic", groupId + "-" + store);
            worker.setProperty(store + ".storage.replication.factor", "1");
        }
        worker.setProperty("offset.storage.partitions", "1");
        worker.setProperty("status.storage.partitions", "1");
        worker.setProperty("listeners", "http://localhost:" + restPort);
        worker.setProperty("rest.advertised.host.name", "localhost");
        worker.setProperty("rest.advertised.port", Integer.toString(restPort));
        worker.setProperty("plugin.path", PluginArchive.pluginPath().toAbsolutePath().toString());
        worker.setProperty("offset.flush.interval.ms", "500");
        worker.setProperty("scheduled.rebalance.max.delay.ms", "0");
        if (atLeast(line, 3, 6)) {
            // Find plugins by their ServiceLoader manifests only (KIP-898), as Kafka advises once
            // every plugin has them: it proves the archive's manifests, and saves the 20 s the
            // default's class scan takes here. 3.4 scans classes, the only way it has;
            // PluginPathIT runs the default (hybrid_warn).
            worker.setProperty("plugin.discovery", "service_load");
        }
        Path workerProperties = dir.resolve("worker.properties");
        try (var out = Files.newBufferedWriter(workerProperties, StandardCharsets.UTF_8)) {
            worker.store(out, "Connect " + kafkaVersion + " worker of the packaging tests");
        }
        Path log = dir.resolve("connect.log");
        // 3.x logs through reload4j, 4.x through Log4j 2: each reads its own file.
        Path log4j = dir.resolve("log4j.properties");
        Files.writeString(log4j, String.join("\n",
                "log4j.rootLogger=INFO, file",
                "log4j.appender.file=org.apache.log4j.FileAppender",
                "log4j.appender.file.File=" + log,
                "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.file.layout.ConversionPattern=" + LOG_PATTERN,
                "log4j.logger.org.reflections=ERROR", ""));
        Path log4j2 = dir.resolve("log4j2.properties");
        Files.writeString(log4j2, String.join("\n",
                "status=warn",
                "appender.file.type=File",
                "appender.file.name=file",
                "appender.file.fileName=" + log,
                "appender.file.layout.type=PatternLayout",
                "appender.file.layout.pattern=" + LOG_PATTERN,
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.file.ref=file",
                "logger.reflections.name=org.reflections",
                "logger.reflections.level=ERROR", ""));

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m",
                // Start faster on a small build machine; nothing the plugin sees changes.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-Dlog4j.configuration=" + log4j.toUri(),
                "-Dlog4j2.configurationFile=" + log4j2.toUri(),
                // JMX on localhost only, without authentication: a test reads the task's metrics.
                "-Dcom.sun.management.jmxremote",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=localhost",
                "-Dcom.sun.management.jmxremote.local.only=true",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=localhost"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath,
                "org.apache.kafka.connect.cli.ConnectDistributed", workerProperties.toString()));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        synchronized (RUNNING) {
            RUNNING.add(process);
        }
        ConnectWorker started = new ConnectWorker(kafkaVersion, dir, restPort, jmxPort, process);
        try {
            started.awaitReady();
        } catch (Exception | AssertionError e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The Kafka version of the worker's connect-runtime, for example {@code 3.4.1}. */
    String kafkaVersion() {
        return kafkaVersion;
    }

    Path log() {
        return log;
    }

    /** The worker's log so far, line by line. */
    List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** True once {@link #close()} had to kill the worker. */
    boolean stoppedByForce() {
        return stoppedByForce;
    }

    // ---- REST ----

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> put(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /**
     * Creates or updates a connector, asking again while the worker answers that it is busy
     * (joining its group, or a rebalance under way: 409, or a 500 for a request that timed out).
     */
    void putConnector(String name, Map<String, String> config) throws Exception {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        waitFor(() -> {
            HttpResponse<String> response = put("connectors/" + name + "/config", config);
            last.set(response);
            int status = response.statusCode();
            if (status == 409 || status == 500 || status == 503) {
                return false;
            }
            if (status / 100 != 2) {
                throw new AssertionError("PUT connectors/" + name + "/config: " + status + " " + response.body());
            }
            return true;
        }, Duration.ofSeconds(60), () -> "connector " + name + " accepted; last answer: "
                + (last.get() == null ? "none" : last.get().statusCode() + " " + last.get().body()));
    }

    /** The connector's status as the worker reports it, or a missing node while it has none. */
    JsonNode status(String connector) throws IOException, InterruptedException {
        HttpResponse<String> response = get("connectors/" + connector + "/status");
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.missingNode();
    }

    /** Waits until the connector and {@code tasks} tasks run. */
    void awaitRunning(String connector, int tasks) throws Exception {
        JsonNode[] last = new JsonNode[1];
        waitFor(() -> {
            last[0] = status(connector);
            JsonNode taskStates = last[0].path("tasks");
            if (!"RUNNING".equals(last[0].path("connector").path("state").asText()) || taskStates.size() != tasks) {
                return false;
            }
            for (JsonNode task : taskStates) {
                if ("FAILED".equals(task.path("state").asText())) {
                    throw new AssertionError("task of " + connector + " failed on Connect " + kafkaVersion + ": "
                            + task.path("trace").asText());
                }
                if (!"RUNNING".equals(task.path("state").asText())) {
                    return false;
                }
            }
            return true;
        }, Duration.ofSeconds(60), () -> connector + " running with " + tasks + " tasks; status: " + last[0]);
    }

    void deleteConnector(String connector) throws Exception {
        HttpResponse<String> response = delete("connectors/" + connector);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("DELETE connectors/" + connector + ": " + response.statusCode() + " "
                    + response.body());
        }
        waitFor(() -> status(connector).isMissingNode(), Duration.ofSeconds(60), () -> connector + " deleted");
    }

    // ---- JMX ----

    /** An attribute of an MBean of the worker, read over its JMX port. */
    Object attribute(ObjectName name, String attribute) throws Exception {
        return mbeans().getAttribute(name, attribute);
    }

    /** What an MBean of the worker holds: its attributes, with their types and descriptions. */
    javax.management.MBeanInfo mbeanInfo(ObjectName name) throws Exception {
        return mbeans().getMBeanInfo(name);
    }

    /** The worker's MBeans that match a pattern. */
    java.util.Set<ObjectName> mbeanNames(ObjectName pattern) throws IOException {
        return mbeans().queryNames(pattern, null);
    }

    private MBeanServerConnection mbeans() throws IOException {
        if (jmx == null) {
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://localhost:" + jmxPort + "/jmxrmi"));
        }
        return jmx.getMBeanServerConnection();
    }

    /**
     * Stops the worker as an operator does (SIGTERM: Connect leaves its group and stops its
     * tasks), then kills what is left of its process tree after {@link #STOP_TIMEOUT}.
     */
    @Override
    public void close() throws IOException {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the worker is going away anyway
            }
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                stoppedByForce = true;
                destroyTree(process);
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyTree(process);
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
            synchronized (RUNNING) {
                RUNNING.remove(process);
            }
        }
    }

    @Override
    public String toString() {
        return "Connect " + kafkaVersion + " worker (REST " + restPort + ", JMX " + jmxPort + ", " + dir + ")";
    }

    private void awaitReady() throws Exception {
        String[] last = {"no answer"};
        waitFor(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Connect " + kafkaVersion + " worker exited with " + process.exitValue()
                        + "; end of its output:\n" + tail(dir.resolve("stdout.log")) + "\nend of its log:\n"
                        + tail(log));
            }
            try {
                HttpResponse<String> root = get("");
                last[0] = root.statusCode() + " " + root.body();
                if (root.statusCode() != 200) {
                    return false;
                }
                String version = JSON.readTree(root.body()).path("version").asText();
                if (!version.equals(kafkaVersion)) {
                    throw new AssertionError("the worker says it is Kafka " + version + ", expected " + kafkaVersion);
                }
                HttpResponse<String> plugins = get("connector-plugins");
                last[0] = plugins.statusCode() + " " + plugins.body();
                return plugins.statusCode() == 200 && plugins.body().contains(PluginArchive.CONNECTOR_CLASS);
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, START_TIMEOUT, () -> "Connect " + kafkaVersion + " worker up, listing the plugin; last answer: " + last[0]
                + "\nend of its log:\n" + tail(log));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + restPort + "/" + path);
    }

    /** The class path the build resolved for Connect {@code line}. */
    private static String classpath(String line) throws IOException {
        String workers = System.getProperty("streamload.connect.workers");
        if (workers == null) {
            throw new IllegalStateException("streamload.connect.workers is not set: run this test through "
                    + "`mvn verify -pl packaging-tests -am`, which resolves the workers' class paths first");
        }
        Path file = Path.of(workers, "connect-" + line, "target", "classpath");
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: build module connect-workers/connect-" + line
                    + " first (`mvn verify -pl packaging-tests -am` does)");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    /** True when Kafka {@code line} (for example {@code 3.9}) is {@code major.minor} or later. */
    static boolean atLeast(String line, int major, int minor) {
        String[] parts = line.split("\\.");
        int lineMajor = Integer.parseInt(parts[0]);
        int lineMinor = Integer.parseInt(parts[1]);
        return lineMajor > major || lineMajor == major && lineMinor >= minor;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Polls {@code condition} until it holds, or fails with {@code what} after {@code timeout}. */
    static void waitFor(ThrowingCondition condition, Duration timeout, Description what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 50;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                String description;
                try {
                    description = what.get();
                } catch (Exception e) {
                    description = "(could not be described: " + e + ")";
                }
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for: " + description);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 500);
        }
    }

    @FunctionalInterface
    interface ThrowingCondition {
        boolean holds() throws Exception;
    }

    /** What a wait was for, told when it times out; may ask the worker or Kafka again. */
    @FunctionalInterface
    interface Description {
        String get() throws Exception;
    }
}
