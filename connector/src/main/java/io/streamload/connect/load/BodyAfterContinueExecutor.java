package io.streamload.connect.load;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import javax.net.ssl.SSLException;

import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.MessageSupport;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.Closer;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends the body of a request with {@code Expect: 100-continue} only after the server asked for
 * it with {@code 100 Continue}.
 *
 * <p>Why: a StarRocks or Doris FE never wants a Stream Load body. It answers the request head
 * with a 307 to a BE (or a 401, or a 200 {@code Fail}), and since StarRocks 3.3 closes the
 * socket right after. httpcore's own executor sends the body after any final answer below 400,
 * the 307 included, after a 401 too when the body is at most 1024 bytes, and after 3 s of
 * silence: against a current FE that ends in a broken pipe or a reset, against an older one the
 * body crosses the network twice, once for nothing. Here, for a request with a body and Expect:
 * <ul>
 *   <li>{@code 100 Continue}: the body is sent and the answer read as usual;</li>
 *   <li>a final answer first: not one byte of the body is sent. The answer's own body is read
 *   into memory and the connection closed (it cannot be reused: the server still waits for the
 *   body the head announced), then the answer is returned;</li>
 *   <li>silence for the whole wait: when the request's context allows it
 *   ({@link #BODY_AFTER_SILENT_WAIT}: a BE, which reads bodies) the body is sent, as HTTP/1.1
 *   lets a client do; otherwise the connection is closed and {@link ContinueTimeoutException}
 *   thrown, nothing of the body sent.</li>
 * </ul>
 * Requests without a body or without Expect go through httpcore's executor unchanged.
 */
final class BodyAfterContinueExecutor extends HttpRequestExecutor {

    /**
     * Context attribute: {@link Boolean#TRUE} when a server that neither asks for the body nor
     * answers within the wait gets the body all the same (a BE). Absent or false: it never does
     * (an FE, which never reads a body).
     */
    static final String BODY_AFTER_SILENT_WAIT = "io.streamload.connect.body-after-silent-wait";

    /** The most of an early answer's body kept; such answers are a redirect or an error message. */
    static final int MAX_EARLY_ANSWER_BYTES = 1024 * 1024;

    private final Duration waitForContinue;

    /**
     * @param waitForContinue how long to wait for {@code 100 Continue} or an answer after
     *     sending a request head with Expect
     */
    BodyAfterContinueExecutor(Duration waitForContinue) {
        super(Http1Config.custom().setWaitForContinueTimeout(Timeout.of(waitForContinue)).build(), null, null);
        this.waitForContinue = waitForContinue;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                                       HttpResponseInformationCallback informationCallback, HttpContext context)
            throws IOException, HttpException {
        if (request.getEntity() == null || !expectsContinue(request)) {
            return super.execute(request, conn, informationCallback, context);
        }
        try {
            HttpCoreContext coreContext = HttpCoreContext.castOrCreate(context);
            coreContext.setSSLSession(conn.getSSLSession());
            coreContext.setEndpointDetails(conn.getEndpointDetails());
            conn.sendRequestHeader(request);
            conn.flush();
            ClassicHttpResponse early = awaitContinue(request, conn, informationCallback, context);
            if (early != null) {
                return answeredBeforeTheBody(request, early, conn);
            }
            conn.sendRequestEntity(request);
            conn.flush();
            ClassicHttpResponse response = finalAnswer(conn, informationCallback, context);
            if (MessageSupport.canResponseHaveBody(request.getMethod(), response)) {
                conn.receiveResponseEntity(response);
            }
            return response;
        } catch (HttpException | SSLException e) {
            Closer.closeQuietly(conn);
            throw e;
        } catch (IOException | RuntimeException e) {
            Closer.close(conn, CloseMode.IMMEDIATE);
            throw e;
        }
    }

    private static boolean expectsContinue(ClassicHttpRequest request) {
        Header expect = request.getFirstHeader(HttpHeaders.EXPECT);
        return expect != null && HeaderElements.CONTINUE.equalsIgnoreCase(expect.getValue().trim());
    }

    /**
     * Waits for the server's word on the head: null when the body is to be sent ({@code 100
     * Continue}, or silence where the context allows the body), else the final answer.
     */
    private ClassicHttpResponse awaitContinue(ClassicHttpRequest request, HttpClientConnection conn,
                                              HttpResponseInformationCallback informationCallback,
                                              HttpContext context) throws IOException, HttpException {
        long deadline = System.nanoTime() + waitForContinue.toNanos();
        while (true) {
            long leftMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
            if (!answeredOrClosed(conn, Timeout.ofMilliseconds(leftMs))) {
                if (Boolean.TRUE.equals(context.getAttribute(BODY_AFTER_SILENT_WAIT))) {
                    return null;
                }
                throw new ContinueTimeoutException(waitForContinue);
            }
            // An answer, or the server closed without one: then this throws that it did not answer.
            ClassicHttpResponse head = conn.receiveResponseHeader();
            int status = head.getCode();
            if (status == HttpStatus.SC_CONTINUE) {
                return null;
            }
            if (status >= HttpStatus.SC_SUCCESS) {
                return head;
            }
            if (status < HttpStatus.SC_INFORMATIONAL) {
                throw new ProtocolException("Invalid response status " + status + " to " + request.getMethod());
            }
            if (informationCallback != null) {
                informationCallback.execute(head, conn, context);
            }
        }
    }

    /**
     * True when the server said something within {@code wait}, or closed the connection; false
     * when it stayed silent. httpcore reads a closed connection as "no data", so it is asked
     * apart: a closed connection is stale, and an answer that came just now is buffered data.
     */
    private static boolean answeredOrClosed(HttpClientConnection conn, Timeout wait) throws IOException {
        return conn.isDataAvailable(wait) || conn.isStale() || conn.isDataAvailable(Timeout.ofMilliseconds(1));
    }

    /** Reads up to the final answer after the body was sent, handing other 1xx to the callback. */
    private static ClassicHttpResponse finalAnswer(HttpClientConnection conn,
                                                   HttpResponseInformationCallback informationCallback,
                                                   HttpContext context) throws IOException, HttpException {
        while (true) {
            ClassicHttpResponse response = conn.receiveResponseHeader();
            int status = response.getCode();
            if (status >= HttpStatus.SC_SUCCESS) {
                return response;
            }
            if (status < HttpStatus.SC_INFORMATIONAL) {
                throw new ProtocolException("Invalid response status " + status);
            }
            if (informationCallback != null && status != HttpStatus.SC_CONTINUE) {
                informationCallback.execute(response, conn, context);
            }
        }
    }

    /**
     * The server answered before the body: keep its answer in memory and close the connection,
     * which still owes the body its head announced and so can never carry another request.
     */
    private static ClassicHttpResponse answeredBeforeTheBody(ClassicHttpRequest request, ClassicHttpResponse response,
                                                             HttpClientConnection conn)
            throws IOException, HttpException {
        if (MessageSupport.canResponseHaveBody(request.getMethod(), response)) {
            conn.receiveResponseEntity(response);
            HttpEntity incoming = response.getEntity();
            if (incoming != null) {
                byte[] bytes;
                // Not closed: closing would read the rest of a longer body; the connection goes.
                InputStream in = incoming.getContent();
                bytes = in == null ? new byte[0] : in.readNBytes(MAX_EARLY_ANSWER_BYTES);
                response.setEntity(new ByteArrayEntity(bytes, ContentType.parseLenient(incoming.getContentType()),
                        incoming.getContentEncoding()));
            }
        }
        conn.close();
        return response;
    }
}
