package io.streamload.warnings;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the writer and the cleaner need, with defaults that suit a connector task.
 *
 * <p>Built with {@link #builder(WarningsStoreUrl)}; the URL's own password, if any, is used
 * unless {@link Builder#password} supplies one (from an environment variable or a file).
 */
public final class WarningsStoreConfig {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_DELETE_BATCH_SIZE = 100;

    private final WarningsStoreUrl url;
    private final StoreLocation location;
    private final boolean createMissingTables;
    private final int queueCapacity;
    private final int maxBatchSize;
    private final Duration flushInterval;
    private final Duration dropWarningInterval;
    private final Duration reconnectBackoff;
    private final Duration maxReconnectBackoff;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final Duration closeTimeout;
    private final Duration retention;
    private final int deleteBatchSize;

    private WarningsStoreConfig(Builder b) {
        this.url = b.password == null ? b.url : b.url.withPassword(b.password);
        this.location = StoreLocation.resolve(b.url, b.clusterId);
        this.createMissingTables = b.createMissingTables;
        this.queueCapacity = positive(b.queueCapacity, "queueCapacity");
        this.maxBatchSize = positive(b.maxBatchSize, "maxBatchSize");
        this.flushInterval = b.flushInterval;
        this.dropWarningInterval = b.dropWarningInterval;
        this.reconnectBackoff = b.reconnectBackoff;
        this.maxReconnectBackoff = b.maxReconnectBackoff;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
        this.closeTimeout = b.closeTimeout;
        this.retention = b.retention;
        this.deleteBatchSize = positive(b.deleteBatchSize, "deleteBatchSize");
    }

    private static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    public static Builder builder(WarningsStoreUrl url) {
        return new Builder(url);
    }

    public WarningsStoreUrl url() {
        return url;
    }

    public StoreLocation location() {
        return location;
    }

    public boolean createMissingTables() {
        return createMissingTables;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public Duration dropWarningInterval() {
        return dropWarningInterval;
    }

    public Duration reconnectBackoff() {
        return reconnectBackoff;
    }

    public Duration maxReconnectBackoff() {
        return maxReconnectBackoff;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public Duration retention() {
        return retention;
    }

    public int deleteBatchSize() {
        return deleteBatchSize;
    }

    @Override
    public String toString() {
        return "WarningsStoreConfig{url=" + url + ", location=" + location + ", createMissingTables=" + createMissingTables
                + ", queueCapacity=" + queueCapacity + ", retention=" + retention + "}";
    }

    /** Defaults: queue 10,000 entries, batches of 500, flush every 200 ms, one drop WARN a minute. */
    public static final class Builder {
        private final WarningsStoreUrl url;
        private String password;
        private String clusterId;
        private boolean createMissingTables = true;
        private int queueCapacity = 10_000;
        private int maxBatchSize = 500;
        private Duration flushInterval = Duration.ofMillis(200);
        private Duration dropWarningInterval = Duration.ofMinutes(1);
        private Duration reconnectBackoff = Duration.ofSeconds(1);
        private Duration maxReconnectBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration socketTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration retention = DEFAULT_RETENTION;
        private int deleteBatchSize = DEFAULT_DELETE_BATCH_SIZE;

        private Builder(WarningsStoreUrl url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /** A password that overrides the URL's, e.g. from {@link Passwords#fromFile}. */
        public Builder password(String value) {
            this.password = value;
            return this;
        }

        /** Names the database when the URL has none (sanitised by {@link Identifiers#databaseForCluster}). */
        public Builder clusterId(String value) {
            this.clusterId = value;
            return this;
        }

        /** Whether the writer creates the database and tables when they are missing (default true). */
        public Builder createMissingTables(boolean value) {
            this.createMissingTables = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            this.queueCapacity = value;
            return this;
        }

        public Builder maxBatchSize(int value) {
            this.maxBatchSize = value;
            return this;
        }

        public Builder flushInterval(Duration value) {
            this.flushInterval = Objects.requireNonNull(value);
            return this;
        }

        public Builder dropWarningInterval(Duration value) {
            this.dropWarningInterval = Objects.requireNonNull(value);
            return this;
        }

        /** First wait after a failed connection; doubles up to {@link #maxReconnectBackoff}. */
        public Builder reconnectBackoff(Duration value) {
            this.reconnectBackoff = Objects.requireNonNull(value);
            return this;
        }

        public Builder maxReconnectBackoff(Duration value) {
            this.maxReconnectBackoff = Objects.requireNonNull(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder socketTimeout(Duration value) {
            this.socketTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** How long {@code close()} keeps writing what is queued before dropping the rest. */
        public Builder closeTimeout(Duration value) {
            this.closeTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** Rows older than this are deleted by the cleaner (default 7 days). */
        public Builder retention(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("retention must be positive, got " + value);
            }
            this.retention = value;
            return this;
        }

        /** Rows per DELETE statement of the cleaner (default 100). */
        public Builder deleteBatchSize(int value) {
            this.deleteBatchSize = value;
            return this;
        }

        public WarningsStoreConfig build() {
            return new WarningsStoreConfig(this);
        }
    }
}
