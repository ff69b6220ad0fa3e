package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordIntakeTest {

    private final TaskThreads threads = new TaskThreads("intake-test", "0");
    private RecordIntake intake;

    @AfterEach
    void stop() {
        if (intake != null) {
            intake.close();
        }
        threads.joinAll(Duration.ofSeconds(10));
    }

    @Test
    void submitReturnsWhileTheRecordsAreStillBeingTakenAndAwaitWaitsForThem() throws Exception {
        CountDownLatch taking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> taken = new CopyOnWriteArrayList<>();
        intake = new RecordIntake((records, now) -> {
            taking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SinkRecord record : records) {
                taken.add(record.kafkaOffset());
            }
        }, threads.forRole("intake"), Duration.ofSeconds(10));

        intake.submit(records(0, 3));
        assertTrue(taking.await(10, TimeUnit.SECONDS), "the intake thread took the records");
        assertEquals(List.of(), taken, "submit() returned while the records were still being taken");
        release.countDown();
        assertNull(intake.await());
        assertEquals(List.of(0L, 1L, 2L), taken, "after await() every record handed over is taken");
    }

    @Test
    void collectionsAreTakenInTheOrderTheyWereHandedOverEvenWhenTheCallerReusesTheCollection() {
        List<Long> taken = new ArrayList<>();
        intake = new RecordIntake((records, now) -> {
            for (SinkRecord record : records) {
                taken.add(record.kafkaOffset());
            }
        }, threads.forRole("intake"), Duration.ofSeconds(10));
        List<SinkRecord> reused = new ArrayList<>();
        for (int batch = 0; batch < 50; batch++) {
            reused.clear();
            reused.addAll(records(batch * 10L, 10));
            intake.submit(reused);
            reused.clear(); // the worker hands a new list each time; a caller that reuses one loses nothing
            assertNull(intake.await());
        }
        List<Long> expected = new ArrayList<>();
        for (long offset = 0; offset < 500; offset++) {
            expected.add(offset);
        }
        assertEquals(expected, taken);
    }

    @Test
    void aFailureStopsItsCollectionAndIsReturnedUntilTheTaskEnds() {
        List<Long> taken = new ArrayList<>();
        ConnectException bad = new ConnectException("Cannot load the record at offset 2");
        intake = new RecordIntake((records, now) -> {
            for (SinkRecord record : records) {
                if (record.kafkaOffset() == 2) {
                    throw bad;
                }
                taken.add(record.kafkaOffset());
            }
        }, threads.forRole("intake"), Duration.ofSeconds(10));

        intake.submit(records(0, 5));
        assertSame(bad, intake.await());
        assertEquals(List.of(0L, 1L), taken, "records before the bad one are taken, none after it");
        assertSame(bad, intake.await(), "the failure stays");
        assertThrows(IllegalStateException.class, () -> intake.submit(records(5, 1)),
                "nothing more is taken after a failure");
    }

    @Test
    void anUnexpectedErrorBecomesAConnectExceptionNamingIt() {
        intake = new RecordIntake((records, now) -> {
            throw new IllegalStateException("the task is stopping; no records are taken");
        }, threads.forRole("intake"), Duration.ofSeconds(10));
        intake.submit(records(0, 1));
        ConnectException failure = intake.await();
        assertTrue(failure.getMessage().contains("the task is stopping"), failure.getMessage());
    }

    @Test
    void submittingBeforeThePreviousRecordsAreTakenIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        intake = new RecordIntake((records, now) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threads.forRole("intake"), Duration.ofSeconds(10));
        intake.submit(records(0, 1));
        assertThrows(IllegalStateException.class, () -> intake.submit(records(1, 1)),
                "two collections on their way at once would break the bound on the buffers");
        release.countDown();
        assertNull(intake.await());
    }

    @Test
    void closeEndsTheThreadEvenWhileItIsTaking() throws Exception {
        CountDownLatch taking = new CountDownLatch(1);
        intake = new RecordIntake((records, now) -> {
            taking.countDown();
            try {
                new CountDownLatch(1).await(); // a DDL statement that does not come back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threads.forRole("intake"), Duration.ofSeconds(10));
        intake.submit(records(0, 1));
        assertTrue(taking.await(10, TimeUnit.SECONDS));
        intake.close();
        intake = null;
        threads.joinAll(Duration.ofSeconds(10));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith(TaskThreads.PREFIX + "intake-test-0-intake")),
                "no intake thread left");
    }

    private static List<SinkRecord> records(long first, int count) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            records.add(new SinkRecord("topic", 0, null, null, null, "{\"id\":" + offset + "}", offset));
        }
        return records;
    }
}
