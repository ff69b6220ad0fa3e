package io.streamload.connect.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Parses {@code load.urls}: FE endpoints as {@code http(s)://host:port}. A bare {@code host:port}
 * (the form the official connector's {@code starrocks.http.url} uses) means http.
 *
 * <p>Credentials in a URL are refused: they belong in {@code load.user}/{@code load.password},
 * where they are hidden from logs and the REST API.
 */
public final class LoadUrls {

    /** {@code host:port}, the host possibly an IPv6 literal, the port any whole number. */
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[^\\]]*\\]|[^:@\\[\\]]*):(-?[0-9]+)");

    /** What comes before the host of an entry that carries credentials: scheme (if any) and user info. */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)?[^/@]*@");

    private LoadUrls() {
    }

    /**
     * The value of {@code load.urls} (a list) or of its alias (a string) with the credentials of
     * any entry replaced by {@code ***}, for validation to show: Connect's answer repeats each
     * key's value, and such an entry is refused precisely because it would be shown.
     */
    public static Object withoutCredentials(Object value) {
        if (value instanceof List<?> entries) {
            List<Object> shown = new ArrayList<>();
            entries.forEach(entry -> shown.add(withoutCredentials(entry)));
            return shown;
        }
        if (value instanceof String text) {
            List<String> shown = new ArrayList<>();
            for (String entry : text.split(",", -1)) {
                shown.add(USER_INFO.matcher(entry).replaceFirst(m -> Matcher.quoteReplacement(
                        (m.group(1) == null ? "" : m.group(1)) + "***@")));
            }
            return String.join(",", shown);
        }
        return value;
    }

    /** Parses every entry; throws {@link ConfigException} naming the bad entry. */
    public static List<URI> parse(List<String> entries) {
        List<URI> urls = new ArrayList<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                urls.add(parseOne(trimmed));
            }
        }
        return urls;
    }

    static URI parseOne(String entry) {
        String text = entry.contains("://") ? entry : "http://" + entry;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(entry, "is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(entry, "must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("An entry of " + StreamLoadSinkConfig.LOAD_URLS + " carries credentials; "
                    + "put them in " + StreamLoadSinkConfig.LOAD_USER + " and " + StreamLoadSinkConfig.LOAD_PASSWORD
                    + " instead");
        }
        String outOfRange = outOfRangePort(uri);
        if (outOfRange != null) {
            throw invalid(entry, "has port " + outOfRange + ", but a port is a number from 1 to 65535; give the FE "
                    + "http port, 8030 by default");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(entry, "has no host name");
        }
        if (uri.getPort() < 0) {
            throw invalid(entry, "has no port; give the FE http port, for example http://"
                    + uri.getHost() + ":8030");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(entry, "must be only scheme, host and port; the connector adds the Stream Load path");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /**
     * The port as written when it is a number outside 1 to 65535, else null. {@link URI} takes
     * 0 and 70000 as ports, and reads a number too large for an int as no port and no host.
     */
    private static String outOfRangePort(URI uri) {
        String authority = uri.getRawAuthority();
        Matcher m = authority == null ? null : HOST_AND_PORT.matcher(authority);
        if (m == null || !m.matches() || m.group(1).isEmpty()) {
            return null;
        }
        String port = m.group(2);
        boolean inRange = port.length() <= 5 && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        return inRange ? null : port;
    }

    private static ConfigException invalid(String entry, String why) {
        return new ConfigException("'" + entry + "' in " + StreamLoadSinkConfig.LOAD_URLS + " " + why);
    }

    /** Checks every entry; an absent value is left to the cross-field check that reports it. */
    static final class Validator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            if (value != null) {
                parse((List<String>) value);
            }
        }

        @Override
        public String toString() {
            return "http(s)://host:port, comma separated";
        }
    }
}
