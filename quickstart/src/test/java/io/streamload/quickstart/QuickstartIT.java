package io.streamload.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/**
 * The quickstart end to end, non-interactive, as README's first command runs it (minus the
 * build): real broker, real distributed worker registered through REST, emulator, MariaDB.
 */
class QuickstartIT {

    @Test
    void loadsTheGoodOrdersAndExplainsTheBadOnes() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int exit = Quickstart.run(List.of("--non-interactive", "--records", "400",
                "--rest-port", Integer.toString(freePort()), "--emulator-port", Integer.toString(freePort()),
                "--mysql-port", Integer.toString(freePort())), out, Map.of(), new CountDownLatch(0));
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, printed);
        assertTrue(printed.contains("Rows loaded:            392 in demo.orders (emulator)"), printed);
        assertTrue(printed.contains("DLQ records:            8 in topic orders-dlq"), printed);
        assertTrue(printed.contains("load_errors rows:       8"), printed);
        assertTrue(printed.contains("NULL value in non-nullable column 'customer'"), printed);
        assertTrue(printed.contains("is too long. The type of 'customer' is VARCHAR(16)"), printed);
        assertTrue(printed.contains("the value is not a valid JSON object"), printed);
        assertTrue(printed.contains("8 rows in set"), "SHOW LOAD WARNINGS lists the 8 rejected rows: " + printed);
        assertTrue(printed.contains("records written to the DLQ:    8"), printed);
        assertTrue(printed.contains("Every order is either loaded or in the DLQ with its reason."), printed);
    }

    @Test
    void aTakenPortIsOneClearLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int exit = Quickstart.run(List.of("--rest-port", Integer.toString(taken.getLocalPort())),
                    new PrintStream(buffer, true, StandardCharsets.UTF_8), Map.of(), new CountDownLatch(0));
            assertEquals(2, exit);
            assertEquals("error: port " + taken.getLocalPort() + " (Connect REST) is taken: stop what uses it or pass "
                    + "--rest-port with a free port", buffer.toString(StandardCharsets.UTF_8).trim());
        }
    }

    @Test
    void badOptionsNameWhatToChange() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = Quickstart.run(List.of("--records", "many"), new PrintStream(buffer, true, StandardCharsets.UTF_8),
                Map.of(), new CountDownLatch(0));
        assertEquals(2, exit);
        assertEquals("error: --records must be a whole number of at least 1, got 'many'",
                buffer.toString(StandardCharsets.UTF_8).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
