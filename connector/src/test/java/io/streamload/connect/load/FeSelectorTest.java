package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** FE health as nginx's max_fails/fail_timeout track it, on a clock the test moves. */
class FeSelectorTest {

    private static final URI A = URI.create("http://a:8030");
    private static final URI B = URI.create("http://b:8030");
    private static final URI C = URI.create("http://c:8030");

    private final AtomicLong clock = new AtomicLong(1_000);
    private final FeSelector fes = new FeSelector(List.of(A, B, C), 3, Duration.ofSeconds(60), clock::get);

    @Test
    void roundRobinOverHealthyFes() {
        assertEquals(List.of(A, B, C, A, B, C), take(6));
    }

    @Test
    void maxFailsConsecutiveFailuresMarkAnFeDownUntilTheFailTimeout() {
        fes.failed(B, "Connection refused");
        fes.failed(B, "Connection refused");
        assertEquals(List.of(A, B, C), take(3), "two failures of three: still up");
        fes.failed(B, "Connection refused");
        assertEquals(List.of(A, C, A, C), take(4), "three consecutive failures: skipped");

        clock.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(take(6).contains(B), "still down before fail_timeout");
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(take(3).contains(B), "tried again after fail_timeout");
    }

    @Test
    void aProbeThatFailsMarksTheFeDownAgainAtOnce() {
        for (int i = 0; i < 3; i++) {
            fes.failed(B, "reset");
        }
        clock.addAndGet(Duration.ofSeconds(60).toNanos());
        fes.failed(B, "reset");
        assertFalse(take(6).contains(B));
    }

    @Test
    void aSuccessResetsTheCount() {
        fes.failed(B, "reset");
        fes.failed(B, "reset");
        fes.succeeded(B);
        fes.failed(B, "reset");
        fes.failed(B, "reset");
        assertTrue(take(3).contains(B), "failures are counted since the last success");
    }

    @Test
    void whenAllAreDownTheOneBackFirstIsStillTried() {
        for (URI fe : List.of(B, A, C)) {
            for (int i = 0; i < 3; i++) {
                fes.failed(fe, "Connection refused");
            }
            clock.addAndGet(1_000);
        }
        assertTrue(fes.allDown());
        assertEquals(B, fes.next(), "B's down period ends first");
        assertEquals(A, fes.next(Set.of(B)), "a request that could not reach B goes on to another FE");
        String description = fes.describe();
        assertTrue(description.contains("http://a:8030 down (consecutive failures 3, last error: Connection refused)"),
                description);
        assertTrue(description.contains("http://c:8030 down"), description);
    }

    @Test
    void nextSkipsTriedFes() {
        assertEquals(B, fes.next(Set.of(A)));
        assertEquals(C, fes.next(Set.of(A, B)));
    }

    @Test
    void maxFailsZeroNeverMarksAnFeDown() {
        FeSelector lenient = new FeSelector(List.of(A, B), 0, Duration.ofSeconds(60), clock::get);
        for (int i = 0; i < 10; i++) {
            lenient.failed(A, "refused");
        }
        assertFalse(lenient.allDown());
        assertEquals(List.of(A, B), List.of(lenient.next(), lenient.next()));
    }

    private List<URI> take(int n) {
        List<URI> picked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picked.add(fes.next());
        }
        return picked;
    }
}
