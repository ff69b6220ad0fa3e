package io.streamload.emulator.http;

import java.io.IOException;
import java.net.Socket;

/** What a handler may do to the connection besides answering: reset it, as a crashing peer would. */
public final class Exchange {
    private final Socket socket;
    private boolean reset;

    Exchange(Socket socket) {
        this.socket = socket;
    }

    /** Abort the connection with a TCP RST: the client sees "connection reset", no response at all. */
    public void reset() {
        reset = true;
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // The connection is gone either way.
        }
    }

    boolean wasReset() {
        return reset;
    }

    public int localPort() {
        return socket.getLocalPort();
    }
}
