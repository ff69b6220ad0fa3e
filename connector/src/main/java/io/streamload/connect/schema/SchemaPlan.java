package io.streamload.connect.schema;

import io.streamload.connect.encode.RecordEncodingException;
import io.streamload.connect.schema.SqlType.Kind;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;

/**
 * What a table needs before a record's row can load into it: the columns to add and the columns
 * to widen. A column is only ever added (nullable) or widened (a wider integer, FLOAT to DOUBLE, a
 * longer VARCHAR, a DECIMAL with more integer digits); never dropped, narrowed or turned into
 * another kind. A field no column can take without that makes the record refused.
 */
public record SchemaPlan(List<NewColumn> adds, List<Widening> widenings) {

    /** A column to add. */
    public record NewColumn(String name, SqlType type) {
    }

    /** A column whose type grows. */
    public record Widening(TableShape.Column column, SqlType to) {
    }

    public boolean isEmpty() {
        return adds.isEmpty() && widenings.isEmpty();
    }

    /**
     * @throws RecordEncodingException naming the field, its type and the column's, when a field can
     *         only be loaded by a change auto.evolve never makes
     */
    public static SchemaPlan between(String table, TableShape shape, RowSchema row) throws RecordEncodingException {
        List<NewColumn> adds = new ArrayList<>();
        List<Widening> widenings = new ArrayList<>();
        for (Field f : row.fields()) {
            SqlType want;
            try {
                want = ColumnTypes.forSchema(f.schema(), false);
            } catch (IllegalArgumentException e) {
                throw new RecordEncodingException("field '" + f.name() + "': " + e.getMessage());
            }
            TableShape.Column have = shape.column(f.name());
            if (have == null) {
                adds.add(new NewColumn(f.name(), want));
                continue;
            }
            SqlType wider = wider(have.type(), want, ColumnTypes.knowsLength(f.schema()));
            if (wider == have.type()) {
                continue;
            }
            if (wider == null || have.key()) {
                throw new RecordEncodingException("field '" + f.name() + "' is " + want.sql(false) + " but column "
                        + table + "." + have.name() + " is " + have.declared() + (have.key() ? ", a key column" : "")
                        + ": auto.evolve only adds columns and widens value columns (a wider integer, FLOAT to DOUBLE, "
                        + "a longer VARCHAR, more DECIMAL digits), never narrows or changes a column's kind; change "
                        + "the column yourself, or correct the record's producer");
            }
            widenings.add(new Widening(have, wider));
        }
        return new SchemaPlan(List.copyOf(adds), List.copyOf(widenings));
    }

    /**
     * The column's type when it takes the field as it is, the wider type it needs, or null when
     * no widening makes it fit.
     */
    static SqlType wider(SqlType have, SqlType want, boolean lengthKnown) {
        Kind h = have.kind();
        Kind w = want.kind();
        if (h == Kind.JSON || h == Kind.OTHER || h == Kind.STRING) {
            return have; // JSON takes any value; a STRING any text; unknown types are left to the target
        }
        if (have.isText()) {
            if (w == Kind.VARCHAR && lengthKnown && want.length() > have.length() && h == Kind.VARCHAR) {
                return SqlType.varchar(want.length());
            }
            return have; // every value has a text form; a value too long is refused by the target, row by row
        }
        if (have.isInteger() && want.isInteger()) {
            return SqlType.INTEGERS.indexOf(w) > SqlType.INTEGERS.indexOf(h) ? SqlType.of(w) : have;
        }
        if (have.isInteger() && w == Kind.BOOLEAN) {
            return have;
        }
        switch (h) {
            case BOOLEAN:
                return w == Kind.BOOLEAN ? have : null;
            case FLOAT:
                if (w == Kind.DOUBLE) {
                    return SqlType.of(Kind.DOUBLE);
                }
                return want.isInteger() || w == Kind.FLOAT ? have : null;
            case DOUBLE:
                return want.isInteger() || w == Kind.FLOAT || w == Kind.DOUBLE || w == Kind.DECIMAL ? have : null;
            case DECIMAL:
                if (want.isInteger()) {
                    return have;
                }
                if (w != Kind.DECIMAL || want.scale() > have.scale()) {
                    return null;
                }
                int digits = want.precision() - want.scale();
                if (digits <= have.precision() - have.scale()) {
                    return have;
                }
                return have.scale() == want.scale() && want.precision() <= 38
                        ? SqlType.decimal(want.precision(), have.scale()) : null;
            case DATE:
                return w == Kind.DATE ? have : null;
            case DATETIME:
                return w == Kind.DATETIME || w == Kind.DATE ? have : null;
            case ARRAY, MAP, STRUCT:
                return w == Kind.JSON ? have : null;
            default:
                return null;
        }
    }
}
