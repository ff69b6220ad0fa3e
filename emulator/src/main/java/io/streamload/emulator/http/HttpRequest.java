package io.streamload.emulator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed HTTP/1.x request. The body is read lazily: the first call to {@link #body()} sends the
 * {@code 100 Continue} interim response when the client asked for it, which is what lets a server
 * answer a load with a final status (307, 401, a size error) without ever receiving its body.
 */
public final class HttpRequest {
    private final String method;
    private final String target;
    private final String path;
    private final String rawQuery;
    private final String version;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private InputStream body;
    private boolean continueSent;

    HttpRequest(String method, String target, String version, Map<String, String> headers,
                InputStream socketIn, OutputStream socketOut) {
        this.method = method;
        this.target = target;
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.rawQuery = q < 0 ? null : target.substring(q + 1);
        this.version = version;
        this.headers = headers;
        this.query = parseQuery(rawQuery);
        this.socketIn = socketIn;
        this.socketOut = socketOut;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    public String method() {
        return method;
    }

    /** Path and query as sent on the request line. */
    public String target() {
        return target;
    }

    public String path() {
        return path;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public String version() {
        return version;
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    /** Header value by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> headers() {
        return headers;
    }

    public boolean expectsContinue() {
        String expect = header("expect");
        return expect != null && expect.trim().equalsIgnoreCase("100-continue");
    }

    public boolean isHttp11() {
        return "HTTP/1.1".equals(version);
    }

    /** Declared Content-Length, or -1 when absent or chunked. */
    public long contentLength() {
        if (isChunked()) {
            return -1;
        }
        String cl = header("content-length");
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean isChunked() {
        String te = header("transfer-encoding");
        return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
    }

    public boolean hasBody() {
        return isChunked() || contentLength() > 0;
    }

    /** Basic credentials as {user, password}, if the request carries them. */
    public Optional<String[]> basicCredentials() {
        String auth = header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.of(new String[] {decoded, ""});
            }
            return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The request body. Sends {@code HTTP/1.1 100 Continue} first when the client is waiting for it,
     * so the client only starts sending once the server has decided to read.
     */
    public synchronized InputStream body() throws IOException {
        if (body == null) {
            if (expectsContinue() && isHttp11() && !continueSent) {
                socketOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socketOut.flush();
                continueSent = true;
            }
            if (isChunked()) {
                body = new ChunkedInputStream(socketIn);
            } else {
                long len = Math.max(0, contentLength());
                body = new BoundedInputStream(socketIn, len);
            }
        }
        return body;
    }

    /** True when the body was read to its end, so the connection can carry another request. */
    synchronized boolean bodyFullyRead() throws IOException {
        if (!hasBody()) {
            return true;
        }
        if (body == null) {
            return false;
        }
        if (body instanceof BoundedInputStream b) {
            return b.remaining() == 0;
        }
        return ((ChunkedInputStream) body).finished();
    }

    boolean continueSent() {
        return continueSent;
    }
}
