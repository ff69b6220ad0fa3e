package io.streamload.emulator;

import io.streamload.emulator.http.HttpListener;
import io.streamload.emulator.load.Catalog;
import io.streamload.emulator.load.LoadRecord;
import io.streamload.emulator.mysql.MysqlListener;
import io.streamload.emulator.mysql.SqlEngine;
import io.streamload.emulator.table.TableData;
import io.streamload.emulator.table.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A StarRocks or Doris cluster as seen through Stream Load: one or more FE listeners and one or
 * more BE listeners on their own ports, sharing tables and labels (as the FEs of one cluster
 * share its catalog: a label committed through one FE is known to all). Start as many as a test needs; each uses
 * ephemeral ports unless told otherwise.
 */
public final class StreamLoadEmulator implements AutoCloseable {
    /**
     * The compaction rate when none is set: a model figure, not a server setting (a real BE's
     * pace depends on its compaction threads, disks and data).
     */
    public static final double DEFAULT_COMPACTION_VERSIONS_PER_SECOND = 100;
    private final Dialect dialect;
    private final Catalog catalog;
    private final FaultPlan faults = new FaultPlan();
    private final AtomicLong requests = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final LoadService loads;
    private final TransactionService transactions;
    private final List<HttpListener> fes = new ArrayList<>();
    private final List<HttpListener> bes = new ArrayList<>();
    /** The FE's MySQL protocol port, or null when off. */
    private final MysqlListener mysql;
    private final SqlEngine sql;
    private final TabletVersions versions;
    private static final long COMPACTION_TICK_MS = 50;

    private StreamLoadEmulator(Builder b) throws IOException {
        this.dialect = b.dialect;
        Duration retention = b.labelRetention != null ? b.labelRetention
                : b.dialect == Dialect.DORIS ? Duration.ofHours(12) : Duration.ofDays(3);
        this.catalog = new Catalog(retention);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "emulator-scheduler");
            t.setDaemon(true);
            return t;
        });
        int maxVersions = b.maxTabletVersions > 0 ? b.maxTabletVersions : dialect.defaultMaxTabletVersions();
        EmulatorSettings settings = new EmulatorSettings(b.user, b.password, b.maxBodyBytes, b.maxConcurrentLoads,
                retention, b.publishDelay, b.mergesLoads, b.groupCommitInterval, b.mysqlPort, b.modifyColumnTime,
                maxVersions, b.compactionVersionsPerSecond, b.tableMetadataOverHttp);
        this.sql = new SqlEngine(catalog, dialect == Dialect.DORIS, b.user, scheduler, settings.modifyColumnTime());
        this.mysql = settings.mysqlEnabled()
                ? new MysqlListener(b.bindAddress, settings.mysqlPort(), sql, b.user, b.password, b.sslContext,
                        b.requireMysqlTls) : null;
        this.versions = new TabletVersions(maxVersions, b.compactionVersionsPerSecond);
        this.loads = new LoadService(catalog, dialect.server(), faults, settings, scheduler, versions);
        this.transactions = new TransactionService(loads);
        for (int i = 0; i < b.backends; i++) {
            int port = i < b.bePorts.size() ? b.bePorts.get(i) : 0;
            HttpListener[] holder = new HttpListener[1];
            holder[0] = new HttpListener("be" + i, b.bindAddress, port,
                    new BackendHandler(loads, transactions, () -> holder[0]), b.sslContext, requests);
            bes.add(holder[0]);
        }
        AdminApi admin = new AdminApi(this);
        for (int i = 0; i < b.frontends; i++) {
            fes.add(new HttpListener(i == 0 ? "fe" : "fe" + i, b.bindAddress, i == 0 ? b.fePort : 0,
                    new FrontendHandler(loads, transactions, bes, admin), b.sslContext, requests));
        }
        for (HttpListener listener : bes) {
            listener.requireClientCertificates(b.requireClientCertificates);
        }
        for (HttpListener listener : fes) {
            listener.requireClientCertificates(b.requireClientCertificates);
            listener.keepReadingAfterAnswer(b.feKeepsReadingAfterAnswer);
        }
        try {
            for (HttpListener be : bes) {
                be.start();
            }
            for (HttpListener fe : fes) {
                fe.start();
            }
            if (mysql != null) {
                mysql.start();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        scheduler.scheduleWithFixedDelay(transactions::expireTransactions, 200, 200, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> versions.compact(System.nanoTime()), COMPACTION_TICK_MS,
                COMPACTION_TICK_MS, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A StarRocks emulator on ephemeral loopback ports, user {@code root} without password. */
    public static StreamLoadEmulator start() {
        return builder().start();
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The first FE's URL. */
    public String feUrl() {
        return fes.get(0).url();
    }

    public int fePort() {
        return fes.get(0).port();
    }

    /** The URL of FE {@code index} (0 is the one {@link #feUrl()} names). */
    public String feUrl(int index) {
        return fes.get(index).url();
    }

    public int frontendCount() {
        return fes.size();
    }

    /**
     * The FE's MySQL protocol port.
     *
     * @throws IllegalStateException when the emulator was started without it
     */
    public int mysqlPort() {
        if (mysql == null) {
            throw new IllegalStateException("this emulator has no MySQL port: start it with Builder.mysqlPort(0)");
        }
        return mysql.port();
    }

    /**
     * A JDBC URL for the MySQL port (mysql-connector-j), without database; plain text (sslMode=DISABLED),
     * even when the port offers TLS: add the driver's TLS options to another URL for that.
     */
    public String jdbcUrl() {
        return "jdbc:mysql://" + fes.get(0).hostLiteral() + ":" + mysqlPort() + "/?sslMode=DISABLED";
    }

    /** The statements engine behind the MySQL port: its DDL log, privileges and schema change jobs. */
    public SqlEngine sql() {
        return sql;
    }

    /** Connections to the MySQL port that switched to TLS (an SSLRequest answered), since the start. */
    public long mysqlTlsSessions() {
        mysqlPort();
        return mysql.tlsSessions();
    }

    /** The MySQL port's listener: its TLS state for the admin API. */
    MysqlListener mysqlListener() {
        mysqlPort();
        return mysql;
    }

    /** The DDL statements the MySQL port executed that changed the catalog, in order. */
    public List<String> ddlStatements() {
        return sql.appliedDdl();
    }

    /** Creates an empty database (tables created through the admin API make theirs). */
    public void createDatabase(String database) {
        catalog.createDatabase(database);
    }

    public String beUrl(int index) {
        return bes.get(index).url();
    }

    public int backendCount() {
        return bes.size();
    }

    Catalog catalog() {
        return catalog;
    }

    FaultPlan faults() {
        return faults;
    }

    /** Creates (or replaces) a table; its tablet starts afresh with one version. */
    public void createTable(TableDefinition definition) {
        versions.forget(definition.database(), definition.table());
        catalog.createTable(definition);
    }

    /** Creates a table from its JSON definition (the admin API's format). */
    public void createTable(String database, String table, String jsonDefinition) {
        createTable(TableDefinition.fromJson(database, table, jsonDefinition));
    }

    public boolean dropTable(String database, String table) {
        versions.forget(database, table);
        return catalog.dropTable(database, table);
    }

    /**
     * Versions the table's tablet holds now: 1 for a table never loaded, one more per committed
     * load, fewer as compaction merges them (see {@link Builder#compactionVersionsPerSecond}).
     */
    public int tabletVersions(String database, String table) {
        requireTable(database, table);
        return versions.versions(database, table);
    }

    /** The most versions the table's tablet has held since it was created. */
    public int peakTabletVersions(String database, String table) {
        requireTable(database, table);
        return versions.peak(database, table);
    }

    /** The most versions any tablet has held. */
    public int peakTabletVersions() {
        return versions.peak();
    }

    /**
     * Loads into the table refused for too many versions. {@link #loads()} keeps one record per
     * label, and a refused label is free for its retry, whose record replaces it: count refusals here.
     */
    public long refusedForVersions(String database, String table) {
        requireTable(database, table);
        return versions.refused(database, table);
    }

    /** Loads refused for too many versions, over all tables. */
    public long refusedForVersions() {
        return versions.refused();
    }

    /** Versions a tablet may hold before loads into it are refused. */
    public int maxTabletVersions() {
        return versions.limit();
    }

    /** Versions compaction merges away per second, over all tablets. */
    public double compactionVersionsPerSecond() {
        return versions.compactionPerSecond();
    }

    /**
     * Changes the version limit and the compaction rate while running; a value below zero keeps
     * the current one.
     */
    public void versionSettings(int maxTabletVersions, double compactionVersionsPerSecond) {
        versions.settings(maxTabletVersions, compactionVersionsPerSecond);
    }

    TabletVersions versions() {
        return versions;
    }

    private TableData requireTable(String database, String table) {
        TableData t = catalog.table(database, table);
        if (t == null) {
            throw new IllegalArgumentException(LoadService.unknownTableMessage(database, table));
        }
        return t;
    }

    /** Visible rows in a stable order (by key, then load order). */
    public List<Map<String, Object>> rows(String database, String table) {
        return requireTable(database, table).rows();
    }

    /** The table's definition now (ALTER TABLE changes it). */
    public TableDefinition definition(String database, String table) {
        return requireTable(database, table).definition();
    }

    public long rowCount(String database, String table) {
        return requireTable(database, table).rowCount();
    }

    public long loadedBytes(String database, String table) {
        return requireTable(database, table).loadedBytes();
    }

    /**
     * Transactions committed into the table, each one new version of it: one per plain load, one
     * per merge window when the server merged loads (StarRocks merge commit, Doris group commit).
     */
    public long transactions(String database, String table) {
        return requireTable(database, table).transactions();
    }

    /** Load requests whose rows are in the table's committed transactions. */
    public long loadRequests(String database, String table) {
        return requireTable(database, table).loadRequests();
    }

    /** Every load and transaction in start order. */
    public List<LoadRecord> loads() {
        return catalog.loads();
    }

    /** UNKNOWN, PREPARE, PREPARED, COMMITTED, VISIBLE or ABORTED. */
    public String labelState(String database, String label) {
        LoadRecord r = catalog.find(database, label);
        return r == null ? "UNKNOWN" : r.state().name();
    }

    /**
     * Client connections open now on every FE and BE listener: accepted and not yet ended. A
     * client's kept-alive connections count until it closes them.
     */
    public int openConnections() {
        int sum = 0;
        for (HttpListener listener : fes) {
            sum += listener.openConnections();
        }
        for (HttpListener listener : bes) {
            sum += listener.openConnections();
        }
        return sum;
    }

    /** HTTP requests received on every listener of this emulator. */
    public long requestCount() {
        return requests.get();
    }

    /**
     * Request-body bytes the FEs received after answering (a 307, a 401, an early error), summed
     * over every FE listener. A client that waits for {@code 100 Continue} and follows the redirect
     * without pushing its body leaves it at 0. By default an FE closes the connection right after
     * its answer, so this counts what had already arrived unread at that moment; with
     * {@link Builder#feKeepsReadingAfterAnswer(boolean)} it counts every byte read and discarded.
     */
    public long feBodyBytesAfterAnswer() {
        long sum = 0;
        for (HttpListener fe : fes) {
            sum += fe.bodyBytesAfterAnswer();
        }
        return sum;
    }

    /** {@link #feBodyBytesAfterAnswer()} for FE {@code fe} alone. */
    public long feBodyBytesAfterAnswer(int fe) {
        return fes.get(fe).bodyBytesAfterAnswer();
    }

    /** Whether the FEs keep reading a body after answering, as FEs before StarRocks PR 52582 do. */
    public boolean feKeepsReadingAfterAnswer() {
        return fes.get(0).keepsReadingAfterAnswer();
    }

    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<Fault> pendingFaults() {
        return faults.pending();
    }

    /** The (first) FE stops listening and drops its connections: clients get "connection refused". */
    public void stopFe() {
        stopFe(0);
    }

    /** The (first) FE comes back on the same port. */
    public void startFe() {
        startFe(0);
    }

    public boolean feRunning() {
        return fes.get(0).isRunning();
    }

    /** FE {@code index} stops listening and drops its connections; the others keep serving. */
    public void stopFe(int index) {
        fes.get(index).stop();
    }

    /** FE {@code index} comes back on the same port. */
    public void startFe(int index) {
        HttpListener fe = fes.get(index);
        try {
            fe.start();
        } catch (IOException e) {
            throw new UncheckedIOException("FE " + index + " could not listen again on port " + fe.port(), e);
        }
    }

    public void stopBe(int index) {
        bes.get(index).stop();
    }

    public void startBe(int index) {
        try {
            bes.get(index).start();
        } catch (IOException e) {
            throw new UncheckedIOException("BE " + index + " could not listen again on port " + bes.get(index).port(), e);
        }
    }

    /** For the admin API: answer first, then go down for a while and come back. */
    void restartFeLater(Duration down) {
        scheduler.schedule(() -> {
            fes.get(0).stop();
            scheduler.schedule(() -> startFe(0), down.toMillis(), TimeUnit.MILLISECONDS);
        }, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (mysql != null) {
            mysql.close();
        }
        for (HttpListener fe : fes) {
            fe.close();
        }
        for (HttpListener be : bes) {
            be.close();
        }
    }

    /** Settings for a new emulator. */
    public static final class Builder {
        private Dialect dialect = Dialect.STARROCKS;
        private String user = "root";
        private String password = "";
        private int backends = 1;
        private int frontends = 1;
        /** Null until set: StarRocks keeps labels 3 days, Doris' stream load 12 hours. */
        private Duration labelRetention;
        private long maxBodyBytes = 10L << 30;
        private int maxConcurrentLoads = 64;
        private InetAddress bindAddress;
        private int fePort;
        private List<Integer> bePorts = List.of();
        private Duration publishDelay = Duration.ofMillis(300);
        private SSLContext sslContext;
        private boolean requireClientCertificates;
        private boolean requireMysqlTls;
        private boolean feKeepsReadingAfterAnswer;
        private boolean mergesLoads = true;
        private Duration groupCommitInterval = Duration.ofSeconds(10);
        private int mysqlPort = EmulatorSettings.MYSQL_OFF;
        private Duration modifyColumnTime = Duration.ofMillis(500);
        /** 0 until set: the dialect's server default. */
        private int maxTabletVersions;
        private double compactionVersionsPerSecond = DEFAULT_COMPACTION_VERSIONS_PER_SECOND;
        private boolean tableMetadataOverHttp = true;

        private Builder() {
            try {
                bindAddress = InetAddress.getByName("127.0.0.1");
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Builder dialect(Dialect d) {
            this.dialect = d;
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password == null ? "" : password;
            return this;
        }

        public Builder backends(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("an emulator needs at least one BE");
            }
            this.backends = n;
            return this;
        }

        /** FE listeners of the cluster (default 1); the first takes {@link #fePort}, the others ephemeral ports. */
        public Builder frontends(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("an emulator needs at least one FE");
            }
            this.frontends = n;
            return this;
        }

        public Builder labelRetention(Duration d) {
            this.labelRetention = d;
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder maxConcurrentLoads(int n) {
            this.maxConcurrentLoads = n;
            return this;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        public Builder fePort(int port) {
            this.fePort = port;
            return this;
        }

        public Builder bePorts(List<Integer> ports) {
            this.bePorts = List.copyOf(ports);
            return this;
        }

        /** How long a load that hit a Publish Timeout takes to become visible. */
        public Builder publishDelay(Duration d) {
            this.publishDelay = d;
            return this;
        }

        /** Serve https on every listener with this context. */
        public Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * The MySQL port refuses clients that do not switch to TLS, with StarRocks' 5205 {@code
         * Connections using insecure transport are prohibited} ({@code ssl_force_secure_transport}).
         * Needs {@link #tls}. Unlike StarRocks, which lets loopback clients through, every client is held to it.
         */
        public Builder requireMysqlTls() {
            this.requireMysqlTls = true;
            return this;
        }

        /**
         * Mutual TLS: FE and BEs refuse clients without a certificate the {@link #tls} context's
         * trust managers accept.
         */
        public Builder requireClientCertificates() {
            this.requireClientCertificates = true;
            return this;
        }

        /**
         * False (the default) answers as a current StarRocks FE (PR 52582, 3.3 line on): a 307 or
         * any other answer sent before the body was read closes the connection at once, so a
         * client pushing its body afterwards gets a reset or a broken pipe. True reproduces older
         * FEs: they keep reading and discard what the client sends (until it closes, or after two
         * seconds of silence). BEs always close at once.
         */
        public Builder feKeepsReadingAfterAnswer(boolean value) {
            this.feKeepsReadingAfterAnswer = value;
            return this;
        }

        /**
         * True (the default) merges the loads that ask for it, as StarRocks 3.4+ ({@code
         * enable_merge_commit}) and Doris 2.1+ ({@code group_commit}) do. False answers as older
         * servers: they ignore headers they do not know, so such a load is a plain one.
         */
        public Builder mergesLoads(boolean value) {
            this.mergesLoads = value;
            return this;
        }

        /**
         * Opens the FE's MySQL protocol port (0 picks a free one; the servers use 9030) for DDL and
         * session statements. Off unless asked for.
         */
        public Builder mysqlPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the MySQL port must be 0..65535");
            }
            this.mysqlPort = port;
            return this;
        }

        /** No MySQL protocol port (the default of the builder; the emulator's main opens 9030). */
        public Builder noMysql() {
            this.mysqlPort = EmulatorSettings.MYSQL_OFF;
            return this;
        }

        /** How long a MODIFY COLUMN schema change job keeps its table in state SCHEMA_CHANGE (default 500 ms). */
        public Builder modifyColumnTime(Duration time) {
            this.modifyColumnTime = time;
            return this;
        }

        /**
         * Doris: how long a group commit collects loads before committing them, the table property
         * {@code group_commit_interval_ms} (default 10 s). StarRocks takes its window from each
         * load's {@code merge_commit_interval_ms} header instead.
         */
        public Builder groupCommitInterval(Duration interval) {
            this.groupCommitInterval = interval;
            return this;
        }

        /**
         * Versions a table's tablet may hold before loads into it are refused. Default: the
         * server's, StarRocks {@code tablet_max_versions} 1000, Doris {@code max_tablet_version_num} 2000.
         */
        public Builder maxTabletVersions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTabletVersions must be at least 1, not " + n);
            }
            this.maxTabletVersions = n;
            return this;
        }

        /**
         * Versions background compaction merges away per second, over all tablets, the fullest
         * first (default {@value StreamLoadEmulator#DEFAULT_COMPACTION_VERSIONS_PER_SECOND}); 0 stops compaction.
         */
        public Builder compactionVersionsPerSecond(double rate) {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("compactionVersionsPerSecond must be a number >= 0, not " + rate);
            }
            this.compactionVersionsPerSecond = rate;
            return this;
        }

        /**
         * False: the FE answers {@code GET /api/{db}/{table}/_schema} and {@code GET /api/_get_ddl}
         * with 404, as a server without these actions does; StarRocks also refuses {@code _get_ddl}
         * to a user without the admin role. A table's model is then only told by {@code SHOW CREATE
         * TABLE} on the MySQL port. True (the default) serves both.
         */
        public Builder tableMetadataOverHttp(boolean served) {
            this.tableMetadataOverHttp = served;
            return this;
        }

        public StreamLoadEmulator start() {
            try {
                return new StreamLoadEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("emulator could not start: " + e.getMessage(), e);
            }
        }
    }
}
