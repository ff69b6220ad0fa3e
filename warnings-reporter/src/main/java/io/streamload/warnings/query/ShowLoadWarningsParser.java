package io.streamload.warnings.query;

import io.streamload.warnings.ColumnLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses SHOW LOAD WARNINGS as the Doris design writes it, keywords in any case:
 *
 * <pre>
 * SHOW LOAD WARNINGS [FROM db] [WHERE LABEL = "label" | WHERE LOAD_JOB_ID = n] [LIMIT n] [;]
 * </pre>
 *
 * Labels may be quoted with " or ' (backslash escapes the quote); db may be `quoted`. Every error
 * names what was expected and where.
 */
public final class ShowLoadWarningsParser {

    /** INVALID stands for text that is no token; it becomes an error only where the parser reaches it. */
    private enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, EQUALS, SEMICOLON, INVALID, END }

    private record Token(Kind kind, String text, int position) {
        String shown() {
            return kind == Kind.END ? "end of statement" : "'" + excerpt(text) + "'";
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    /** Characters of one token quoted in an error message. */
    static final int EXCERPT_CHARS = 40;

    private final String statement;
    private final List<Token> tokens;
    private int next;

    private ShowLoadWarningsParser(String statement) {
        this.statement = statement;
        this.tokens = tokenize(statement);
    }

    public static ShowLoadWarnings parse(String statement) throws StatementParseException {
        if (statement == null) {
            statement = "";
        }
        return new ShowLoadWarningsParser(statement).statement();
    }

    private ShowLoadWarnings statement() throws StatementParseException {
        expectKeyword("SHOW", "the statement must start with SHOW LOAD WARNINGS");
        expectKeyword("LOAD", "expected LOAD after SHOW");
        expectKeyword("WARNINGS", "expected WARNINGS after SHOW LOAD");
        String database = null;
        String label = null;
        Long jobId = null;
        int limit = ShowLoadWarnings.DEFAULT_LIMIT;

        if (peek().isKeyword("FROM")) {
            next++;
            Token name = take();
            if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED_NAME || isReserved(name)) {
                throw error(name, "expected a database name after FROM, found " + name.shown());
            }
            database = name.text();
        }
        if (peek().isKeyword("WHERE")) {
            next++;
            Token column = take();
            if (column.isKeyword("LABEL")) {
                expectEquals(column);
                Token value = take();
                if (value.kind() != Kind.STRING) {
                    throw error(value, "expected a quoted label after LABEL =, found " + value.shown());
                }
                label = value.text();
            } else if (column.isKeyword("LOAD_JOB_ID")) {
                expectEquals(column);
                Token value = take();
                if (value.kind() != Kind.NUMBER) {
                    throw error(value, "expected a job id (a number) after LOAD_JOB_ID =, found " + value.shown());
                }
                jobId = parseLong(value, "job id");
            } else {
                throw error(column, "expected LABEL or LOAD_JOB_ID after WHERE, found " + column.shown());
            }
            if (peek().isKeyword("AND") || peek().isKeyword("OR")) {
                throw error(peek(), "only one condition is allowed: LABEL = \"...\" or LOAD_JOB_ID = n");
            }
        }
        if (peek().isKeyword("LIMIT")) {
            next++;
            Token value = take();
            if (value.kind() != Kind.NUMBER) {
                throw error(value, "expected a number after LIMIT, found " + value.shown());
            }
            long parsed = parseLong(value, "limit");
            if (parsed <= 0 || parsed > Integer.MAX_VALUE) {
                throw error(value, "LIMIT must be between 1 and " + Integer.MAX_VALUE);
            }
            limit = (int) parsed;
        }
        if (peek().kind() == Kind.SEMICOLON) {
            next++;
        }
        Token end = peek();
        if (end.kind() != Kind.END) {
            throw error(end, "expected " + expectedAfter(database, label, jobId) + ", found " + end.shown());
        }
        return new ShowLoadWarnings(database, label, jobId, limit);
    }

    /** What could still come at the point where the statement went wrong, for the error message. */
    private String expectedAfter(String database, String label, Long jobId) {
        Token previous = next > 0 ? tokens.get(next - 1) : null;
        if (previous != null && previous.kind() == Kind.NUMBER && next >= 2 && tokens.get(next - 2).isKeyword("LIMIT")) {
            return "end of statement";
        }
        if (label != null || jobId != null) {
            return "LIMIT or end of statement";
        }
        if (database != null) {
            return "WHERE, LIMIT or end of statement";
        }
        return "FROM, WHERE, LIMIT or end of statement";
    }

    private static boolean isReserved(Token token) {
        return token.kind() == Kind.WORD && (token.isKeyword("WHERE") || token.isKeyword("LIMIT"));
    }

    private void expectKeyword(String keyword, String message) throws StatementParseException {
        Token token = take();
        if (!token.isKeyword(keyword)) {
            throw error(token, message + ", found " + token.shown());
        }
    }

    private void expectEquals(Token column) throws StatementParseException {
        Token token = take();
        if (token.kind() != Kind.EQUALS) {
            throw error(token, "expected '=' after " + column.text().toUpperCase(Locale.ROOT) + ", found " + token.shown());
        }
    }

    private long parseLong(Token token, String what) throws StatementParseException {
        try {
            return Long.parseLong(token.text());
        } catch (NumberFormatException e) {
            throw error(token, "the " + what + " " + excerpt(token.text()) + " is too large");
        }
    }

    /** At most {@value #EXCERPT_CHARS} characters of a token, for messages: they may be shown to anyone asking. */
    static String excerpt(String text) {
        return ColumnLimits.cut(text, EXCERPT_CHARS);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private StatementParseException error(Token token, String reason) {
        // Text that is no token at all is the more precise complaint than what was expected there.
        return new StatementParseException(statement, token.position(),
                token.kind() == Kind.INVALID ? token.text() : reason);
    }

    private static List<Token> tokenize(String text) {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int position = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '$')) {
                    i++;
                }
                result.add(new Token(Kind.WORD, text.substring(start, i), position));
            } else if (c == '-' || Character.isDigit(c)) {
                int start = i;
                i++;
                while (i < text.length() && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                String number = text.substring(start, i);
                result.add(number.equals("-") ? new Token(Kind.INVALID, "unexpected character '-'", position)
                        : new Token(Kind.NUMBER, number, position));
            } else if (c == '"' || c == '\'' || c == '`') {
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < text.length()) {
                    char d = text.charAt(i);
                    if (d == '\\' && c != '`' && i + 1 < text.length()) {
                        value.append(text.charAt(i + 1));
                        i += 2;
                    } else if (d == c) {
                        i++;
                        closed = true;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    result.add(new Token(Kind.INVALID, "unterminated " + c + "-quoted text", position));
                    break;
                }
                result.add(new Token(c == '`' ? Kind.QUOTED_NAME : Kind.STRING, value.toString(), position));
            } else if (c == '=') {
                result.add(new Token(Kind.EQUALS, "=", position));
                i++;
            } else if (c == ';') {
                result.add(new Token(Kind.SEMICOLON, ";", position));
                i++;
            } else {
                result.add(new Token(Kind.INVALID, "unexpected character '" + c + "'", position));
                i++;
            }
        }
        result.add(new Token(Kind.END, "", text.length() + 1));
        return result;
    }
}
