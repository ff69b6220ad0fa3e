package io.streamload.quickstart;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sample orders for {@code demo.orders}: mostly good, plus one bad record of each kind a user
 * meets in practice, placed at fixed positions so the summary can say what to expect.
 */
final class SampleOrders {

    /** The table the orders go to; for a real target the quickstart prints this DDL. */
    static final String DDL = """
            CREATE TABLE %s.orders (
              id BIGINT NOT NULL,
              customer VARCHAR(16) NOT NULL,
              amount DECIMAL(10,2),
              created_at DATETIME
            ) PRIMARY KEY (id) DISTRIBUTED BY HASH (id);""";

    /** Bad values, each rejected for a different reason. */
    static final List<String> BAD = List.of(
            "{\"id\":%d,\"customer\":null,\"amount\":\"10.00\",\"created_at\":\"2024-05-01 10:00:00\"}",
            "{\"id\":%d,\"customer\":\"a-customer-name-far-longer-than-sixteen\",\"amount\":\"10.00\",\"created_at\":\"2024-05-01 10:00:00\"}",
            "{\"id\":%d,\"customer\":\"bob\",\"amount\":\"10.00\",\"created_at\":\"yesterday at noon\"}",
            "{\"id\":%d,\"customer\":\"eve\",\"amount\":\"ten\",\"created_at\":\"2024-05-01 10:00:00\"}",
            "{\"id\":%d, \"customer\": \"mallory\", \"amount\": 10.00,",
            "not json at all (order %d)",
            "{\"id\":%d,\"customer\":\"zoe\",\"amount\":\"10.00\",\"created_at\":\"2024-13-45 25:61:00\"}",
            "{\"id\":%d,\"customer\":null,\"amount\":null,\"created_at\":null}");

    private final int count;

    SampleOrders(int count) {
        this.count = count;
    }

    /** How many of the produced records are bad. */
    int badCount() {
        return Math.min(BAD.size(), count);
    }

    /** Produces {@code count} orders, bad ones spread evenly; returns how many were sent. */
    int produce(KafkaProducer<byte[], byte[]> producer, String topic, int partitions) {
        int step = Math.max(1, count / Math.max(1, badCount()));
        for (int id = 1; id <= count; id++) {
            int badIndex = (id % step == 0) ? id / step - 1 : -1;
            String value = badIndex >= 0 && badIndex < badCount() ? String.format(BAD.get(badIndex), id) : good(id);
            producer.send(new ProducerRecord<>(topic, id % partitions, Integer.toString(id).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        return count;
    }

    private static String good(int id) {
        String[] customers = {"ada", "grace", "linus", "barbara", "ken", "margaret"};
        return String.format("{\"id\":%d,\"customer\":\"%s\",\"amount\":\"%d.%02d\",\"created_at\":\"2024-05-%02d %02d:%02d:00\"}",
                id, customers[id % customers.length], 5 + id % 200, id % 100, 1 + id % 28, id % 24, id % 60);
    }
}
