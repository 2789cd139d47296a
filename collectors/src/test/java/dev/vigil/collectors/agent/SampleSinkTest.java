package dev.vigil.collectors.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.runtime.metrics.RateTracker;

class SampleSinkTest {

    private static final long SECOND = 1_000_000_000L;

    private final RateTracker rates = new RateTracker();

    @Test
    void shouldTurnCountersIntoRatesAndDropNonFiniteReadingsInTheSink() {
        SampleSink first = new SampleSink(rates, 0);
        first.counter("system.network.io", "By/s", 1_000, Map.of("device", "eth0"));
        first.gauge("system.cpu.utilization", "1", Double.NaN, Map.of());
        SampleSink second = new SampleSink(rates, 2 * SECOND);
        second.counter("system.network.io", "By/s", 5_000, Map.of("device", "eth0"));

        assertThat(first.samples()).isEmpty();
        assertThat(first.dropped()).isEqualTo(1);
        assertThat(second.samples()).singleElement().satisfies(sample -> {
            assertThat(sample.getValue()).isEqualTo(2_000);
            assertThat(sample.getKind().name()).isEqualTo("COUNTER");
        });
    }
}
