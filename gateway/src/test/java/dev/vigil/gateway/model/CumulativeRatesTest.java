package dev.vigil.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CumulativeRatesTest {

    private static final long SECOND = 1_000_000_000L;

    private final CumulativeRates rates = new CumulativeRates(1_000, Duration.ofMinutes(1));

    private static Point cumulative(double value, long time, long start) {
        return new Point("web-01", "http.requests", Map.of("route", "/a"), "{request}", time, start, value, PointKind.CUMULATIVE);
    }

    @Test
    void shouldGiveNoRateForTheFirstPointThenTheRateSinceThePrevious() {
        assertThat(rates.rate(cumulative(100, 10 * SECOND, SECOND))).isEmpty();

        assertThat(rates.rate(cumulative(400, 20 * SECOND, SECOND))).hasValueCloseTo(30.0, within(1e-9));
    }

    @Test
    void shouldGiveNoRateWhenTheClientRestartedWithANewStartTime() {
        rates.rate(cumulative(1_000, 10 * SECOND, SECOND));

        assertThat(rates.rate(cumulative(5_000, 20 * SECOND, 12 * SECOND))).as("new start, higher value").isEmpty();
        assertThat(rates.rate(cumulative(5_100, 30 * SECOND, 12 * SECOND))).hasValueCloseTo(10.0, within(1e-9));
    }

    @Test
    void shouldGiveNoRateWhenTheValueWentDown() {
        rates.rate(cumulative(1_000, 10 * SECOND, 0));

        assertThat(rates.rate(cumulative(3, 20 * SECOND, 0))).isEmpty();
    }

    @Test
    void shouldTurnADeltaIntoItsRateOverItsOwnInterval() {
        Point delta = new Point("web-01", "jobs.done", Map.of(), "", 40 * SECOND, 30 * SECOND, 50, PointKind.DELTA);

        assertThat(rates.rate(delta)).hasValueCloseTo(5.0, within(1e-9));
        assertThat(rates.rate(new Point("web-01", "jobs.done", Map.of(), "", 40 * SECOND, 0, 50, PointKind.DELTA))).isEmpty();
    }

    @Test
    void shouldForgetSeriesIdleLongerThanTheStaleness() {
        rates.rate(cumulative(100, 10 * SECOND, SECOND));
        for (int i = 0; i < 3; i++) {
            rates.expireIdle(); // 3 sweeps of 30 s > 1 min
        }

        assertThat(rates.size()).isZero();
        assertThat(rates.rate(cumulative(400, 200 * SECOND, SECOND))).as("starts over").isEmpty();
    }

    @Test
    void shouldKeepSeriesOfDifferentLabelsApart() {
        rates.rate(cumulative(100, 10 * SECOND, SECOND));
        Point other = new Point("web-01", "http.requests", Map.of("route", "/b"), "{request}", 20 * SECOND, SECOND, 1_000, PointKind.CUMULATIVE);

        assertThat(rates.rate(other)).isEmpty();
    }
}
