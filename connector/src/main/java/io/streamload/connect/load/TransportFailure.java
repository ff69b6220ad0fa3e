package io.streamload.connect.load;

/**
 * How a load attempt failed when no HTTP reply came back. Where it failed decides what is known:
 * before anything was sent the load certainly did not happen; once the body was on its way only
 * the label can tell.
 */
public enum TransportFailure {
    /** The connection could not be opened: refused, or the host name does not resolve. Nothing sent. */
    CONNECT_REFUSED,
    /** Opening the connection took longer than {@code load.connect.timeout.ms}. Nothing sent. */
    CONNECT_TIMEOUT,
    /** The TLS handshake failed (certificate not trusted, wrong host name). Nothing sent. */
    TLS_HANDSHAKE,
    /**
     * The FE sent neither {@code 100 Continue} nor an answer within
     * {@code load.expect.continue.timeout.ms} of the request head, so the body was kept back.
     * Nothing of the load sent.
     */
    NO_CONTINUE,
    /** The connection broke before the whole body was sent. */
    RESET_WHILE_SENDING,
    /** The connection broke after the body was sent, before a reply came. */
    RESET_WHILE_READING,
    /** No byte moved for {@code load.socket.timeout.ms}. */
    READ_TIMEOUT,
    /** The whole request took longer than {@code load.timeout.ms} and was cut. */
    LOAD_TIMEOUT;

    /** True when the request cannot have reached the target, so it cannot have loaded anything. */
    public boolean nothingSent() {
        return this == CONNECT_REFUSED || this == CONNECT_TIMEOUT || this == TLS_HANDSHAKE || this == NO_CONTINUE;
    }
}
