package io.streamload.connect.load;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
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
import io.streamload.connect.buffer.WireCompression;
import io.streamload.connect.dialect.LabelState;
import io.streamload.connect.dialect.LoadReply;
import io.streamload.connect.dialect.StreamLoadDialect;
import io.streamload.connect.routing.TargetTable;
import io.streamload.connect.tls.TlsContexts;
import io.streamload.connect.tls.TlsSettings;

/**
 * The connector's one HTTP client: everything it asks the target goes through here, over pooled,
 * kept-alive HTTP/1.1 connections (Apache HttpClient 5, classic blocking I/O: one load occupies
 * one thread, which {@link LoadScheduler} bounds). That is loads ({@link #load}, {@link #loadAt}),
 * transaction steps ({@link #request}), label states ({@link #labelState}), any other FE query
 * such as a table's model ({@link #get}) and the rejected rows of an ErrorURL ({@link #errorLines}).
 * They share one connection pool, one TLS setup, one set of credentials and one executor: a
 * single loop sends a request, follows redirects and reports the FE's health; a single loop
 * around it hands a request that did not reach an FE on to the next.
 *
 * <p>What the protocol demands and this class does:
 * <ul>
 *   <li>{@code Expect: 100-continue} on every request that carries data (stream loads, Doris
 *   loads, transaction loads, the parts of rejected-row isolation); without it the FE refuses
 *   the load. The requests without a body (begin, prepare, commit, rollback, label state, table
 *   model, error log) are sent without it.</li>
 *   <li>The body is sent only after {@code 100 Continue} ({@link BodyAfterContinueExecutor}). A
 *   final answer before it (the FE's 307, a 401, a 200 {@code Fail}) means not one byte of the
 *   body is sent: the answer is read and the connection closed, since it still owes the body its
 *   head announced. An FE never wants the body: a current StarRocks FE closes the socket right
 *   after its 307, an older one would read the body only to throw it away.</li>
 *   <li>An FE that sends neither {@code 100 Continue} nor an answer within the continue timeout
 *   gets no body either: the connection is closed, the silence counts against the FE and the same
 *   request, same label, goes on to the next FE. A BE (after the redirect) that stays silent that
 *   long gets the body all the same, as HTTP/1.1 allows: BEs read bodies.</li>
 *   <li>Redirects (the FE's 307 to a BE, a follower FE's to the leader) are followed here, not by
 *   HttpClient, at most {@value #MAX_REDIRECTS} of them: the request is re-sent to the Location
 *   with the same method, headers and body and the Authorization header again (the Location
 *   never carries it; a Doris Location carries {@code user:password@}, which is stripped and never
 *   logged). An ErrorURL names a host the target chose: it gets no credentials at all.</li>
 *   <li>No automatic retries: a retry must reuse the label, which only the caller knows. The one
 *   exception is safe by construction: when an FE cannot be connected to or stays silent after the
 *   request head (nothing of the request was acted on), the same request goes on to the next
 *   healthy FE at once, as nginx's {@code proxy_next_upstream error} does. This holds for every
 *   request to an FE, with or without a body; every FE is tried at most once per request.</li>
 *   <li>Every FE's health is reported to the {@link FeSelector}, whatever the request: a connect
 *   failure, silence after the request head, a broken connection or an HTTP 5xx at the FE counts
 *   against it, any other answer for it.</li>
 *   <li>Timeouts: connect and socket (the longest silence) for every request; a load is also cut
 *   when the whole of it, redirect included, outlives {@code load.timeout.ms}, so a BE that hangs
 *   never holds a load thread longer. A request without a body waits at most
 *   {@link #SMALL_REQUEST_TIMEOUT} for a pooled connection and for each read.</li>
 * </ul>
 */
public final class StreamLoadClient implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(StreamLoadClient.class);

    static final int MAX_REDIRECTS = 3;
    static final int MAX_BODY_CHARS = 64 * 1024;
    static final Duration SMALL_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long an FE has to answer a request head or send {@code 100 Continue} unless told otherwise. */
    public static final Duration DEFAULT_CONTINUE_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_ERROR_LINE_CHARS = 1000;

    private static final RequestConfig SMALL_REQUEST = RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setExpectContinueEnabled(false)
            .setResponseTimeout(Timeout.of(SMALL_REQUEST_TIMEOUT))
            .setConnectionRequestTimeout(Timeout.of(SMALL_REQUEST_TIMEOUT))
            .build();

    /** Reads a reply's body as text, up to {@link #MAX_BODY_CHARS} bytes. */
    private static final BodyReader<String> TEXT = in -> new String(in.readNBytes(MAX_BODY_CHARS),
            StandardCharsets.UTF_8);

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
                          int maxConnections, String userAgent, Duration continueTimeout,
                          WireCompression compression) {

        /** Options that send bodies uncompressed. */
        public Options(Duration connectTimeout, Duration socketTimeout, Duration loadTimeout, TlsSettings tls,
                       int maxConnections, String userAgent, Duration continueTimeout) {
            this(connectTimeout, socketTimeout, loadTimeout, tls, maxConnections, userAgent, continueTimeout,
                    WireCompression.NONE);
        }

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
    /** How every body is compressed on the wire; the dialect's headers name it. */
    private final WireCompression compression;
    /** Cuts loads that outlive {@code load.timeout.ms}. */
    private final ScheduledThreadPoolExecutor deadlines;
    /** The requests being sent, so that {@link #abort} can cut them. */
    private final Set<HttpUriRequestBase> inFlight = ConcurrentHashMap.newKeySet();
    /** Set by {@link #abort}: no body is sent any more. */
    private volatile boolean loadsAborted;

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
        this.compression = options.compression();
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

    /** As {@link #load}, for a Stream Load whose answer the dialect reads as {@code step}'s (a merged load). */
    public LoadResponse load(LoadStep step, String table, Map<String, String> headers, ChunkedBytes body) {
        return loadAt(step, dialect.streamLoadPath(database, table), headers, body);
    }

    /**
     * Sends a body to {@code path} of the next FE (a stream load, or a transaction's load), with
     * the same redirect, Expect, timeout and FE-health handling as {@link #load}.
     */
    public LoadResponse loadAt(String path, Map<String, String> headers, ChunkedBytes body) {
        return loadAt(LoadStep.LOAD, path, headers, body);
    }

    /** As {@link #loadAt(String, Map, ChunkedBytes)}, for a step whose answer the dialect reads as that step's. */
    public LoadResponse loadAt(LoadStep step, String path, Map<String, String> headers, ChunkedBytes body) {
        return response(step, toFes(path, new Call("PUT", headers, body, true), TEXT));
    }

    /**
     * Sends a step without body (a transaction's begin, prepare, commit or rollback) as
     * {@link #request} does, and returns its answer read by the dialect as that step's.
     *
     * @param method {@code POST} or {@code PUT}
     */
    public LoadResponse step(LoadStep step, String method, String path, Map<String, String> headers) {
        return response(step, toFes(path, new Call(method, headers, null, true), TEXT));
    }

    private LoadResponse response(LoadStep step, Outcome<String> outcome) {
        if (outcome.error() != null) {
            return LoadResponse.noReply(outcome.fe().toString(), outcome.error(), outcome.failure(), outcome.atFe());
        }
        LoadReply parsed = outcome.status() == 200 ? dialect.parseStepReply(step, outcome.body()).orElse(null) : null;
        return new LoadResponse(outcome.fe().toString(), outcome.status(), parsed, excerpt(outcome.body()), null,
                null, outcome.atFe());
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
     * Sends a request without body (a transaction's begin, prepare, commit or rollback, or a
     * query) to the next healthy FE, following redirects to the leader. An FE that cannot be
     * connected to gets nothing, so the request goes on to the next FE; every FE is tried at most
     * once. Never throws on I/O: the failure is returned.
     *
     * @param method {@code POST}, {@code PUT} or {@code GET}
     */
    public SmallReply request(String method, String path, Map<String, String> headers) {
        Outcome<String> outcome = toFes(path, new Call(method, headers, null, true), TEXT);
        return outcome.error() != null ? new SmallReply(-1, "", outcome.error())
                : new SmallReply(outcome.status(), outcome.body(), null);
    }

    /**
     * Asks an FE's HTTP API: a GET of {@code path} as {@link #request} sends it (next healthy FE,
     * the next one when it cannot be connected to, redirects to the leader followed).
     *
     * @param path path and query, names already URL-encoded
     * @return the body of an HTTP 200; empty when no FE answered, or answered otherwise
     */
    public Optional<String> get(String path) {
        SmallReply reply = request("GET", path, Map.of());
        if (reply.ok()) {
            return Optional.of(reply.body());
        }
        log.debug("FE query {} got {}", path, reply.failure() != null ? reply.describe()
                : "HTTP " + reply.status() + ": " + excerpt(reply.body()));
        return Optional.empty();
    }

    /** The database a table (plain or {@code db.table}) belongs to. */
    public String databaseOf(String table) {
        return TargetTable.resolve(database, table).database();
    }

    /**
     * Asks the target for a label's state ({@link #get}: the next FE that can be reached, a
     * redirect to the leader followed). Labels belong to a database: the one of {@code table}
     * when it is qualified ({@code db.table}).
     *
     * @return the state, or empty when the query failed or the reply did not carry one
     */
    public Optional<LabelState> labelState(String table, String label) {
        return get(dialect.loadStatePath(databaseOf(table), label)).flatMap(dialect::parseLabelState);
    }

    /**
     * Reads the first lines of an ErrorURL (the rows the target rejected). Best effort: a failure
     * is reported in the returned text, never thrown. No credentials are sent: the URL names a
     * host the target chose.
     */
    public List<String> errorLines(String errorUrl, int maxLines) {
        try {
            URI url = withoutUserInfo(URI.create(errorUrl));
            Outcome<List<String>> outcome = send(null, url, new Call("GET", Map.of(), null, false),
                    in -> firstLines(in, maxLines));
            if (outcome.error() != null) {
                return new ArrayList<>(List.of("(could not read the error log: " + outcome.error().getMessage() + ")"));
            }
            if (outcome.status() != 200) {
                return new ArrayList<>(List.of("(the error log answered HTTP " + outcome.status() + ")"));
            }
            return outcome.body();
        } catch (RuntimeException e) {
            return new ArrayList<>(List.of("(could not read the error log: " + e.getMessage() + ")"));
        }
    }

    private static List<String> firstLines(InputStream in, int maxLines) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while (lines.size() < maxLines && (line = reader.readLine()) != null) {
            lines.add(line.length() > MAX_ERROR_LINE_CHARS ? line.substring(0, MAX_ERROR_LINE_CHARS) + "..." : line);
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

    /** Requests waiting for a connection of the pool; for tests. */
    int waitingForConnection() {
        return connections.getTotalStats().getPending();
    }

    /** Connections open now, leased or idle in the pool. */
    public int openConnections() {
        PoolStats stats = connections.getTotalStats();
        return stats.getLeased() + stats.getAvailable();
    }

    /**
     * Cuts every request being sent (its connection is closed): a thread blocked reading a reply
     * gets an I/O error right away instead of waiting for the load timeout. From then on no body
     * is sent; requests without one still are, so that the transactions the cut loads left open
     * can be ended before the client is closed.
     */
    public void abort() {
        loadsAborted = true;
        for (HttpUriRequestBase request : inFlight) {
            request.cancel();
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
        deadlines.shutdownNow();
    }

    // The one executor: toFes picks the FE and hands on what did not reach one; send follows the
    // redirects of one request and reports the FE's health.

    /**
     * One request as the executor sends it to every hop.
     *
     * @param headers the caller's headers; Authorization and Expect are the executor's
     * @param body the body, or null for a request without one
     * @param credentials true to send the Authorization header (to every hop)
     */
    private record Call(String method, Map<String, String> headers, ChunkedBytes body, boolean credentials) {
        boolean hasBody() {
            return body != null;
        }
    }

    /** Reads the body of a final answer (one that is not followed). */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /**
     * What a request came to: the final answer (after any redirects) or the I/O failure that ended
     * it.
     *
     * @param fe the FE it was sent to, or null for a request to a URL the target named
     * @param status the final HTTP status, or -1 on failure
     * @param body the final answer's body as read, or null on failure
     * @param atFe true when the answer or failure came from the first hop, before any redirect
     */
    private record Outcome<T>(URI fe, int status, T body, IOException error, TransportFailure failure,
                              boolean atFe) {
        /** Failed at the FE before anything of the request was acted on: it may go to another FE. */
        boolean nothingReachedTheFe() {
            return failure != null && failure.nothingSent() && atFe;
        }
    }

    /** An answer as the executor looks at it; {@code followTo} is set for a redirect it follows. */
    private record Reply<T>(int status, String followTo, T body) {
    }

    /**
     * Sends {@code call} to {@code path} of the next healthy FE. When the FE got nothing of it (it
     * could not be connected to, the TLS handshake failed, or it stayed silent after a load's
     * head), the same request goes on to the next FE not tried yet.
     */
    private <T> Outcome<T> toFes(String path, Call call, BodyReader<T> reader) {
        Set<URI> tried = new LinkedHashSet<>();
        while (true) {
            URI fe = fes.next(tried);
            tried.add(fe);
            Outcome<T> outcome = send(fe, fe.resolve(path), call, reader);
            if (!outcome.nothingReachedTheFe() || tried.size() >= fes.all().size()) {
                return outcome;
            }
            log.debug("FE {} got nothing of a {} request ({}: {}); sending it to the next FE", fe, call.method(),
                    describe(outcome.failure()), outcome.error().toString());
        }
    }

    /**
     * Sends {@code call} to {@code target} and follows redirects. When {@code fe} is not null the
     * target is that FE: its answer, or the failure to get one, is reported to the {@link FeSelector}.
     * A load is cut at the load timeout; I/O failures are returned, not thrown.
     */
    private <T> Outcome<T> send(URI fe, URI target, Call call, BodyReader<T> reader) {
        AtomicBoolean cut = new AtomicBoolean();
        HttpUriRequestBase[] current = new HttpUriRequestBase[1];
        ScheduledFuture<?> deadline = call.hasBody() ? scheduleDeadline(cut, current) : null;
        boolean atFe = true;
        BatchBodyEntity entity = null;
        try {
            for (int hop = 0; ; hop++) {
                HttpUriRequestBase request = new HttpUriRequestBase(call.method(), target);
                call.headers().forEach(request::setHeader);
                if (call.credentials()) {
                    request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
                }
                HttpClientContext context = HttpClientContext.create();
                if (call.hasBody()) {
                    request.setHeader(HttpHeaders.EXPECT, "100-continue");
                    entity = new BatchBodyEntity(call.body(), compression);
                    request.setEntity(entity);
                    // An FE never gets the body unless it asks for it; a BE silent past the wait does.
                    context.setAttribute(BodyAfterContinueExecutor.BODY_AFTER_SILENT_WAIT, !atFe);
                } else {
                    request.setConfig(SMALL_REQUEST);
                }
                synchronized (current) {
                    current[0] = request;
                    if (cut.get()) {
                        request.cancel();
                    }
                }
                if (loadsAborted && call.hasBody()) {
                    throw new InterruptedIOException("the task is stopping: no load is sent any more");
                }
                inFlight.add(request);
                Reply<T> reply;
                try {
                    reply = execute(request, context, hop < MAX_REDIRECTS, reader);
                } finally {
                    inFlight.remove(request);
                }
                if (atFe && fe != null) {
                    reportFe(fe, reply.status());
                }
                if (reply.followTo() != null) {
                    target = redirectTarget(target, reply.followTo());
                    atFe = false;
                    continue;
                }
                return new Outcome<>(fe, reply.status(), reply.body(), null, null, atFe);
            }
        } catch (IOException e) {
            TransportFailure failure = cut.get() ? TransportFailure.LOAD_TIMEOUT
                    : classify(e, call.hasBody() ? entity != null && entity.sent() : true);
            if (atFe && fe != null) {
                fes.failed(fe, describe(failure) + ": " + e);
            }
            return new Outcome<>(fe, -1, null, e, failure, atFe);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /**
     * Executes one hop. A redirect with a Location is returned unread when it may be followed;
     * any other answer's body is read with {@code reader} (what it leaves is drained by the
     * client, so the connection can be reused).
     */
    private <T> Reply<T> execute(HttpUriRequestBase request, HttpClientContext context, boolean mayFollow,
                                 BodyReader<T> reader) throws IOException {
        try {
            return executeOnce(request, context, mayFollow, reader);
        } catch (IllegalStateException e) {
            // Cut (abort(), or the load timeout) while it waited for a connection of the pool (a
            // CancellationException), or between getting one and connecting it: an I/O failure
            // like a cut while it was being sent.
            if (e instanceof CancellationException || request.isCancelled()) {
                throw new InterruptedIOException("request cut before it was sent: " + e.getMessage());
            }
            throw e;
        }
    }

    private <T> Reply<T> executeOnce(HttpUriRequestBase request, HttpClientContext context, boolean mayFollow,
                                     BodyReader<T> reader) throws IOException {
        return http.execute(request, context, response -> {
            int status = response.getCode();
            Header location = response.getFirstHeader(HttpHeaders.LOCATION);
            if (mayFollow && isRedirect(status) && location != null) {
                return new Reply<>(status, location.getValue(), null);
            }
            HttpEntity entity = response.getEntity();
            InputStream content = entity == null ? null : entity.getContent();
            try (InputStream in = content == null ? InputStream.nullInputStream() : content) {
                return new Reply<>(status, null, reader.read(in));
            }
        });
    }

    /** Cuts the running request when the load timeout is reached: its connection is closed. */
    private ScheduledFuture<?> scheduleDeadline(AtomicBoolean cut, HttpUriRequestBase[] current) {
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
    private void reportFe(URI fe, int status) {
        if (status >= 500) {
            fes.failed(fe, "HTTP " + status);
        } else {
            fes.succeeded(fe);
        }
    }

    /**
     * Where an I/O failure struck, from its type and how far the request got.
     *
     * @param sent true once the whole request was handed to the connection (a request without a
     *     body is, once its head is: a failure after that struck while reading the reply)
     */
    static TransportFailure classify(IOException e, boolean sent) {
        if (e instanceof ConnectTimeoutException) {
            return TransportFailure.CONNECT_TIMEOUT;
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return TransportFailure.CONNECT_REFUSED;
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return TransportFailure.TLS_HANDSHAKE;
        }
        if (e instanceof SocketTimeoutException) {
            return TransportFailure.READ_TIMEOUT;
        }
        if (e instanceof ContinueTimeoutException) {
            return TransportFailure.NO_CONTINUE;
        }
        return sent ? TransportFailure.RESET_WHILE_READING : TransportFailure.RESET_WHILE_SENDING;
    }

    private static String describe(TransportFailure failure) {
        return failure.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String excerpt(String body) {
        String excerpt = body.strip().replaceAll("\\s+", " ");
        return excerpt.length() > 300 ? excerpt.substring(0, 300) + "..." : excerpt;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
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
}
