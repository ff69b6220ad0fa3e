package io.streamload.connect.dialect;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.tls.TlsContexts;
import io.streamload.connect.tls.TlsSettings;

/**
 * Asks the FE's HTTP API which model a table has ({@link StreamLoadDialect#tableModelPath}), trying
 * each FE in turn and following a non-leader FE's redirect. An FE that does not say (no privilege,
 * an older version, unreachable) gives no answer rather than an error: callers fall back to what
 * is safe without knowing.
 *
 * <p>Thread-safe; one HTTP client for all questions, closed with this object.
 */
public final class TableModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TableModels.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_REDIRECTS = 3;

    private final StreamLoadDialect dialect;
    private final List<URI> fes;
    private final String database;
    private final String authorization;
    private final CloseableHttpClient http;

    /**
     * @param tls for https FEs (the same stores as the loads); null for the JDK's defaults
     */
    public TableModels(StreamLoadDialect dialect, List<URI> fes, String database, String user, String password,
                       TlsSettings tls) {
        this.dialect = dialect;
        this.fes = List.copyOf(fes);
        this.database = database;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create();
        if (tls != null) {
            connections.setTlsSocketStrategy(TlsContexts.socketStrategy(tls));
        }
        this.http = HttpClients.custom().setConnectionManager(connections.build())
                .disableRedirectHandling().disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(TIMEOUT))
                        .setResponseTimeout(Timeout.of(TIMEOUT)).build())
                .build();
    }

    /** The model of {@code table} (which may be qualified by its database), or empty when no FE says. */
    public Optional<TableModel> modelOf(String table) {
        Optional<String> path = dialect.tableModelPath(database, table);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (URI fe : fes) {
            URI target = fe.resolve(path.get());
            try {
                for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
                    HttpGet get = new HttpGet(target);
                    get.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                    Answer answer = http.execute(get, response -> new Answer(response.getCode(),
                            response.getFirstHeader(HttpHeaders.LOCATION) == null ? null
                                    : response.getFirstHeader(HttpHeaders.LOCATION).getValue(),
                            response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
                    if (answer.status() / 100 == 3 && answer.location() != null) {
                        // A non-leader FE may redirect; the Location is never logged (Doris embeds credentials).
                        URI next = target.resolve(answer.location().trim());
                        target = new URI(next.getScheme(), null, next.getHost(), next.getPort(), next.getPath(),
                                next.getQuery(), null);
                        continue;
                    }
                    if (answer.status() != 200) {
                        log.debug("Table model query for {} answered HTTP {}", table, answer.status());
                        return Optional.empty();
                    }
                    return dialect.parseTableModel(answer.body());
                }
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                log.debug("Table model query for {} at {} failed: {}", table, fe, e.toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            log.warn("Could not close the table model queries' HTTP client: {}", e.toString());
        }
    }

    private record Answer(int status, String location, String body) {
    }
}
