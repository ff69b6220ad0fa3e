package io.streamload.connect.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.streamload.connect.buffer.Batch;
import io.streamload.connect.buffer.ChunkedBytes;
import io.streamload.connect.buffer.RowIndex;
import io.streamload.connect.testing.Conditions;

class LoadSchedulerTest {

    private final List<String> loaded = Collections.synchronizedList(new ArrayList<>());
    private final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    private LoadScheduler scheduler;

    @AfterEach
    void shutdown() {
        if (scheduler != null) {
            scheduler.shutdown(Duration.ofSeconds(5), () -> { });
        }
    }

    @Test
    void loadsOfOneTableRunInOrderOneAtATime() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        scheduler = scheduler(4, batch -> {
            if (running.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            running.decrementAndGet();
            return new LoadResult(1, "test", -1);
        });
        for (int i = 0; i < 50; i++) {
            scheduler.submit(batch("t", "l" + i, 10));
        }
        assertTrue(scheduler.awaitFinished(b -> true, Duration.ofSeconds(10)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("l" + i);
        }
        assertEquals(expected, loaded);
        assertFalse(overlapped.get());
    }

    @Test
    void atMostMaxInFlightLoadsRunAndTablesTakeTurns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoStarted = new CountDownLatch(2);
        ConcurrentHashMap.KeySetView<String, Boolean> started = ConcurrentHashMap.newKeySet();
        scheduler = scheduler(2, batch -> {
            started.add(batch.table());
            twoStarted.countDown();
            release.await();
            return new LoadResult(1, "test", -1);
        });
        scheduler.submit(batch("a", "a1", 100));
        scheduler.submit(batch("a", "a2", 100));
        scheduler.submit(batch("b", "b1", 100));
        scheduler.submit(batch("c", "c1", 100));
        assertTrue(twoStarted.await(10, TimeUnit.SECONDS));
        assertEquals(2, started.size(), "two tables load, the rest wait");
        assertEquals(400, scheduler.pendingBytes());
        release.countDown();
        assertTrue(scheduler.awaitPendingBytesAtMost(0, Duration.ofSeconds(10)));
        assertEquals(4, loaded.size());
    }

    @Test
    void afterAFailureNothingMoreIsLoaded() throws Exception {
        CountDownLatch failNow = new CountDownLatch(1);
        scheduler = scheduler(1, batch -> {
            if (batch.label().equals("bad")) {
                failNow.await();
                throw new LoadFailedException("refused");
            }
            return new LoadResult(1, "test", -1);
        });
        scheduler.submit(batch("t", "bad", 10));
        scheduler.submit(batch("t", "queued", 10));
        failNow.countDown();
        assertTrue(scheduler.awaitFinished(b -> true, Duration.ofSeconds(10)));
        scheduler.submit(batch("t", "later", 10));
        assertTrue(scheduler.awaitFinished(b -> true, Duration.ofSeconds(10)));
        assertNotNull(scheduler.failure());
        assertEquals(List.of("bad"), failed);
        assertEquals(List.of(), loaded);
        assertEquals(0, scheduler.pendingBytes());
    }

    @Test
    void aTableWithAHigherLimitRunsThatManyLoadsAtOnceAndOthersStayInOrder() throws Exception {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        scheduler = new LoadScheduler(8, runnable -> new Thread(runnable, "test-load"), batch -> {
            int now = running.computeIfAbsent(batch.table(), t -> new AtomicInteger()).incrementAndGet();
            most.computeIfAbsent(batch.table(), t -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            release.await();
            running.get(batch.table()).decrementAndGet();
            return new LoadResult(1, "test", -1);
        }, listener(), new AtomicBoolean(), table -> {
            asked.computeIfAbsent(table, t -> new AtomicInteger()).incrementAndGet();
            return table.equals("dup") ? 3 : 1;
        });
        for (int i = 0; i < 6; i++) {
            scheduler.submit(batch("dup", "d" + i, 10));
            scheduler.submit(batch("keyed", "k" + i, 10));
        }
        Conditions.waitFor(() -> running.containsKey("dup") && running.get("dup").get() == 3, Duration.ofSeconds(10),
                "three loads of the duplicate key table at once");
        release.countDown();
        assertTrue(scheduler.awaitFinished(b -> true, Duration.ofSeconds(10)));
        assertEquals(3, most.get("dup").get(), "never more than the table's limit");
        assertEquals(1, most.get("keyed").get(), "a table limited to one never overlaps");
        assertEquals(List.of("k0", "k1", "k2", "k3", "k4", "k5"),
                loaded.stream().filter(label -> label.startsWith("k")).toList(), "one at a time is in order");
        assertEquals(6, loaded.stream().filter(label -> label.startsWith("d")).count());
        assertEquals(1, asked.get("dup").get(), "each table's limit is asked once");
        assertEquals(1, asked.get("keyed").get());
        assertEquals(0, scheduler.pendingBytes());
    }

    @Test
    void aLimitThatCannotBeFoundOutMeansOneAtATime() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        scheduler = new LoadScheduler(4, runnable -> new Thread(runnable, "test-load"), batch -> {
            if (running.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            running.decrementAndGet();
            return new LoadResult(1, "test", -1);
        }, listener(), new AtomicBoolean(), table -> {
            throw new IllegalStateException("the FE is unreachable");
        });
        for (int i = 0; i < 20; i++) {
            scheduler.submit(batch("t", "l" + i, 10));
        }
        assertTrue(scheduler.awaitFinished(b -> true, Duration.ofSeconds(10)));
        assertEquals(20, loaded.size());
        assertFalse(overlapped.get());
    }

    @Test
    void shutdownAbandonsStuckLoadsAfterTheGrace() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean aborted = new AtomicBoolean();
        scheduler = scheduler(1, batch -> {
            never.await();
            return new LoadResult(1, "test", -1);
        });
        scheduler.submit(batch("t", "stuck", 10));
        long started = System.nanoTime();
        scheduler.shutdown(Duration.ofMillis(100), () -> aborted.set(true));
        assertTrue(aborted.get());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
        assertEquals(List.of(), loaded);
        scheduler = null;
    }

    private LoadScheduler scheduler(int maxInFlight, LoadScheduler.LoadFunction function) {
        return new LoadScheduler(maxInFlight, runnable -> new Thread(runnable, "test-load"), function, listener(),
                new AtomicBoolean());
    }

    private LoadListener listener() {
        return new LoadListener() {
            @Override
            public void done(Batch batch, LoadResult result) {
                loaded.add(batch.label());
            }

            @Override
            public void failed(Batch batch, LoadFailedException failure) {
                failed.add(batch.label());
            }
        };
    }

    private static Batch batch(String table, String label, int bytes) {
        ChunkedBytes body = new ChunkedBytes();
        body.write(new byte[bytes], 0, bytes);
        return new Batch(table, label, body, 1, List.of(), List.of(), new RowIndex(false));
    }
}
