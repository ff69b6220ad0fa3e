package io.streamload.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkConnector;

/** The topics a task's configuration lists by name ({@code topics}); none when it uses {@code topics.regex}. */
final class TaskTopics {

    private TaskTopics() {
    }

    static List<String> listed(Map<String, String> props) {
        List<String> topics = new ArrayList<>();
        String listed = props.get(SinkConnector.TOPICS_CONFIG);
        if (listed != null) {
            for (String topic : listed.split(",")) {
                if (!topic.isBlank()) {
                    topics.add(topic.trim());
                }
            }
        }
        return topics;
    }
}
