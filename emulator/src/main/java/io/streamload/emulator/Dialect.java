package io.streamload.emulator;

import io.streamload.emulator.dialect.DorisDialect;
import io.streamload.emulator.dialect.ServerDialect;
import io.streamload.emulator.dialect.StarRocksDialect;
import java.util.Locale;

/** Which target the emulator speaks as. */
public enum Dialect {
    STARROCKS, DORIS;

    ServerDialect server() {
        return this == STARROCKS ? new StarRocksDialect() : new DorisDialect();
    }

    /**
     * Versions a tablet may hold before loads are refused, as the server ships: StarRocks BE
     * {@code tablet_max_versions} 1000 ({@code be/src/common/config.h}), Doris BE
     * {@code max_tablet_version_num} 2000 ({@code be/src/common/config.cpp}).
     */
    int defaultMaxTabletVersions() {
        return this == STARROCKS ? 1000 : 2000;
    }

    public static Dialect parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dialect '" + s + "': use starrocks or doris");
        }
    }
}
