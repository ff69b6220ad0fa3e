package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.streamload.connect.testing.FakeSinkTaskContext;
import io.streamload.emulator.Dialect;
import io.streamload.emulator.Fault;
import io.streamload.emulator.FaultKind;
import io.streamload.emulator.StreamLoadEmulator;
import io.streamload.emulator.table.TableDefinition;

/**
 * Doris' FE redirects each load to a Location that embeds {@code user:password@}. Whatever the
 * task logs on the way (retries after a 502, a load refused for its rows, the failure that stops
 * the task) must never show the password: everything the task writes to the log is captured and
 * searched.
 */
class CredentialsNeverLoggedTest {

    private static final String PASSWORD = "Pw-9f3a-do-not-log";

    @Test
    void theDorisRedirectPasswordNeverReachesTheLog() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
        try (StreamLoadEmulator emulator = StreamLoadEmulator.builder().dialect(Dialect.DORIS)
                .credentials("loader", PASSWORD).start()) {
            emulator.createTable(TableDefinition.builder("db", "t")
                    .column("id", "BIGINT", false)
                    .duplicateKey("id")
                    .build());
            emulator.inject(Fault.of(FaultKind.HTTP_502_AFTER_COMMIT).table("t").times(2));
            StreamLoadSinkTask task = start(emulator);
            try {
                task.put(records(0, 10, -1));
                assertEquals(Map.of(new TopicPartition("topic", 0), new OffsetAndMetadata(10)),
                        task.preCommit(Map.of()));
                task.put(records(10, 10, 15));
                ConnectException failure = assertThrows(ConnectException.class, () -> {
                    task.preCommit(Map.of());
                    task.put(List.of());
                });
                assertTrue(failure.getMessage().contains("too many filtered rows"), failure.getMessage());
                assertFalse(failure.getMessage().contains(PASSWORD), "the failure message");
            } finally {
                task.stop();
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("502"), "the retries were logged: " + log);
        assertFalse(log.contains(PASSWORD), "the password appears in the log");
    }

    private static StreamLoadSinkTask start(StreamLoadEmulator emulator) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "credentials");
        props.put("target", "doris");
        props.put("topics", "topic");
        props.put("load.urls", emulator.feUrl());
        props.put("load.user", "loader");
        props.put("load.password", PASSWORD);
        props.put("load.database", "db");
        props.put("topic2table.map", "topic:t");
        props.put("retry.backoff.ms", "20");
        props.put("buffer.flush.interval.ms", "3600000");
        StreamLoadSinkTask task = new StreamLoadSinkTask();
        FakeSinkTaskContext context = new FakeSinkTaskContext(props);
        task.initialize(context);
        task.start(props);
        context.assign(List.of(new TopicPartition("topic", 0)));
        task.open(List.of(new TopicPartition("topic", 0)));
        return task;
    }

    /** Records with ids from {@code first}; the one at {@code badOffset} has a NULL id. */
    private static List<SinkRecord> records(long first, int count, long badOffset) {
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = first; offset < first + count; offset++) {
            String value = offset == badOffset ? "{\"id\":null}" : "{\"id\":" + offset + "}";
            records.add(new SinkRecord("topic", 0, null, null, null, value, offset));
        }
        return records;
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
