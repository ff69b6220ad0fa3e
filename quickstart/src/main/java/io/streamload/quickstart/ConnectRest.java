package io.streamload.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few Connect REST calls the quickstart makes, as a user would make them with curl. */
final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    ConnectRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** {@code PUT /connectors/{name}/config}: creates or updates the connector. */
    void putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        // A worker that just started answers 409 until it has joined its group: retry for a while.
        long deadline = System.nanoTime() + 60_000_000_000L;
        HttpResponse<String> response = put(name, config);
        while (response.statusCode() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            response = put(name, config);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Connect refused the connector config (HTTP " + response.statusCode()
                    + "): " + response.body());
        }
    }

    private HttpResponse<String> put(String name, Map<String, String> config) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /connectors/{name}/status}, or null while the connector is unknown. */
    JsonNode status(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/connectors/" + name + "/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    void deleteConnector(String name) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/connectors/" + name)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
