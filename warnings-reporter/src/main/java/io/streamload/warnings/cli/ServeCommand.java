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
        header = "run TTL on a schedule and serve the queries as read-only JSON over HTTP",
        customSynopsis = {
                "warnings-reporter serve [--bind 127.0.0.1] [--port 8089] [--cleanup-interval 1h]",
                "                              [--retention 7d] [--batch-size 100] [connection options]"},
        description = {
                "Runs a TTL pass at start and then every --cleanup-interval, and serves:",
                "  GET /api/warnings?statement=SHOW LOAD WARNINGS ...   (or ?label=x | ?job_id=n, &db=, &limit=)",
                "  GET /api/loads?label=&table=&limit=",
                "  GET /api/health",
                "limit (and a statement's LIMIT) is 1 to 1000, by default 100; a parameter is at most 1024"
                        + " characters. Bad requests answer 400 with {\"error\": ...}, a database that does not exist 404.",
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
            context.out().printf("Serving warnings of database %s from %s on http://%s:%d/api/ (TTL %s every %s)%n",
                    config.location().database(), config.url(), address.getHostString(), address.getPort(),
                    config.retention(), interval);
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
