package io.streamload.warnings;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Where the warnings store lives: {@code mysql://user:password@host:port[/database[/table]][?jdbcOption=value&...]}.
 *
 * <p>The format is the one of Doris' {@code LOAD_ERROR_URL}. The database defaults to the cluster id
 * and the table to {@code load_errors} (see {@link StoreLocation}). User and password may be
 * percent-encoded when they contain {@code @ : /}. The password may be left out here and supplied
 * separately ({@link #withPassword}), for example from an environment variable or a file, so that
 * it never appears in a config that is logged or shown.
 *
 * <p>The query options are limited to those {@link ConnectionOptions} allows (TLS, timeouts,
 * encoding): anyone who can configure a connector writes this URL, and the driver runs in the
 * worker.
 *
 * <p>{@link #toString()} masks the password and key store passwords: this object is safe to log.
 */
public final class WarningsStoreUrl {
    public static final int DEFAULT_PORT = 3306;
    private static final String SCHEME = "mysql://";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern OPTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final String database;
    private final String table;
    private final Map<String, String> jdbcOptions;

    private WarningsStoreUrl(String user, String password, String host, int port, String database, String table,
                             Map<String, String> jdbcOptions) {
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.database = database;
        this.table = table;
        this.jdbcOptions = Collections.unmodifiableMap(new LinkedHashMap<>(jdbcOptions));
    }

    /**
     * Parses the URL. Errors name the problem and show the URL with its password masked.
     *
     * @throws IllegalArgumentException when the URL is not of the documented form
     */
    public static WarningsStoreUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("warnings store URL is empty; expected mysql://user:password@host:port[/database[/table]]");
        }
        String text = url.trim();
        if (!text.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw invalid(text, "it must start with " + SCHEME);
        }
        String rest = text.substring(SCHEME.length());
        String query = null;
        int questionMark = rest.lastIndexOf('?');
        int lastAt = rest.lastIndexOf('@');
        if (questionMark > lastAt) {
            query = rest.substring(questionMark + 1);
            rest = rest.substring(0, questionMark);
            lastAt = rest.lastIndexOf('@');
        }
        if (lastAt < 0) {
            throw invalid(text, "the user is missing (user[:password]@host)");
        }
        String userInfo = rest.substring(0, lastAt);
        String location = rest.substring(lastAt + 1);

        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        if (user.isEmpty()) {
            throw invalid(text, "the user is empty");
        }

        String[] pathParts = location.split("/", -1);
        if (pathParts.length > 3 || (pathParts.length == 3 && pathParts[2].isEmpty() && pathParts[1].isEmpty())) {
            throw invalid(text, "the path may only be /database or /database/table");
        }
        String hostPort = pathParts[0];
        String host = hostPort;
        int port = DEFAULT_PORT;
        int portColon = hostPort.lastIndexOf(':');
        if (portColon > hostPort.lastIndexOf(']')) {
            host = hostPort.substring(0, portColon);
            String portText = hostPort.substring(portColon + 1);
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw invalid(text, "the port '" + portText + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw invalid(text, "the port " + port + " is outside 1..65535");
            }
        }
        if (!HOST.matcher(host).matches()) {
            throw invalid(text, "the host '" + host + "' is not a host name or address");
        }
        String database = pathParts.length > 1 && !pathParts[1].isEmpty() ? pathParts[1] : null;
        String table = pathParts.length > 2 && !pathParts[2].isEmpty() ? pathParts[2] : null;
        try {
            if (database != null) {
                Identifiers.requireValid(database, "database");
            }
            if (table != null) {
                Identifiers.requireValid(table, "table");
            }
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
        return new WarningsStoreUrl(user, password, host, port, database, table, parseOptions(text, query));
    }

    private static Map<String, String> parseOptions(String url, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
            if (!OPTION_NAME.matcher(name).matches()) {
                throw invalid(url, "the JDBC option name '" + name + "' is not a plain word");
            }
            if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
                throw invalid(url, "user and password belong before the '@', not in the options");
            }
            String canonical;
            try {
                canonical = ConnectionOptions.check(name, value);
            } catch (IllegalArgumentException e) {
                throw invalidOption(url, e.getMessage());
            }
            if (options.containsKey(canonical)) {
                throw invalidOption(url, "the connection option " + canonical + " is given twice");
            }
            options.put(canonical, value);
        }
        return options;
    }

    private static String decode(String text) {
        // Percent-decoding only: a '+' in a password is a plus, not a space.
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalidOption(String url, String why) {
        return new IllegalArgumentException("invalid warnings store URL '" + mask(url) + "': " + why);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("invalid warnings store URL '" + mask(url) + "': " + why
                + "; expected mysql://user:password@host:port[/database[/table]]");
    }

    /**
     * Masks the password of a URL that may not even parse, and the values of its options that are
     * secrets (key store passwords), so that error messages can quote it.
     */
    static String mask(String url) {
        int question = url.lastIndexOf('?');
        String query = null;
        String base = url;
        if (question > url.lastIndexOf('@')) {
            base = url.substring(0, question);
            query = url.substring(question + 1);
        }
        return maskUserInfo(base) + (query == null ? "" : "?" + maskOptions(query));
    }

    private static String maskUserInfo(String url) {
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return url;
        }
        int colon = url.indexOf(':', schemeEnd + 3);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + "****" + url.substring(at);
    }

    private static String maskOptions(String query) {
        StringJoiner masked = new StringJoiner("&");
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            masked.add(eq > 0 && ConnectionOptions.isSecret(pair.substring(0, eq)) ? pair.substring(0, eq + 1) + "****"
                    : pair);
        }
        return masked.toString();
    }

    /** The same location with the password replaced, for passwords that come from elsewhere. */
    public WarningsStoreUrl withPassword(String newPassword) {
        return new WarningsStoreUrl(user, newPassword, host, port, database, table, jdbcOptions);
    }

    /** The same server with another database (and the same table choice). */
    public WarningsStoreUrl withDatabase(String newDatabase) {
        if (newDatabase != null) {
            Identifiers.requireValid(newDatabase, "database");
        }
        return new WarningsStoreUrl(user, password, host, port, newDatabase, table, jdbcOptions);
    }

    public String user() {
        return user;
    }

    /** The password, or empty when none was given; never log it. */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The database named in the URL; when empty the cluster id is used. */
    public Optional<String> database() {
        return Optional.ofNullable(database);
    }

    /** The load_errors table named in the URL; when empty {@code load_errors} is used. */
    public Optional<String> table() {
        return Optional.ofNullable(table);
    }

    /**
     * Connection options from the query string, such as {@code sslMode=REQUIRED}, by their canonical
     * names; only those {@link ConnectionOptions} allows. Key store passwords among them are secrets.
     */
    public Map<String, String> jdbcOptions() {
        return jdbcOptions;
    }

    /** The JDBC URL of the server, without database, user or password. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/";
    }

    /** The URL with the password masked, safe to log and to print. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(SCHEME).append(user);
        if (password != null) {
            text.append(":****");
        }
        text.append('@').append(host).append(':').append(port);
        if (database != null) {
            text.append('/').append(database);
            if (table != null) {
                text.append('/').append(table);
            }
        } else if (table != null) {
            text.append("//").append(table);
        }
        if (!jdbcOptions.isEmpty()) {
            StringBuilder query = new StringBuilder();
            jdbcOptions.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                    .append(ConnectionOptions.isSecret(k) ? "****" : v));
            text.append(query);
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WarningsStoreUrl)) {
            return false;
        }
        WarningsStoreUrl other = (WarningsStoreUrl) o;
        return port == other.port && user.equals(other.user) && Objects.equals(password, other.password)
                && host.equals(other.host) && Objects.equals(database, other.database)
                && Objects.equals(table, other.table) && jdbcOptions.equals(other.jdbcOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, host, port, database, table);
    }
}
