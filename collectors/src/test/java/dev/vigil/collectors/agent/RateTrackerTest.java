package dev.vigil.collectors.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RateTrackerTest {

    private static final long SECOND = 1_000_000_000L;

    private final RateTracker rates = new RateTracker();

    @Test
    void shouldEmitNothingOnTheFirstReadingSoARestartNeverLooksLikeASpike() {
        assertThat(rates.rate("eth0.rx", 1_000_000, 0)).isEmpty();
    }

    @Test
    void shouldGiveThePerSecondRateBetweenReadings() {
        rates.rate("eth0.rx", 1_000, 0);

        assertThat(rates.rate("eth0.rx", 21_000, 10 * SECOND)).hasValueCloseTo(2_000.0, within(1e-9));
    }

    @Test
    void shouldEmitNothingWhenTheCounterWasResetAndResumeAfter() {
        rates.rate("eth0.rx", 50_000, 0);

        assertThat(rates.rate("eth0.rx", 100, SECOND)).isEmpty();
        assertThat(rates.rate("eth0.rx", 600, 2 * SECOND)).hasValueCloseTo(500.0, within(1e-9));
    }

    @Test
    void shouldEmitNothingForTwoReadingsAtTheSameInstant() {
        rates.rate("disk", 1, SECOND);

        assertThat(rates.rate("disk", 2, SECOND)).isEmpty();
    }

    @Test
    void shouldForgetSeriesNotReadForLong() {
        rates.rate("vanished-nic", 1, 0);
        for (int i = 0; i < 3; i++) {
            rates.endTick(2);
        }

        assertThat(rates.size()).isZero();
        assertThat(rates.rate("vanished-nic", 5, 10 * SECOND)).as("starts over, no rate against a stale reading").isEmpty();
    }

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
