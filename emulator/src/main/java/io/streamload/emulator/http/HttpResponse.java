package io.streamload.emulator.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response: status, headers and a body held in memory (responses here are small). */
public final class HttpResponse {
    private final int status;
    private final String reason;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;
    private boolean closeConnection;

    private HttpResponse(int status, String reason, byte[] body, String contentType) {
        this.status = status;
        this.reason = reason;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, reasonOf(status), json.getBytes(StandardCharsets.UTF_8),
                "application/json; charset=utf-8");
    }

    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, reasonOf(status), text.getBytes(StandardCharsets.UTF_8),
                "text/plain; charset=utf-8");
    }

    public static HttpResponse html(int status, String html) {
        return new HttpResponse(status, reasonOf(status), html.getBytes(StandardCharsets.UTF_8),
                "text/html");
    }

    public static HttpResponse empty(int status) {
        return new HttpResponse(status, reasonOf(status), new byte[0], null);
    }

    public HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Ask the server to close the connection after this response. */
    public HttpResponse closeConnection() {
        this.closeConnection = true;
        return this;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    boolean closesConnection() {
        return closeConnection;
    }

    byte[] head(boolean close) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        sb.append("Connection: ").append(close ? "close" : "keep-alive").append("\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String reasonOf(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 307 -> "Temporary Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Request Entity Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }
}
