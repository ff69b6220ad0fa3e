package io.streamload.connect.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx, run as a child process on loopback with a config written to a temporary
 * directory: in the foreground ({@code daemon off}), its pid file, logs and temp files in that
 * directory, so tests need no root and leave nothing behind. nginx must be installed
 * ({@code nginx-light}; {@code .ci/run} installs it): a missing nginx fails the test, it is
 * never skipped.
 */
public final class NginxProcess implements AutoCloseable {

    private static final List<String> CANDIDATES = List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx",
            "/usr/bin/nginx");

    private final Path dir;
    private final Process process;
    private final Path log;

    private NginxProcess(Path dir, Process process, Path log) {
        this.dir = dir;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts nginx with {@code config} (a whole nginx.conf without pid, daemon or user) and waits
     * until it accepts connections on {@code port}.
     */
    public static NginxProcess start(String config, int port) throws IOException, InterruptedException {
        String nginx = CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException("nginx is not installed (looked in " + CANDIDATES
                        + "); install the Debian package nginx-light, as .ci/run does"));
        Path dir = Files.createTempDirectory("nginx-it");
        Files.createDirectories(dir.resolve("logs"));
        // Temporary files inside the test directory, not in /var/lib/nginx.
        String temps = "\n    client_body_temp_path " + dir.resolve("client_body") + ";"
                + "\n    proxy_temp_path " + dir.resolve("proxy") + ";"
                + "\n    fastcgi_temp_path " + dir.resolve("fastcgi") + ";"
                + "\n    uwsgi_temp_path " + dir.resolve("uwsgi") + ";"
                + "\n    scgi_temp_path " + dir.resolve("scgi") + ";\n";
        String withTemps = config.replaceFirst("http\\s*\\{", "http {" + temps.replace("\\", "\\\\").replace("$", "\\$"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, withTemps, StandardCharsets.UTF_8);
        Path log = dir.resolve("nginx.out");
        String globals = "daemon off; master_process on; pid " + dir.resolve("nginx.pid") + "; error_log stderr notice;"
                // As root, workers would switch to "nobody", who cannot write the test directory.
                + ("root".equals(System.getProperty("user.name")) ? " user root;" : "");
        Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", conf.toString(), "-g", globals)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NginxProcess started = new NginxProcess(dir, process, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = started.output();
                started.close();
                throw new IllegalStateException("nginx did not start on port " + port + ":\n" + output
                        + "\nconfig:\n" + withTemps);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return started;
    }

    /** A free loopback port (free when asked; nginx binds it right after). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What nginx wrote to stdout and stderr so far (its error log). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read the nginx log: " + e + ")";
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM: nginx's fast shutdown; the master takes its workers with it.
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Leftovers in /tmp are harmless.
        }
    }
}
