package io.streamload.emulator.mysql;

import io.streamload.emulator.table.ColumnType;
import io.streamload.emulator.table.ColumnType.Kind;
import java.util.List;

/**
 * The type changes MODIFY COLUMN allows here: to a wider integer (TINYINT → SMALLINT → INT →
 * BIGINT → LARGEINT), FLOAT → DOUBLE, a longer VARCHAR (never shorter), and a DECIMAL with more
 * integer digits and the same scale. Both servers allow these without rewriting values (StarRocks
 * "ALTER TABLE" docs, "Modify column type"; Doris "Schema Change" docs, type conversion table);
 * anything else is refused, as narrowing is on the servers.
 */
final class TypeWidening {
    private static final List<Kind> INTEGERS = List.of(Kind.TINYINT, Kind.SMALLINT, Kind.INT, Kind.BIGINT, Kind.LARGEINT);

    private TypeWidening() {
    }

    static boolean allowed(ColumnType from, ColumnType to) {
        if (from.declared().equals(to.declared())) {
            return true;
        }
        int a = INTEGERS.indexOf(from.kind());
        int b = INTEGERS.indexOf(to.kind());
        if (a >= 0 && b >= 0) {
            return b >= a;
        }
        if (from.kind() == Kind.FLOAT && to.kind() == Kind.DOUBLE) {
            return true;
        }
        if (from.kind() == Kind.VARCHAR && to.kind() == Kind.VARCHAR) {
            return to.length() >= from.length();
        }
        if (from.kind() == Kind.DECIMAL && to.kind() == Kind.DECIMAL) {
            return to.scale() == from.scale() && to.precision() >= from.precision();
        }
        return false;
    }
}
