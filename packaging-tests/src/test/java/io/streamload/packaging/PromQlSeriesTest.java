package io.streamload.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** The dashboard check rests on reading metric names out of PromQL: functions, labels and strings are not names. */
class PromQlSeriesTest {

    @Test
    void readsTheSeriesAndNothingElse() {
        assertEquals(Set.of("a_total", "b_offset", "lag"), PromQlSeries.in(
                "sum by (connector, table) (rate(a_total{connector=~\"$connector\", x=\"rate(c_total)\"}[$__rate_interval]))"
                        + " - on (connector, task) group_left (fe) b_offset + ignoring(task) lag >= 0"));
    }

    @Test
    void aBareSeriesAndAComparisonWithANumber() {
        assertEquals(Set.of("streamload_sink_fe_up"), PromQlSeries.in("min(streamload_sink_fe_up) < 1e3"));
        assertEquals(Set.of("x"), PromQlSeries.in("x offset 5m and bool 2"));
    }
}
