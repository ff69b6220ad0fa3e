package io.streamload.emulator;

import java.time.Duration;

/**
/**
 * The knobs of one emulator instance, fixed at start, except the tablet version limit and the
 * compaction rate, whose start values are here and which {@link TabletVersions} lets change.
 *
 * @param mergesLoads whether the server merges loads that ask for it (StarRocks 3.4+ merge commit,
 *     Doris 2.1+ group commit); false answers as older servers, which ignore the headers
 * @param groupCommitInterval Doris' {@code group_commit_interval_ms} table property (default 10 s)
 * @param mysqlPort the FE's MySQL protocol port (0 picks a free one), or {@link #MYSQL_OFF}
 * @param modifyColumnTime how long a MODIFY COLUMN schema change job keeps its table busy
 * @param maxTabletVersions versions a tablet may hold before loads are refused (StarRocks
 *     {@code tablet_max_versions}, default 1000; Doris {@code max_tablet_version_num}, default 2000)
 * @param compactionVersionsPerSecond versions compaction merges away per second, over all tablets
 * @param tableMetadataOverHttp whether the FE serves {@code _schema} and {@code _get_ddl}
 */
record EmulatorSettings(String user, String password, long maxBodyBytes, int maxConcurrentLoads,
                        Duration labelRetention, Duration publishDelay, boolean mergesLoads,
                        Duration groupCommitInterval, int mysqlPort, Duration modifyColumnTime,
                        int maxTabletVersions, double compactionVersionsPerSecond, boolean tableMetadataOverHttp) {
    /** {@code mysqlPort} when the FE's MySQL port is off. */
    static final int MYSQL_OFF = -1;

    boolean mysqlEnabled() {
        return mysqlPort != MYSQL_OFF;
    }
}
