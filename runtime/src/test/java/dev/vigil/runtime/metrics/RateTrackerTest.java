package dev.vigil.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    void shouldTreatANewStartTimeAsAResetEvenWhenTheValueIsHigher() {
        rates.rate("requests", 100, 10 * SECOND, 1 * SECOND);

        assertThat(rates.rate("requests", 500, 20 * SECOND, 15 * SECOND)).as("restarted at 15 s and counted past 100").isEmpty();
        assertThat(rates.rate("requests", 700, 30 * SECOND, 15 * SECOND)).hasValueCloseTo(20.0, within(1e-9));
    }

    @Test
    void shouldIgnoreAReadingOlderThanTheLastOne() {
        rates.rate("requests", 100, 10 * SECOND);
        rates.rate("requests", 200, 20 * SECOND);

        assertThat(rates.rate("requests", 150, 15 * SECOND)).isEmpty();
        assertThat(rates.rate("requests", 300, 30 * SECOND)).as("against the 20 s reading").hasValueCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldRememberNoMoreThanMaxSeries() {
        RateTracker bounded = new RateTracker(2);
        bounded.rate("a", 1, 0);
        bounded.rate("b", 1, 0);
        bounded.rate("c", 1, 0);

        assertThat(bounded.size()).isEqualTo(2);
        assertThat(bounded.rate("c", 5, SECOND)).as("never remembered").isEmpty();
        assertThat(bounded.rate("a", 5, SECOND)).hasValueCloseTo(4.0, within(1e-9));
    }
}
