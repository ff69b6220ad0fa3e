package io.streamload.emulator.load;

import io.streamload.emulator.table.Column;
import io.streamload.emulator.table.ColumnType;
import io.streamload.emulator.table.TableDefinition;
import io.streamload.emulator.table.ValueConversionException;
import io.streamload.emulator.table.ValueConverter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code where} header of a load: a condition on the table's columns, evaluated on each row
 * after the {@code columns} mapping and value conversion. A row is selected when the condition is
 * true; false or NULL (SQL's three-valued logic) leaves it unselected.
 *
 * <p>Understood: comparisons ({@code = != <> < <= > >=}) between columns and literals (numbers,
 * quoted strings, {@code NULL}, {@code TRUE}, {@code FALSE}), {@code [NOT] IN (...)},
 * {@code IS [NOT] NULL}, {@code [NOT] BETWEEN ... AND ...}, {@code AND}, {@code OR}, {@code NOT} and
 * parentheses. Anything else (functions, arithmetic, {@code LIKE}) is refused as a syntax error.
 */
public final class WherePredicate {
    private final Node root;
    private final HeaderRules rules;

    private WherePredicate(Node root, HeaderRules rules) {
        this.root = root;
        this.rules = rules;
    }

    /** Parses the header; a text it cannot parse is refused in the words of {@code rules}. */
    public static WherePredicate parse(String where, HeaderRules rules) throws LoadFailure {
        return new WherePredicate(new Parser(where, rules).parse(), rules);
    }

    /** Resolves the column names against the table, where StarRocks and Doris look for them too. */
    public Bound bind(TableDefinition table) throws LoadFailure {
        List<ColumnRef> refs = new ArrayList<>();
        root.collect(refs);
        for (ColumnRef ref : refs) {
            Column c = table.column(ref.name);
            if (c == null) {
                throw rules.whereUnknownColumn(ref.name);
            }
            ref.index = table.columns().indexOf(c);
            ref.column = c;
        }
        return new Bound();
    }

    /** The predicate resolved against one table. */
    public final class Bound {
        private Bound() {
        }

        /** Whether a row (values in table column order, null for NULL) is selected. */
        public boolean selects(Object[] values) {
            return Boolean.TRUE.equals(root.eval(values));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Expression tree. eval returns TRUE, FALSE or null (NULL).

    private interface Node {
        Boolean eval(Object[] row);

        void collect(List<ColumnRef> refs);
    }

    /** A column or a literal: something with a value. */
    private interface Operand {
        /** The value for this row: a stored column value or a literal, null for NULL. */
        Object value(Object[] row);

        /** The column whose type a literal compared with this operand is read as, or null. */
        Column column();

        void collect(List<ColumnRef> refs);
    }

    private static final class ColumnRef implements Operand {
        final String name;
        int index;
        Column column;

        ColumnRef(String name) {
            this.name = name;
        }

        @Override
        public Object value(Object[] row) {
            return row[index];
        }

        @Override
        public Column column() {
            return column;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            refs.add(this);
        }
    }

    /** A literal: a BigDecimal, a String, a Boolean, or null for NULL. */
    private record Literal(Object literal) implements Operand {
        @Override
        public Object value(Object[] row) {
            return literal;
        }

        @Override
        public Column column() {
            return null;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
        }
    }

    private record And(Node left, Node right) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            Boolean l = left.eval(row);
            if (Boolean.FALSE.equals(l)) {
                return false;
            }
            Boolean r = right.eval(row);
            if (Boolean.FALSE.equals(r)) {
                return false;
            }
            return l == null || r == null ? null : true;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            left.collect(refs);
            right.collect(refs);
        }
    }

    private record Or(Node left, Node right) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            Boolean l = left.eval(row);
            if (Boolean.TRUE.equals(l)) {
                return true;
            }
            Boolean r = right.eval(row);
            if (Boolean.TRUE.equals(r)) {
                return true;
            }
            return l == null || r == null ? null : false;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            left.collect(refs);
            right.collect(refs);
        }
    }

    private record Not(Node inner) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            Boolean v = inner.eval(row);
            return v == null ? null : !v;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            inner.collect(refs);
        }
    }

    private enum Op { EQ, NE, LT, LE, GT, GE }

    private record Compare(Op op, Operand left, Operand right) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            Integer c = compare(left, right, row);
            if (c == null) {
                return null;
            }
            return switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            left.collect(refs);
            right.collect(refs);
        }
    }

    private record In(Operand value, List<Operand> list, boolean negated) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            boolean unknown = false;
            for (Operand candidate : list) {
                Integer c = compare(value, candidate, row);
                if (c == null) {
                    unknown = true;
                } else if (c == 0) {
                    return !negated;
                }
            }
            return unknown ? null : negated;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            value.collect(refs);
            list.forEach(o -> o.collect(refs));
        }
    }

    private record IsNull(Operand value, boolean negated) implements Node {
        @Override
        public Boolean eval(Object[] row) {
            return (value.value(row) == null) != negated;
        }

        @Override
        public void collect(List<ColumnRef> refs) {
            value.collect(refs);
        }
    }

    /**
     * Compares two operands as SQL does once it has cast them to a common type: a literal takes the
     * type of the column it meets (a value it does not convert to is NULL), numbers compare as
     * numbers, everything else as text. Null when either side is NULL.
     */
    private static Integer compare(Operand a, Operand b, Object[] row) {
        Object x = a.value(row);
        Object y = b.value(row);
        if (x == null || y == null) {
            return null;
        }
        Column typeOf = a.column() != null ? a.column() : b.column();
        if (typeOf != null) {
            x = a.column() == null ? castLiteral(x, typeOf) : x;
            y = b.column() == null ? castLiteral(y, typeOf) : y;
            if (x == null || y == null) {
                return null;
            }
        }
        BigDecimal nx = number(x);
        BigDecimal ny = number(y);
        if (nx != null && ny != null) {
            return nx.compareTo(ny);
        }
        return text(x).compareTo(text(y));
    }

    /** A literal read as a value of {@code column}'s type, null when it is not one. */
    private static Object castLiteral(Object literal, Column column) {
        ColumnType.Kind kind = column.type().kind();
        switch (kind) {
            case TINYINT, SMALLINT, INT, BIGINT, LARGEINT, FLOAT, DOUBLE, DECIMAL, BOOLEAN:
                return number(literal instanceof String s ? parseNumber(s.trim()) : literal);
            case DATE, DATETIME:
                try {
                    return ValueConverter.fromText(column, text(literal));
                } catch (ValueConversionException e) {
                    return null;
                }
            default:
                return text(literal);
        }
    }

    private static BigDecimal number(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return null;
    }

    private static BigDecimal parseNumber(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(v);
    }

    // ---------------------------------------------------------------------------------------------
    // Parser: recursive descent over the tokens, OR below AND below NOT below predicates.

    /** QUOTED_NAME: a name in backquotes, always a column, even {@code `null`} or {@code `and`}. */
    private enum Kind { NAME, QUOTED_NAME, NUMBER, STRING, SYMBOL, END }

    private record Token(Kind kind, String text, int at) {
        boolean is(String keywordOrSymbol) {
            return (kind == Kind.NAME || kind == Kind.SYMBOL) && text.equalsIgnoreCase(keywordOrSymbol);
        }

        String shown() {
            return kind == Kind.END ? "<EOF>" : text;
        }
    }

    /** Thrown inside the parser; turned into the dialect's failure at the top. */
    private static final class SyntaxError extends Exception {
        final int at;
        final String found;
        final String expected;

        SyntaxError(int at, String found, String expected) {
            super(null, null, false, false);
            this.at = at;
            this.found = found;
            this.expected = expected;
        }
    }

    private static final String OPERAND = "a legal identifier";

    private static final class Parser {
        private final String text;
        private final HeaderRules rules;
        private final List<Token> tokens = new ArrayList<>();
        private int next;

        Parser(String text, HeaderRules rules) {
            this.text = text;
            this.rules = rules;
        }

        Node parse() throws LoadFailure {
            try {
                tokenize();
                Node n = or();
                Token t = peek();
                if (t.kind != Kind.END) {
                    throw new SyntaxError(t.at, t.shown(), "<EOF>");
                }
                return n;
            } catch (SyntaxError e) {
                throw rules.whereSyntaxError(text, e.at, e.found, e.expected);
            }
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            return tokens.get(next++);
        }

        private boolean accept(String keywordOrSymbol) {
            if (peek().is(keywordOrSymbol)) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(String symbol) throws SyntaxError {
            Token t = peek();
            if (!accept(symbol)) {
                throw new SyntaxError(t.at, t.shown(), "'" + symbol + "'");
            }
        }

        private Node or() throws SyntaxError {
            Node n = and();
            while (accept("OR")) {
                n = new Or(n, and());
            }
            return n;
        }

        private Node and() throws SyntaxError {
            Node n = not();
            while (accept("AND")) {
                n = new And(n, not());
            }
            return n;
        }

        private Node not() throws SyntaxError {
            if (accept("NOT")) {
                return new Not(not());
            }
            return predicate();
        }

        private Node predicate() throws SyntaxError {
            if (accept("(")) {
                Node n = or();
                expect(")");
                return n;
            }
            Operand left = operand();
            Token t = peek();
            Op op = comparison(t);
            if (op != null) {
                next++;
                return new Compare(op, left, operand());
            }
            if (accept("IS")) {
                boolean negated = accept("NOT");
                Token n = peek();
                if (!accept("NULL")) {
                    throw new SyntaxError(n.at, n.shown(), negated ? "'NULL'" : "'NOT', 'NULL'");
                }
                return new IsNull(left, negated);
            }
            boolean negated = accept("NOT");
            if (accept("IN")) {
                expect("(");
                List<Operand> list = new ArrayList<>();
                do {
                    list.add(operand());
                } while (accept(","));
                expect(")");
                return new In(left, list, negated);
            }
            if (accept("BETWEEN")) {
                Operand low = operand();
                expect("AND");
                Operand high = operand();
                Node between = new And(new Compare(Op.GE, left, low), new Compare(Op.LE, left, high));
                return negated ? new Not(between) : between;
            }
            Token n = peek();
            throw new SyntaxError(n.at, n.shown(), negated ? "'IN', 'BETWEEN'"
                    : "'=', '<>', '!=', '<', '<=', '>', '>=', 'IN', 'IS', 'BETWEEN'");
        }

        private static Op comparison(Token t) {
            if (t.kind != Kind.SYMBOL) {
                return null;
            }
            return switch (t.text) {
                case "=", "==" -> Op.EQ;
                case "!=", "<>" -> Op.NE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> null;
            };
        }

        private Operand operand() throws SyntaxError {
            Token t = peek();
            switch (t.kind) {
                case NUMBER:
                    next++;
                    return new Literal(new BigDecimal(t.text));
                case STRING:
                    next++;
                    return new Literal(t.text);
                case SYMBOL:
                    if ((t.text.equals("-") || t.text.equals("+")) && tokens.get(next + 1).kind == Kind.NUMBER) {
                        next++;
                        BigDecimal v = new BigDecimal(take().text);
                        return new Literal(t.text.equals("-") ? v.negate() : v);
                    }
                    break;
                case QUOTED_NAME:
                    next++;
                    return new ColumnRef(t.text);
                case NAME:
                    if (t.is("NULL")) {
                        next++;
                        return new Literal(null);
                    }
                    if (t.is("TRUE") || t.is("FALSE")) {
                        next++;
                        return new Literal(t.is("TRUE"));
                    }
                    if (!isReserved(t.text)) {
                        next++;
                        if (peek().is("(")) {
                            throw new SyntaxError(peek().at, "(", "<EOF>"); // a function call: not emulated
                        }
                        return new ColumnRef(t.text);
                    }
                    break;
                default:
                    break;
            }
            throw new SyntaxError(t.at, t.shown(), OPERAND);
        }

        private static boolean isReserved(String word) {
            return switch (word.toUpperCase(Locale.ROOT)) {
                case "AND", "OR", "NOT", "IN", "IS", "BETWEEN", "LIKE" -> true;
                default -> false;
            };
        }

        // ------------------------------------------------------------------------------ tokens

        private void tokenize() throws SyntaxError {
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                        i++;
                    }
                    tokens.add(new Token(Kind.NAME, text.substring(start, i), start));
                } else if (c == '`') {
                    int start = i;
                    StringBuilder name = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new SyntaxError(start, text.substring(start), OPERAND);
                        }
                        if (text.charAt(i) == '`') {
                            if (i + 1 < n && text.charAt(i + 1) == '`') {
                                name.append('`');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        name.append(text.charAt(i++));
                    }
                    tokens.add(new Token(Kind.QUOTED_NAME, name.toString(), start));
                } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(text.charAt(i + 1))) {
                    int start = i;
                    while (i < n && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                    if (i < n && text.charAt(i) == '.') {
                        i++;
                        while (i < n && Character.isDigit(text.charAt(i))) {
                            i++;
                        }
                    }
                    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
                        int mark = i++;
                        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                            i++;
                        }
                        if (i < n && Character.isDigit(text.charAt(i))) {
                            while (i < n && Character.isDigit(text.charAt(i))) {
                                i++;
                            }
                        } else {
                            i = mark;
                        }
                    }
                    tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start));
                } else if (c == '\'' || c == '"') {
                    int start = i;
                    StringBuilder s = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new SyntaxError(start, text.substring(start), OPERAND);
                        }
                        char d = text.charAt(i);
                        if (d == '\\' && i + 1 < n) {
                            char e = text.charAt(i + 1);
                            s.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case '0' -> '\0';
                                default -> e;
                            });
                            i += 2;
                        } else if (d == c) {
                            if (i + 1 < n && text.charAt(i + 1) == c) {
                                s.append(c);
                                i += 2;
                            } else {
                                i++;
                                break;
                            }
                        } else {
                            s.append(d);
                            i++;
                        }
                    }
                    tokens.add(new Token(Kind.STRING, s.toString(), start));
                } else {
                    int start = i;
                    String two = i + 1 < n ? text.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=") || two.equals("==")) {
                        i += 2;
                    } else if ("=<>(),-+".indexOf(c) >= 0) {
                        i++;
                    } else {
                        throw new SyntaxError(start, String.valueOf(c), OPERAND);
                    }
                    tokens.add(new Token(Kind.SYMBOL, text.substring(start, i), start));
                }
            }
            tokens.add(new Token(Kind.END, "", n));
        }
    }
}
