package io.streamload.emulator.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one statement: words, `quoted` names, 'string' or "string" literals, numbers and
 * single-character symbols. Enough for the DDL and session statements the emulator runs.
 */
final class SqlTokens {
    enum Kind { WORD, NAME, STRING, NUMBER, SYMBOL, END }

    record Token(Kind kind, String text) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }

        /** A word or a `quoted` name, as a name. */
        boolean isName() {
            return kind == Kind.WORD || kind == Kind.NAME;
        }
    }

    private final List<Token> tokens;
    private int pos;

    private SqlTokens(List<Token> tokens) {
        this.tokens = tokens;
    }

    static SqlTokens of(String sql) throws SqlError {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '`') {
                int end = sql.indexOf('`', i + 1);
                if (end < 0) {
                    throw SqlEngine.syntax("unclosed ` in: " + sql);
                }
                out.add(new Token(Kind.NAME, sql.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '\'' || c == '"') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw SqlEngine.syntax("unclosed string literal in: " + sql);
                    }
                    char d = sql.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        s.append(sql.charAt(j + 1));
                        j += 2;
                    } else if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            s.append(c);
                            j += 2;
                        } else {
                            break;
                        }
                    } else {
                        s.append(d);
                        j++;
                    }
                }
                out.add(new Token(Kind.STRING, s.toString()));
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i + 1;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == '@' || c == '$') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || "_@$".indexOf(sql.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j)));
                i = j;
            } else {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
        return new SqlTokens(out);
    }

    Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : new Token(Kind.END, "");
    }

    Token peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : new Token(Kind.END, "");
    }

    Token next() {
        Token t = peek();
        pos++;
        return t;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    /** Takes the word if it comes next. */
    boolean accept(String word) {
        if (peek().is(word)) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(String word) throws SqlError {
        Token t = next();
        if (!t.is(word)) {
            throw SqlEngine.syntax("expected " + word.toUpperCase(Locale.ROOT) + " but found '" + t.text() + "'");
        }
    }

    String name() throws SqlError {
        Token t = next();
        if (!t.isName()) {
            throw SqlEngine.syntax("expected a name but found '" + t.text() + "'");
        }
        return t.text();
    }

    String string() throws SqlError {
        Token t = next();
        if (t.kind() != Kind.STRING) {
            throw SqlEngine.syntax("expected a quoted string but found '" + t.text() + "'");
        }
        return t.text();
    }
}
