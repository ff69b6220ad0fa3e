package io.streamload.emulator.load;

import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where each source field goes, from the {@code columns} header (or the table's own columns when it
 * is absent). Supports plain names, {@code __op}, Doris' {@code __DORIS_DELETE_SIGN__}, and the two
 * expression forms loaders use: {@code target=source} and {@code target=literal} (e.g.
 * {@code __op='delete'}). Other expressions are not evaluated.
 */
public final class ColumnMapping {
    public static final String OP = "__op";
    public static final String DORIS_DELETE_SIGN = "__DORIS_DELETE_SIGN__";

    /** Names of the source fields, in source order (CSV field order, JSON keys or jsonpaths order). */
    public final List<String> sourceFields = new ArrayList<>();
    /** target column (lower case) -> source field name (lower case) */
    private final Map<String, String> fromSource = new HashMap<>();
    /** target column (lower case) -> literal text */
    private final Map<String, String> literals = new HashMap<>();

    public ColumnMapping(TableDefinition table, LoadOptions options) throws LoadFailure {
        this(table, options, false);
    }

    /**
     * @param jsonOpField whether a JSON load into a primary key table reads each object's
     *        {@code __op} when {@code columns} does not name it (StarRocks does)
     */
    public ColumnMapping(TableDefinition table, LoadOptions options, boolean jsonOpField) throws LoadFailure {
        List<String> entries = new ArrayList<>();
        if (options.columns != null) {
            entries.addAll(options.columns);
        } else {
            table.columns().forEach(c -> entries.add(c.name()));
        }
        boolean namesOp = entries.stream().anyMatch(e -> e.split("=", 2)[0].trim().equalsIgnoreCase(OP));
        if (jsonOpField && !namesOp && options.format == LoadOptions.Format.JSON
                && table.model() == io.streamload.emulator.table.TableModel.PRIMARY_KEY) {
            entries.add(OP);
        }
        for (String hidden : options.hiddenColumns) {
            if (entries.stream().noneMatch(e -> e.equalsIgnoreCase(hidden))) {
                entries.add(hidden);
            }
        }
        Set<String> referenced = new HashSet<>();
        List<String[]> expressions = new ArrayList<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                sourceFields.add(e.trim());
            } else {
                expressions.add(new String[] {e.substring(0, eq).trim(), e.substring(eq + 1).trim()});
            }
        }
        for (String[] ex : expressions) {
            String target = ex[0].toLowerCase(Locale.ROOT);
            checkTarget(table, ex[0]);
            String expr = ex[1];
            if (isLiteral(expr)) {
                literals.put(target, stripQuotes(expr));
            } else {
                String src = sourceFields.stream().filter(s -> s.equalsIgnoreCase(expr)).findFirst().orElse(null);
                if (src == null) {
                    throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Unsupported column expression '" + ex[0] + "=" + expr
                            + "': only a source column name or a literal is understood by this server");
                }
                fromSource.put(target, src.toLowerCase(Locale.ROOT));
                referenced.add(src.toLowerCase(Locale.ROOT));
            }
        }
        for (String s : sourceFields) {
            String l = s.toLowerCase(Locale.ROOT);
            if (isTarget(table, s)) {
                fromSource.putIfAbsent(l, l);
            } else if (!referenced.contains(l)) {
                throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Unknown column '" + s + "' in '" + table.table() + "'");
            }
        }
    }

    private static boolean isTarget(TableDefinition table, String name) {
        return table.column(name) != null || name.equalsIgnoreCase(OP) || name.equalsIgnoreCase(DORIS_DELETE_SIGN);
    }

    private static void checkTarget(TableDefinition table, String name) throws LoadFailure {
        if (!isTarget(table, name)) {
            throw new LoadFailure(ErrorCode.INVALID_ARGUMENT, "Unknown column '" + name + "' in '" + table.table() + "'");
        }
    }

    private static boolean isLiteral(String expr) {
        return expr.startsWith("'") || expr.startsWith("\"") || expr.matches("-?\\d+(\\.\\d+)?");
    }

    private static String stripQuotes(String expr) {
        if (expr.length() >= 2 && (expr.startsWith("'") && expr.endsWith("'") || expr.startsWith("\"") && expr.endsWith("\""))) {
            return expr.substring(1, expr.length() - 1);
        }
        return expr;
    }

    /** The source field feeding a target column, or null. */
    public String sourceOf(String target) {
        return fromSource.get(target.toLowerCase(Locale.ROOT));
    }

    /** A literal assigned to a target column, or null. */
    public String literalOf(String target) {
        return literals.get(target.toLowerCase(Locale.ROOT));
    }

    public boolean maps(Column column) {
        return sourceOf(column.name()) != null || literalOf(column.name()) != null;
    }

    public boolean mapsOp() {
        return sourceOf(OP) != null || literalOf(OP) != null;
    }

    public boolean mapsDorisDeleteSign() {
        return sourceOf(DORIS_DELETE_SIGN) != null || literalOf(DORIS_DELETE_SIGN) != null;
    }
}
