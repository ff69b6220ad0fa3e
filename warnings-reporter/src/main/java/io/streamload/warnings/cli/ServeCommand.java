package io.streamload.warnings.cli;

import io.streamload.warnings.ExpiredRowsCleaner;
import io.streamload.warnings.RetentionSchedule;
import io.streamload.warnings.StoreConnections;
import io.streamload.warnings.WarningsStoreConfig;
import io.streamload.warnings.serve.WarningsHttpApi;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: TTL on a schedule plus the read-only HTTP API, until stopped. */
@CommandLine.Command(name = "serve", sortOptions = false,
        header = "run TTL on a schedule and serve the queries as read-only JSON over HTTP, with a page to browse them",
        customSynopsis = {
                "warnings-reporter serve [--bind 127.0.0.1] [--port 8089] [--cleanup-interval 1h]",
                "                              [--retention 7d] [--batch-size 100] [connection options]"},
        description = {
                "Runs a TTL pass at start and then every --cleanup-interval, and serves:",
                "  GET /            a page: loads over time, rejected rows by table, label, reason and time,",
                "                   and the dlq replay command that would send a selection back",
                "  GET /api/warnings?statement=SHOW LOAD WARNINGS ...   (or ?label=x | ?job_id=n, &db=, &limit=)",
                "                   narrowed by &table=, &reason= (contained, any case), &since=, &until=",
                "  GET /api/loads?label=&table=&since=&until=&limit=",
                "  GET /api/timeline?table=&since=&until=&buckets=&limit=   (rows per table over time)",
                "  GET /api/health",
                "Times are ISO-8601 (2025-01-31T12:00:00Z); since is inclusive, until exclusive. limit (and a",
                "statement's LIMIT) is 1 to 1000, by default 100 (timeline: 1000); buckets 1 to 500, by default",
                "48 over the last day. A parameter is at most 1024 characters. Bad requests answer 400 with",
                "{\"error\": ...}, a database that does not exist 404. Only GET is served; bound to loopback,",
                "only requests addressed to localhost, 127.0.0.1 or [::1] are answered.",
                "Runs until interrupted (Ctrl-C / SIGTERM)."},
        footer = StoreOptions.PASSWORD_ORDER)
final class ServeCommand implements Command {
    static final int DEFAULT_PORT = 8089;

    private final CliContext context;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = {"address to listen on (default 127.0.0.1:"
            + " rejected rows may hold customer data; expose it deliberately, behind your own auth)"})
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "port (default 8089; 0 picks a free one)")
    int port = DEFAULT_PORT;

    @Option(names = "--cleanup-interval", paramLabel = "D", description = "time between TTL passes (default 1h)")
    String cleanupInterval;

    @Mixin
    CleanupCommand.TtlOptions ttlOptions;

    @Mixin
    StoreOptions store;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = ttlOptions.flags(store);
        StoreOptions.put(flags, "cleanup-interval", cleanupInterval);
        StoreSettings settings = StoreSettings.from(flags, context.environment());
        WarningsStoreConfig config = CleanupCommand.ttlConfig(settings);
        Duration interval = settings.duration("cleanup-interval", "load.errors.cleanup.interval", Duration.ofHours(1));

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
}
