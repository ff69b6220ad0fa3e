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

    public static Dialect parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dialect '" + s + "': use starrocks or doris");
        }
    }
}
