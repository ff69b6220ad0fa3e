package io.streamload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, so the tests see exactly what the
 * emulator puts on the wire: interim {@code 100 Continue} lines, redirects that are not followed
 * unless asked, {@code Connection: close}, resets. Bodies are only sent after a {@code 100 Continue}
 * when the request says {@code Expect: 100-continue}, as curl and the official SDKs do.
 */
final class RawHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 15_000;

    private RawHttp() {
    }

    static Request put(String url) {
        return new Request("PUT", url);
    }

    static Request post(String url) {
        return new Request("POST", url);
    }

    static Request get(String url) {
        return new Request("GET", url);
    }

    static Request delete(String url) {
        return new Request("DELETE", url);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request under construction; {@link #send()} performs exactly one exchange. */
    static final class Request {
        private final String method;
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private String version = "HTTP/1.1";
        private boolean chunked;

        Request(String method, String url) {
            this.method = method;
            this.uri = URI.create(url);
        }

        private Request(Request other, URI target) {
            this.method = other.method;
            this.uri = target;
            this.headers.putAll(other.headers);
            this.body = other.body;
            this.version = other.version;
            this.chunked = other.chunked;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request headers(String... nameValuePairs) {
            for (int i = 0; i < nameValuePairs.length; i += 2) {
                headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
            }
            return this;
        }

        Request auth(String user, String password) {
            return header("Authorization", basic(user, password));
        }

        Request expectContinue() {
            return header("Expect", "100-continue");
        }

        Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        /** Send the body with {@code Transfer-Encoding: chunked} (no Content-Length), in one chunk. */
        Request chunked() {
            this.chunked = true;
            return this;
        }

        Request version(String httpVersion) {
            this.version = httpVersion;
            return this;
        }

        boolean expectsContinue() {
            return headers.entrySet().stream()
                    .anyMatch(e -> e.getKey().equalsIgnoreCase("Expect") && e.getValue().equalsIgnoreCase("100-continue"));
        }

        /** The same request sent somewhere else (a redirect target), Authorization included. */
        Request to(String url) {
            URI target = URI.create(url);
            // Credentials in the Location (Doris) are not used: the client re-sends its own header.
            URI clean = URI.create(target.getScheme() + "://" + target.getHost() + ":" + target.getPort()
                    + target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
            return new Request(this, clean);
        }

        /** Sends once and follows 307 redirects (at most 3), re-sending every header, like curl --location-trusted. */
        Response sendFollowing() throws IOException {
            Request r = this;
            Response resp = r.send();
            for (int hop = 0; hop < 3 && resp.status() == 307; hop++) {
                r = r.to(resp.header("Location"));
                resp = r.send();
            }
            return resp;
        }

        /** Like {@link #sendFollowing()}, for tests that do not expect I/O errors. */
        Response go() {
            try {
                return sendFollowing();
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            }
        }

        byte[] head() {
            StringBuilder sb = new StringBuilder();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            sb.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
            sb.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            if (body != null && chunked) {
                sb.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private byte[] wireBody() {
            if (!chunked) {
                return body;
            }
            byte[] size = (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] end = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[size.length + body.length + end.length];
            System.arraycopy(size, 0, out, 0, size.length);
            System.arraycopy(body, 0, out, size.length, body.length);
            System.arraycopy(end, 0, out, size.length + body.length, end.length);
            return out;
        }

        /** One exchange on a fresh connection. */
        Response send() throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                out.write(head());
                out.flush();
                boolean sawContinue = false;
                boolean hasBody = body != null && body.length > 0;
                if (hasBody && expectsContinue()) {
                    Response first = readResponse(in, false);
                    if (first.status() != 100) {
                        return first; // a final answer before the body: the body is never sent
                    }
                    sawContinue = true;
                    out.write(wireBody());
                    out.flush();
                } else if (hasBody) {
                    try {
                        out.write(wireBody());
                        out.flush();
                    } catch (IOException e) {
                        // The server may have answered and closed early; its answer is what counts.
                    }
                }
                Response r;
                do {
                    r = readResponse(in, sawContinue);
                } while (r.status() == 100);
                return r;
            }
        }
    }

    /** Reads one response; a 1xx response has no body. */
    static Response readResponse(InputStream in, boolean sawContinue) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        if (status / 100 == 1) {
            return new Response(status, statusLine, headers, new byte[0], sawContinue);
        }
        String cl = find(headers, "Content-Length");
        byte[] body;
        if (cl != null) {
            body = in.readNBytes(Integer.parseInt(cl));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, statusLine, headers, body, sawContinue);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String find(List<String[]> headers, String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** One final (or interim) response. */
    record Response(int status, String statusLine, List<String[]> headers, byte[] body, boolean sawContinue) {
        String header(String name) {
            return find(headers, name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON; field order is kept as sent. */
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + text(), e);
            }
        }

        @Override
        public String toString() {
            return statusLine + " " + text();
        }
    }

    /** Field names of a JSON object in the order they were sent. */
    static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
