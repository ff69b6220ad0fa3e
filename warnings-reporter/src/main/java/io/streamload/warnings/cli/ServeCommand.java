package io.streamload.warnings.cli;

import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.RetentionSchedule;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.serve.WarningsHttpApi;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code serve}: TTL on a schedule plus the read-only HTTP API, until stopped. */
final class ServeCommand implements Command {
    static final int DEFAULT_PORT = 8089;

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run TTL on a schedule and serve the queries as read-only JSON over HTTP, with a page to browse them";
    }

    @Override
    public String help() {
        return """
                Usage: warnings-reporter serve [--bind 127.0.0.1] [--port 8089] [--cleanup-interval 1h]
                                               [--retention 7d] [--batch-size 100] [connection options]

                Runs a TTL pass at start and then every --cleanup-interval, and serves:
                  GET /            a page: loads over time, rejected rows by table, label, reason and time,
                                   and the dlq replay command that would send a selection back
                  GET /api/warnings?statement=SHOW LOAD WARNINGS ...   (or ?label=x | ?job_id=n, &db=, &limit=)
                                   narrowed by &table=, &reason= (contained, any case), &since=, &until=
                  GET /api/loads?label=&table=&since=&until=&limit=
                  GET /api/timeline?table=&since=&until=&buckets=&limit=   (rows per table over time)
                  GET /api/health
                Times are ISO-8601 (2025-01-31T12:00:00Z); since is inclusive, until exclusive. limit (and a
                statement's LIMIT) is 1 to 1000, by default 100 (timeline: 1000); buckets 1 to 500, by default
                48 over the last day. A parameter is at most 1024 characters. Bad requests answer 400 with
                {"error": ...}, a database that does not exist 404. Only GET is served; bound to loopback,
                only requests addressed to localhost, 127.0.0.1 or [::1] are answered.
                Runs until interrupted (Ctrl-C / SIGTERM).

                  --bind ADDRESS         address to listen on (default 127.0.0.1: rejected rows may hold
                                         customer data; expose it deliberately, behind your own auth)
                  --port PORT            port (default 8089; 0 picks a free one)
                  --cleanup-interval D   time between TTL passes (default 1h)
                """ + CleanupCommand.TTL_HELP + StoreSettings.HELP;
    }

    @Override
    public int run(List<String> args, CliContext context) throws Exception {
        Set<String> options = new HashSet<>(StoreSettings.OPTIONS);
        options.addAll(CleanupCommand.TTL_OPTIONS);
        options.addAll(Set.of("bind", "port", "cleanup-interval"));
        Arguments arguments = Arguments.parse(args, options, Set.of());
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + arguments.positionals().get(0) + "'");
        }
        StoreSettings settings = StoreSettings.from(arguments, context.environment());
        WarningsStoreConfig config = CleanupCommand.ttlConfig(settings);
        Duration interval = settings.duration("cleanup-interval", "load.errors.cleanup.interval", Duration.ofHours(1));
        String bind = arguments.get("bind") == null ? "127.0.0.1" : arguments.get("bind");
        int port = parsePort(arguments.get("port"));

        StoreConnections connections = StoreConnections.of(config);
        try (RetentionSchedule ttl = RetentionSchedule.start(ExpiredRowsCleaner.of(config), connections, interval,
                ServeCommand::ttlThread);
             WarningsHttpApi api = WarningsHttpApi.start(bind, port, connections, config.location())) {
            InetSocketAddress address = api.address();
            String base = "http://" + address.getHostString() + ":" + address.getPort();
            context.out().printf("Serving warnings of database %s from %s on %s/api/ (TTL %s every %s); the page: %s/%n",
                    config.location().database(), config.url(), base, config.retention(), interval, base);
            context.out().flush();
            context.shutdown().await();
        }
        context.out().println("Stopped.");
        return OK;
    }

    private static Thread ttlThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "warnings-ttl");
        thread.setDaemon(true);
        return thread;
    }

    private static int parsePort(String text) throws UsageException {
        if (text == null) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--port must be 0..65535, got '" + text + "'");
    }
}
