package io.streamload.connect.load;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.routing.TargetTable;
import io.streamload.connect.tls.TlsContexts;
import io.streamload.connect.tls.TlsSettings;

/**
 * Sends Stream Load requests over pooled, kept-alive HTTP/1.1 connections (Apache HttpClient 5,
 * classic blocking I/O: one load occupies one thread, which {@link LoadScheduler} bounds).
 *
 * <p>What the protocol demands and this class does:
 * <ul>
 *   <li>{@code Expect: 100-continue} on every request that carries data (stream loads, Doris
 *   loads, transaction loads, the parts of rejected-row isolation: all go through
 *   {@link #loadAt}); without it the FE refuses the load. The requests without a body (begin,
 *   prepare, commit, rollback, label state) are sent without it.</li>
 *   <li>The body is sent only after {@code 100 Continue} ({@link BodyAfterContinueExecutor}). A
 *   final answer before it (the FE's 307, a 401, a 200 {@code Fail}) means not one byte of the
 *   body is sent: the answer is read and the connection closed, since it still owes the body its
 *   head announced. An FE never wants the body: a current StarRocks FE closes the socket right
 *   after its 307, an older one would read the body only to throw it away.</li>
 *   <li>An FE that sends neither {@code 100 Continue} nor an answer within the continue timeout
 *   gets no body either: the connection is closed, the silence counts against the FE and the same
 *   request, same label, goes on to the next FE. A BE (after the redirect) that stays silent that
 *   long gets the body all the same, as HTTP/1.1 allows: BEs read bodies.</li>
 *   <li>The FE's 307 is followed here, not by HttpClient: the PUT is re-sent to the BE with the
 *   same headers and body and the Authorization header again (the Location never carries it; a
 *   Doris Location carries {@code user:password@}, which is stripped and never logged).</li>
 *   <li>No automatic retries: a retry must reuse the label, which only the caller knows. The one
 *   exception is safe by construction: when an FE cannot be connected to or stays silent after the
 *   request head (nothing of the body was sent), the same request goes on to the next healthy FE
 *   at once, as nginx's {@code proxy_next_upstream error} does.</li>
 *   <li>Every FE's health is reported to the {@link FeSelector}: a connect failure, silence after
 *   the request head, a broken connection or an HTTP 5xx at the FE counts against it, any other
 *   answer for it.</li>
 *   <li>Three timeouts: connect, socket (the longest silence) and the whole request; a BE that
 *   hangs never holds a load thread longer than {@code load.timeout.ms}.</li>
 * </ul>
 */
public final class StreamLoadClient implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadClient.class);

    static final int MAX_REDIRECTS = 3;
    static final int MAX_BODY_CHARS = 64 * 1024;
    static final Duration SMALL_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long an FE has to answer a request head or send {@code 100 Continue} unless told otherwise. */
    public static final Duration DEFAULT_CONTINUE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * How requests travel.
     *
     * @param connectTimeout TCP connect and TLS handshake
     * @param socketTimeout the longest silence while sending or waiting for a reply
     * @param loadTimeout the whole of one load request, redirect included
     * @param tls for https URLs; its stores are read once, here
     * @param maxConnections pooled connections (one per in-flight load, plus room for state queries)
     * @param continueTimeout how long a server has to send {@code 100 Continue} or an answer after
     *     a load's request head; an FE silent for longer is skipped, nothing of the body sent
     */
    public record Options(Duration connectTimeout, Duration socketTimeout, Duration loadTimeout, TlsSettings tls,
                          int maxConnections, String userAgent, Duration continueTimeout) {

        /** Options with the default {@link #DEFAULT_CONTINUE_TIMEOUT}. */
        public Options(Duration connectTimeout, Duration socketTimeout, Duration loadTimeout, TlsSettings tls,
                       int maxConnections, String userAgent) {
            this(connectTimeout, socketTimeout, loadTimeout, tls, maxConnections, userAgent,
                    DEFAULT_CONTINUE_TIMEOUT);
        }
    }

    private final StreamLoadDialect dialect;
    private final String database;
    private final String authorization;
    private final FeSelector fes;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient http;
    private final Duration loadTimeout;
    /** Cuts requests that outlive {@code load.timeout.ms}. */
    private final ScheduledThreadPoolExecutor deadlines;

    /**
     * @param fes the FEs to send to, and their health
     * @param user load user
     * @param password load password (kept only inside the Authorization value)
     * @param deadlineThreads makes the one thread that cuts requests past their load timeout
     */
    public StreamLoadClient(StreamLoadDialect dialect, FeSelector fes, String database, String user, String password,
                            Options options, ThreadFactory deadlineThreads) {
        this.dialect = dialect;
        this.database = database;
        this.fes = fes;
        this.loadTimeout = options.loadTimeout();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(options.maxConnections())
                .setMaxConnPerRoute(options.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(options.connectTimeout()))
                        .setSocketTimeout(Timeout.of(options.socketTimeout()))
                        // A kept-alive connection the server closed meanwhile is detected before
                        // use, instead of costing a load attempt.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .build());
        if (options.tls() != null) {
            pool.setTlsSocketStrategy(TlsContexts.socketStrategy(options.tls()));
        }
        this.connections = pool.build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setRequestExecutor(new BodyAfterContinueExecutor(options.continueTimeout()))
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setExpectContinueEnabled(true)
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(Timeout.of(options.socketTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(options.loadTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(options.userAgent())
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, deadlineThreads);
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Sends one load attempt to the next healthy FE and follows its redirect. When an FE cannot
     * be connected to, or neither answers the request head nor sends {@code 100 Continue} within
     * the continue timeout, the attempt goes on to the next FE at once under the same label
     * (nothing of the body was sent, so nothing can have loaded); every FE is tried at most once
     * per attempt.
     *
     * @param table target table
     * @param headers every Stream Load header, label included
     * @return what came back; I/O failures are returned as {@link LoadResponse#noReply}, not thrown
     */
    public LoadResponse load(String table, Map<String, String> headers, ChunkedBytes body) {
        return loadAt(dialect.streamLoadPath(database, table), headers, body);
    }

    /**
     * Sends a body to {@code path} of the next FE (a stream load, or a transaction's load), with
     * the same redirect, Expect, timeout and FE-health handling as {@link #load}.
     */
    public LoadResponse loadAt(String path, Map<String, String> headers, ChunkedBytes body) {
        return loadAt(LoadStep.LOAD, path, headers, body);
    }

    /** As {@link #loadAt(String, Map, ChunkedBytes)}, for a step of a transaction whose answer the dialect reads as such. */
    public LoadResponse loadAt(LoadStep step, String path, Map<String, String> headers, ChunkedBytes body) {
        Set<URI> tried = new LinkedHashSet<>();
        while (true) {
            URI fe = fes.next(tried);
            tried.add(fe);
            LoadResponse response = loadVia(step, fe, path, headers, body);
            boolean unreachable = response.failure() != null && response.failure().nothingSent() && response.atFe();
            if (!unreachable || tried.size() >= fes.all().size()) {
                return response;
            }
            log.debug("FE {} got nothing of the load ({}); sending to the next FE", fe, response.describe());
        }
    }

    private LoadResponse loadVia(LoadStep step, URI fe, String path, Map<String, String> headers, ChunkedBytes body) {
        URI target = fe.resolve(path);
        AtomicBoolean cut = new AtomicBoolean();
        HttpPut[] current = new HttpPut[1];
        ScheduledFuture<?> deadline = scheduleDeadline(cut, current);
        boolean atFe = true;
        BatchBodyEntity entity = null;
        try {
            for (int hop = 0; ; hop++) {
                HttpPut put = new HttpPut(target);
                headers.forEach(put::setHeader);
                put.setHeader(HttpHeaders.EXPECT, "100-continue");
                put.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                entity = new BatchBodyEntity(body);
                put.setEntity(entity);
                synchronized (current) {
                    current[0] = put;
                    if (cut.get()) {
                        put.cancel();
                    }
                }
                // An FE never gets the body unless it asks for it; a BE silent past the wait does.
                HttpClientContext context = HttpClientContext.create();
                context.setAttribute(BodyAfterContinueExecutor.BODY_AFTER_SILENT_WAIT, !atFe);
                Reply reply = execute(put, context);
                if (atFe) {
                    reportFe(fe, reply);
                }
                if (reply.isRedirect() && reply.location() != null && hop < MAX_REDIRECTS) {
                    target = redirectTarget(target, reply.location());
                    atFe = false;
                    continue;
                }
                return toResponse(step, fe, reply, atFe);
            }
        } catch (IOException e) {
            TransportFailure failure = cut.get() ? TransportFailure.LOAD_TIMEOUT : classify(e, entity);
            if (atFe) {
                fes.failed(fe, failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + e);
            }
            return LoadResponse.noReply(fe.toString(), e, failure, atFe);
        } finally {
            deadline.cancel(false);
        }
    }

    /** Cuts the running request when the load timeout is reached: its connection is closed. */
    private ScheduledFuture<?> scheduleDeadline(AtomicBoolean cut, HttpPut[] current) {
        return deadlines.schedule(() -> {
            synchronized (current) {
                cut.set(true);
                if (current[0] != null) {
                    current[0].cancel();
                }
            }
        }, loadTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An answer from the FE hop tells its health: a 5xx counts against it, anything else for it. */
    private void reportFe(URI fe, Reply reply) {
        if (reply.status() >= 500) {
            fes.failed(fe, "HTTP " + reply.status());
        } else {
            fes.succeeded(fe);
        }
    }

    /** Where an I/O failure struck, from its type and how far the body got. */
    static TransportFailure classify(IOException e, BatchBodyEntity entity) {
        if (e instanceof ConnectTimeoutException) {
            return TransportFailure.CONNECT_TIMEOUT;
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return TransportFailure.CONNECT_REFUSED;
        }
        if (e instanceof SSLHandshakeException || e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
            return TransportFailure.TLS_HANDSHAKE;
        }
        if (e instanceof SocketTimeoutException) {
            return TransportFailure.READ_TIMEOUT;
        }
        if (e instanceof ContinueTimeoutException) {
            return TransportFailure.NO_CONTINUE;
        }
        return entity != null && entity.sent() ? TransportFailure.RESET_WHILE_READING
                : TransportFailure.RESET_WHILE_SENDING;
    }

    /** The answer to a small request without body: its status and body, or the I/O failure. */
    public record SmallReply(int status, String body, IOException failure) {
        public boolean ok() {
            return failure == null && status == 200;
        }

        /** One line for messages. */
        public String describe() {
            return failure != null ? "no reply (" + failure.getClass().getSimpleName() + ": " + failure.getMessage() + ")"
                    : "HTTP " + status + ": " + body.strip().replaceAll("\\s+", " ");
        }
    }

    /**
     * Sends a request without body (a transaction's begin, prepare, commit or rollback) to the
     * next FE, following redirects to the leader. Never throws on I/O: the failure is returned.
     *
     * @param method {@code POST} or {@code PUT}
     */
    public SmallReply request(String method, String path, Map<String, String> headers) {
        URI target = fes.next().resolve(path);
        try {
            for (int hop = 0; ; hop++) {
                HttpUriRequestBase request = "PUT".equals(method) ? new HttpPut(target)
                        : new HttpPost(target);
                headers.forEach(request::setHeader);
                request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                request.setConfig(smallRequestConfig());
                Reply reply = execute(request);
                if (reply.isRedirect() && reply.location() != null && hop < MAX_REDIRECTS) {
                    target = redirectTarget(target, reply.location());
                    continue;
                }
                return new SmallReply(reply.status(), reply.body(), null);
            }
        } catch (IOException e) {
            return new SmallReply(-1, "", e);
        }
    }

    /** The database a table (plain or {@code db.table}) belongs to. */
    public String databaseOf(String table) {
        return TargetTable.resolve(database, table).database();
    }

    /**
     * Asks the target for a label's state, following a redirect to the leader FE. Labels belong
     * to a database: the one of {@code table} when it is qualified ({@code db.table}).
     *
     * @return the state, or empty when the query failed or the reply did not carry one
     */
    public Optional<LabelState> labelState(String table, String label) {
        String labelDatabase = TargetTable.resolve(database, table).database();
        URI target = fes.next().resolve(dialect.loadStatePath(labelDatabase, label));
        try {
            for (int hop = 0; ; hop++) {
                HttpGet get = new HttpGet(target);
                get.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                get.setConfig(smallRequestConfig());
                Reply reply = execute(get);
                if (reply.isRedirect() && reply.location() != null && hop < MAX_REDIRECTS) {
                    target = redirectTarget(target, reply.location());
                    continue;
                }
                if (reply.status() != 200) {
                    log.debug("Label state query for {} answered HTTP {}", label, reply.status());
                    return Optional.empty();
                }
                return dialect.parseLabelState(reply.body());
            }
        } catch (IOException e) {
            log.debug("Label state query for {} failed: {}", label, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Reads the first lines of an ErrorURL (the rows the target rejected). Best effort: a failure
     * is reported in the returned text, never thrown. No credentials are sent: the URL names a
     * host the target chose.
     */
    public List<String> errorLines(String errorUrl, int maxLines) {
        List<String> lines = new ArrayList<>();
        try {
            HttpGet get = new HttpGet(withoutUserInfo(URI.create(errorUrl)));
            get.setConfig(smallRequestConfig());
            http.execute(get, response -> {
                HttpEntity entity = response.getEntity();
                if (response.getCode() != 200 || entity == null) {
                    lines.add("(the error log answered HTTP " + response.getCode() + ")");
                    return null;
                }
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(entity.getContent(), StandardCharsets.UTF_8))) {
                    String line;
                    while (lines.size() < maxLines && (line = reader.readLine()) != null) {
                        lines.add(line.length() > 1000 ? line.substring(0, 1000) + "..." : line);
                    }
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            lines.add("(could not read the error log: " + e.getMessage() + ")");
        }
        return lines;
    }

    /** Every FE, whether it is up and its last error, in one line; for failure messages. */
    public String feHealth() {
        return fes.describe();
    }

    /** The FEs and their health tracking. */
    public FeSelector fes() {
        return fes;
    }

    /** Connections open now, leased or idle in the pool. */
    public int openConnections() {
        PoolStats stats = connections.getTotalStats();
        return stats.getLeased() + stats.getAvailable();
    }

    /**
     * Closes every connection at once, including those in use: a thread blocked reading a reply
     * gets an I/O error right away instead of waiting for the load timeout.
     */
    public void abort() {
        http.close(CloseMode.IMMEDIATE);
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
        deadlines.shutdownNow();
    }

    private Reply execute(HttpUriRequestBase request) throws IOException {
        return execute(request, HttpClientContext.create());
    }

    private Reply execute(HttpUriRequestBase request, HttpClientContext context) throws IOException {
        return http.execute(request, context, response -> {
            Header location = response.getFirstHeader(HttpHeaders.LOCATION);
            return new Reply(response.getCode(), location == null ? null : location.getValue(), readBody(response));
        });
    }

    private static String readBody(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(MAX_BODY_CHARS);
            // The rest (if any) is drained by the client so the connection can be reused.
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private LoadResponse toResponse(LoadStep step, URI fe, Reply reply, boolean atFe) {
        LoadReply parsed = reply.status() == 200 ? dialect.parseStepReply(step, reply.body()).orElse(null) : null;
        String excerpt = reply.body().strip().replaceAll("\\s+", " ");
        if (excerpt.length() > 300) {
            excerpt = excerpt.substring(0, 300) + "...";
        }
        return new LoadResponse(fe.toString(), reply.status(), parsed, excerpt, null, null, atFe);
    }

    private static RequestConfig smallRequestConfig() {
        return RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setResponseTimeout(Timeout.of(SMALL_REQUEST_TIMEOUT))
                .setConnectionRequestTimeout(Timeout.of(SMALL_REQUEST_TIMEOUT))
                .build();
    }

    static URI redirectTarget(URI from, String location) throws IOException {
        try {
            return withoutUserInfo(from.resolve(new URI(location.trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            // The Location may carry credentials (Doris): do not put it in the message.
            throw new IOException("the FE redirected to a Location that is not a URL");
        }
    }

    static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot rebuild a redirect URL", e);
        }
    }

    /** The parts of an HTTP response this client looks at. */
    private record Reply(int status, String location, String body) {
        boolean isRedirect() {
            return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
        }
    }
}
