package io.streamload.emulator.http;

import java.io.IOException;

/** Answers the requests that reach one listener. */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handle one request. Either return a response, or call {@link Exchange#reset()} and return null
     * to drop the connection without answering.
     */
    HttpResponse handle(HttpRequest request, Exchange exchange) throws IOException;
}
