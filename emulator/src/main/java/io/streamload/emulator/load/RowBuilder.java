package io.streamload.emulator.load;

import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.TableModel;
import io.streamload.emulator.table.ValueConversionException;
import io.streamload.emulator.table.ValueConverter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks one source row against the table as StarRocks does. Non-strict mode: a value that fails
 * conversion becomes NULL. Strict mode: it filters the row. Then the {@code where} header may leave
 * the row out (unselected). Either way a NULL in a NOT NULL column of a selected row filters it.
 * Deletes only need their key columns.
 */
final class RowBuilder {
    private final TableDefinition table;
    private final ColumnMapping mapping;
    private final LoadOptions options;
    private final String deleteField;
    private final String deleteValue;
    /** The where header bound to the table, or null. */
    private final WherePredicate.Bound where;

    RowBuilder(TableDefinition table, ColumnMapping mapping, LoadOptions options) throws LoadFailure {
        this.table = table;
        this.mapping = mapping;
        this.options = options;
        this.where = options.where == null ? null : options.where.bind(table);
        boolean deletes = mapping.mapsOp() || mapping.mapsDorisDeleteSign() || options.mergeType != LoadOptions.MergeType.APPEND;
        if (deletes && table.model() != TableModel.PRIMARY_KEY) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Table '" + table.table()
                    + "' is not a primary key table: upserts and deletes (__op, delete sign, merge_type) need one");
        }
        if (options.partialUpdate && table.model() != TableModel.PRIMARY_KEY) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Only primary key table support partial update");
        }
        if (options.mergeType == LoadOptions.MergeType.MERGE) {
            String[] cond = options.deleteCondition.split("=", 2);
            if (cond.length != 2) {
                throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Unsupported delete condition '" + options.deleteCondition
                        + "': use column=value");
            }
            deleteField = cond[0].trim().toLowerCase(Locale.ROOT);
            deleteValue = cond[1].trim().replaceAll("^['\"]|['\"]$", "");
        } else {
            deleteField = null;
            deleteValue = null;
        }
    }

    /** Adds the row to the batch, accepted or rejected with its reason. */
    void build(SourceRow src, ParsedBatch batch) {
        boolean delete;
        try {
            delete = isDelete(src);
        } catch (ValueConversionException e) {
            batch.rejections.add(new ParsedBatch.Rejection(e.getMessage(), src.render()));
            return;
        }
        List<Column> columns = table.columns();
        Object[] values = new Object[columns.size()];
        boolean[] present = new boolean[columns.size()];
        boolean[] checked = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (delete && !table.keys().stream().anyMatch(k -> k.equalsIgnoreCase(c.name()))) {
                continue;
            }
            checked[i] = true;
            String literal = mapping.literalOf(c.name());
            String field = mapping.sourceOf(c.name());
            Object v = null;
            if (literal != null) {
                present[i] = true;
                try {
                    v = ValueConverter.fromText(c, literal);
                } catch (ValueConversionException e) {
                    batch.rejections.add(new ParsedBatch.Rejection(e.getMessage(), src.render()));
                    return;
                }
            } else if (field != null) {
                present[i] = true;
                if (!src.isNull(field)) {
                    try {
                        v = src.convert(field, c);
                    } catch (ValueConversionException e) {
                        if (options.strictMode) {
                            batch.rejections.add(new ParsedBatch.Rejection(e.getMessage(), src.render()));
                            return;
                        }
                        v = null; // non-strict: an unconvertible value becomes NULL
                    }
                }
            }
            values[i] = v;
        }
        // The scan converts the values (strict mode filters there), then the where selects among the
        // rows, and only the table sink checks NOT NULL: a row the where leaves out is not filtered.
        if (where != null && !where.selects(values)) {
            batch.unselected++;
            return;
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            boolean mustHave = present[i] || !options.partialUpdate;
            if (checked[i] && values[i] == null && !c.nullable() && mustHave) {
                batch.rejections.add(new ParsedBatch.Rejection(
                        "NULL value in non-nullable column '" + c.name() + "'", src.render()));
                return;
            }
        }
        if (!options.partialUpdate) {
            // Without partial_update an upsert replaces the whole row: columns the load does not
            // name become NULL (their default) instead of keeping the old row's values.
            Arrays.fill(present, true);
        }
        batch.rows.add(new Row(values, present, delete));
    }

    private boolean isDelete(SourceRow src) throws ValueConversionException {
        switch (options.mergeType) {
            case DELETE:
                return true;
            case MERGE:
                return deleteValue.equals(src.text(deleteField));
            default:
                break;
        }
        String op = opValue(src, ColumnMapping.OP);
        if (op == null) {
            op = opValue(src, ColumnMapping.DORIS_DELETE_SIGN);
        }
        if (op == null) {
            return false;
        }
        switch (op.trim().toLowerCase(Locale.ROOT)) {
            case "0", "upsert", "false":
                return false;
            case "1", "delete", "true":
                return true;
            default:
                throw new ValueConversionException("Value '" + op + "' is out of range. The type of '__op' is TINYINT"
                        + " (0 = upsert, 1 = delete)");
        }
    }

    private String opValue(SourceRow src, String target) {
        String literal = mapping.literalOf(target);
        if (literal != null) {
            return literal;
        }
        String field = mapping.sourceOf(target);
        if (field == null || src.isNull(field)) {
            return null;
        }
        return src.text(field);
    }
}
