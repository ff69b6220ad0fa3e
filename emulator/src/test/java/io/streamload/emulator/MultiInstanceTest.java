package io.streamload.emulator;

import static io.streamload.emulator.Fixtures.DB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several emulators run side by side, each with its own ports, tables and labels. */
class MultiInstanceTest {

    @Test
    void instancesAreIndependent() {
        try (StreamLoadEmulator a = Fixtures.start(Dialect.STARROCKS);
             StreamLoadEmulator b = Fixtures.start(Dialect.STARROCKS);
             StreamLoadEmulator c = Fixtures.builder(Dialect.DORIS).backends(2).start()) {
            Set<String> urls = new HashSet<>();
            for (StreamLoadEmulator e : List.of(a, b, c)) {
                e.createTable(Fixtures.duplicate("t"));
                urls.add(e.feUrl());
                for (int i = 0; i < e.backendCount(); i++) {
                    urls.add(e.beUrl(i));
                }
            }
            assertEquals(7, urls.size(), "every listener has its own port: " + urls);

            assertEquals("Success", Fixtures.load(a, "t", "1\ta\t1\n", "label", "same").get("Status").asText());
            assertEquals("Success", Fixtures.load(b, "t", "1\ta\t1\n2\tb\t2\n", "label", "same").get("Status").asText());
            assertEquals("Success", Fixtures.load(c, "t", "1\ta\t1\n2\tb\t2\n3\tc\t3\n", "label", "same")
                    .get("Status").asText());

            assertEquals(1, a.rowCount(DB, "t"));
            assertEquals(2, b.rowCount(DB, "t"));
            assertEquals(3, c.rowCount(DB, "t"));

            a.inject(Fault.of(FaultKind.HTTP_503_BEFORE_LOAD));
            assertEquals(200, Fixtures.streamLoad(b, "t").body("9\tz\t9\n").go().status(), "faults stay in their instance");
            a.close();
            assertEquals(200, Fixtures.streamLoad(c, "t").body("9\tz\t9\n").go().status());
        }
    }
}
