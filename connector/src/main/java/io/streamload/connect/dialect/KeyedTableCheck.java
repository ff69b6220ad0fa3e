package io.streamload.connect.dialect;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before any load, to send deletes or partial updates to a table that cannot apply
 * them: on a duplicate key table StarRocks ignores {@code __op} (every delete would become one
 * more row) and Doris refuses the delete sign. The model is asked over the FE's HTTP API
 * ({@link StreamLoadDialect#tableModelPath}); when the FE does not say (no privilege, an older
 * version), the check is skipped with a warning rather than failing a working setup.
 */
public final class KeyedTableCheck {

    private static final Logger log = LoggerFactory.getLogger(KeyedTableCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_REDIRECTS = 3;

    private final StreamLoadDialect dialect;
    private final List<URI> fes;
    private final String database;
    private final String authorization;

    public KeyedTableCheck(StreamLoadDialect dialect, List<URI> fes, String database, String user, String password) {
        this.dialect = dialect;
        this.fes = List.copyOf(fes);
        this.database = database;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param why what needs keyed tables, for the message (for example {@code cdc.mode=debezium})
     * @throws ConnectException naming every table that is known not to be keyed
     */
    public void requireKeyed(Collection<String> tables, String why) {
        List<String> refused = new ArrayList<>();
        try (CloseableHttpClient http = HttpClients.custom().disableRedirectHandling().disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(TIMEOUT))
                        .setResponseTimeout(Timeout.of(TIMEOUT)).build())
                .build()) {
            for (String table : tables) {
                Optional<TableModel> model = modelOf(http, table);
                if (model.isEmpty()) {
                    log.warn("Could not tell whether table {} is a {} table; {} needs one, so check it yourself",
                            table, keyedName(), why);
                } else if (!model.get().appliesDeletes()) {
                    refused.add(table);
                }
            }
        } catch (IOException e) {
            log.warn("Could not close the table check's HTTP client: {}", e.toString());
        }
        if (!refused.isEmpty()) {
            throw new ConnectException(why + " needs " + keyedName() + " tables, but " + String.join(", ", refused)
                    + (refused.size() == 1 ? " is not one" : " are not") + ": deletes and partial updates cannot "
                    + "apply to a duplicate or aggregate key table. Recreate the table as a " + keyedName()
                    + " table, or route these topics elsewhere.");
        }
    }

    private String keyedName() {
        return dialect instanceof DorisDialect ? "unique key" : "primary key";
    }

    private Optional<TableModel> modelOf(CloseableHttpClient http, String table) {
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
            } catch (IOException | java.net.URISyntaxException | IllegalArgumentException e) {
                log.debug("Table model query for {} at {} failed: {}", table, fe, e.toString());
            }
        }
        return Optional.empty();
    }

    private record Answer(int status, String location, String body) {
    }
}
