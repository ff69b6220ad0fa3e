package io.streamload.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void reportsTheProjectVersion() {
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+.*"), Version.get());
        assertEquals(Version.get(), new StreamLoadSinkConnector().version());
        assertEquals(Version.get(), new StreamLoadSinkTask().version());
    }
}
