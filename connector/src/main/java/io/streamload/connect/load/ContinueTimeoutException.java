package io.streamload.connect.load;

import java.io.IOException;
import java.time.Duration;

/**
 * A server sent neither {@code 100 Continue} nor an answer within the wait after a request head
 * with {@code Expect: 100-continue}, and the body was kept back: not one byte of it was sent, so
 * the request cannot have loaded anything.
 */
final class ContinueTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    ContinueTimeoutException(Duration wait) {
        super("no 100 Continue and no answer within " + wait.toMillis() + " ms of the request head; "
                + "the body was not sent");
    }
}
