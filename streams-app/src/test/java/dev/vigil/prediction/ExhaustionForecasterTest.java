package dev.vigil.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;

import org.junit.jupiter.api.Test;

class ExhaustionForecasterTest {

    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** Feeds minute means of {@code series} plus Gaussian noise of {@code noise}, from T0 for {@code minutes} minutes. */
    private static ExhaustionForecaster fed(LongToDoubleFunction series, double noise, long minutes) {
        ExhaustionForecaster forecaster = new ExhaustionForecaster();
        SplittableRandom random = new SplittableRandom(7);
        for (long m = 0; m < minutes; m++) {
            long time = T0 + m * MINUTE + MINUTE / 2;
            forecaster.addMinute(time, series.applyAsDouble(time) + noise * random.nextGaussian());
        }
        return forecaster;
    }

    private static double daily(long time, double amplitude) {
        return amplitude * Math.sin(2 * Math.PI * (time - T0) / DAY);
    }

    private static double hoursLeft(ExhaustionForecaster.Estimate estimate) {
        return (estimate.at() - estimate.time()) / (double) HOUR;
    }

    @Test
    void shouldTellWhenASteadyLeakReachesTheCeilingWithAnIntervalAroundIt() {
        // given two flat days at 0.5, then a leak of 0.1 an hour: 1 is reached 5 h after it starts
        long leakStart = T0 + 2 * DAY;
        ExhaustionForecaster forecaster = fed(t -> 0.5 + (t > leakStart ? 0.1 * (t - leakStart) / HOUR : 0), 0.005, 2 * 24 * 60 + 120);

        // when, two hours into the leak
        ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

        // then about three hours are left, and the interval holds that
        assertThat(estimate.rising()).isTrue();
        assertThat(estimate.cycleKnown()).isTrue();
        assertThat(hoursLeft(estimate)).isCloseTo(3, within(0.15));
        assertThat(estimate.slopePerHour()).isCloseTo(0.1, within(0.005));
        assertThat(estimate.earliest()).isLessThan(estimate.at());
        assertThat(estimate.latest()).isGreaterThan(estimate.at()).isLessThan(Long.MAX_VALUE);
    }

    @Test
    void shouldFollowALeakWithinTheHourItStartsInsteadOfAveragingItWithTheDaysBefore() {
        // given a week flat at 0.3, then a leak of 0.2 an hour
        long leakStart = T0 + 7 * DAY;
        ExhaustionForecaster forecaster = fed(t -> 0.3 + (t > leakStart ? 0.2 * (t - leakStart) / HOUR : 0), 0.002, 7 * 24 * 60 + 45);

        ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

        // then 45 minutes in, the slope is the leak's, not a week's average of it
        assertThat(estimate.slopePerHour()).isCloseTo(0.2, within(0.02));
        assertThat(hoursLeft(estimate)).isCloseTo((1 - 0.3 - 0.15) / 0.2, within(0.25));
    }

    @Test
    void shouldNotCallAFlatNoisySeriesRising() {
        ExhaustionForecaster forecaster = fed(t -> 0.6, 0.02, 3 * 24 * 60);

        ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

        assertThat(estimate.rising()).isFalse();
        assertThat(estimate.level()).isCloseTo(0.6, within(0.02));
    }

    @Test
    void shouldNotTakeTheMorningRiseOfADailyCycleForALeakOnceItKnowsTheCycle() {
        // given four days of a daily swing of +-0.2 around 0.6 (up to 0.8, rising 0.05 an hour at its steepest)
        for (long minutes = 3 * 24 * 60; minutes < 4 * 24 * 60; minutes += 30) {
            ExhaustionForecaster forecaster = fed(t -> 0.6 + daily(t, 0.2), 0.005, minutes);

            ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

            // then at no time of the fourth day is it clearly rising towards 1 within a day
            assertThat(estimate.rising() && estimate.at() - estimate.time() < DAY)
                    .as("rising towards 1 at minute %d: %s", minutes, estimate).isFalse();
        }
    }

    @Test
    void shouldNotReadTheDriftOfTheBaselineItsFirstDayWasLearntAgainstAsARiseAfterTheFirstMidnight() {
        // given a series flat in truth with a daily swing of +-0.1 that falls through the morning: a line through its
        // first day leans, so the baseline the cycle's first day is learnt against drifts (before the fix: a step of
        // about 0.05 between the hours learnt last and first, read as a rise of 0.05 an hour right after midnight)
        ExhaustionForecaster forecaster = new ExhaustionForecaster();
        SplittableRandom random = new SplittableRandom(7);
        for (long m = 0; m < 2 * 24 * 60 + 180; m++) {
            long time = T0 + m * MINUTE + MINUTE / 2;
            forecaster.addMinute(time, 0.6 - daily(time, 0.1) + 0.002 * random.nextGaussian());
            ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

            // then from the moment the cycle is known until three hours past the first midnight, it is not rising
            if (estimate != null && estimate.cycleKnown()) {
                assertThat(estimate.rising()).as("rising at minute %d: %s", m, estimate).isFalse();
            }
        }
        assertThat(forecaster.knowsDailyCycle()).isTrue();
    }

    @Test
    void shouldTakeTheDailyCycleOutOfALeakThatStartsInTheMorning() {
        // given five days of a daily swing of +-0.1, then a slow leak of 0.02 an hour from the start of the cycle's rise
        long leakStart = T0 + 5 * DAY;
        ExhaustionForecaster forecaster = fed(t -> 0.5 + daily(t, 0.1) + (t > leakStart ? 0.02 * (t - leakStart) / HOUR : 0), 0.002,
                5 * 24 * 60 + 180);

        ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

        // then the slope is the leak's; the cycle alone rises 0.024 an hour then, more than the leak
        assertThat(estimate.slopePerHour()).isCloseTo(0.02, within(0.004));
        double truth = firstCrossing(t -> 0.5 + daily(t, 0.1) + 0.02 * (t - leakStart) / HOUR, estimate.time());
        assertThat(hoursLeft(estimate)).isCloseTo(truth, within(0.15 * truth));
    }

    @Test
    void shouldSayAlreadyThereForASeriesAtItsCeiling() {
        ExhaustionForecaster forecaster = fed(t -> 1.0, 0.0001, 600);

        ExhaustionForecaster.Estimate estimate = forecaster.estimate(1);

        assertThat(estimate.at()).isEqualTo(estimate.time());
    }

    @Test
    void shouldForecastTheLongTrendWithTheDailyCycleAndABandThatWidensWithTheHorizon() {
        // given three weeks growing 0.01 a day with a daily swing of +-0.05
        ExhaustionForecaster forecaster = fed(t -> 0.4 + 0.01 * (t - T0) / DAY + daily(t, 0.05), 0.005, 21 * 24 * 60);
        long now = T0 + 21 * DAY;

        ExhaustionForecaster.Band tomorrow = forecaster.forecast(now + DAY + 6 * HOUR);
        ExhaustionForecaster.Band nextWeek = forecaster.forecast(now + 7 * DAY + 6 * HOUR);

        assertThat(tomorrow.slopePerHour() * 24).isCloseTo(0.01, within(0.002));
        assertThat(tomorrow.expected()).isCloseTo(0.4 + 0.01 * 22.25 + 0.05, within(0.01));
        assertThat(nextWeek.expected()).isCloseTo(0.4 + 0.01 * 28.25 + 0.05, within(0.02));
        assertThat(nextWeek.upper() - nextWeek.lower()).isGreaterThan(tomorrow.upper() - tomorrow.lower());
    }

    @Test
    void shouldGiveTheSameEstimateAfterItsStateIsWrittenAndReadBack() {
        long leakStart = T0 + 2 * DAY;
        ExhaustionForecaster forecaster = fed(t -> 0.5 + (t > leakStart ? 0.1 * (t - leakStart) / HOUR : 0), 0.005, 2 * 24 * 60 + 90);
        ByteBuffer buffer = ByteBuffer.allocate(ExhaustionForecaster.BYTES);
        forecaster.writeTo(buffer);
        ExhaustionForecaster read = new ExhaustionForecaster();

        read.readFrom(buffer.flip());

        assertThat(buffer.remaining()).isZero();
        assertThat(read.estimate(1)).isEqualTo(forecaster.estimate(1));
        forecaster.addMinute(leakStart + 91 * MINUTE, 0.66);
        read.addMinute(leakStart + 91 * MINUTE, 0.66);
        assertThat(read.estimate(1)).isEqualTo(forecaster.estimate(1));
    }

    /** Hours from {@code from} until {@code series} first reaches 1, minute by minute. */
    private static double firstCrossing(LongToDoubleFunction series, long from) {
        for (long t = from; t < from + 30 * DAY; t += MINUTE) {
            if (series.applyAsDouble(t) >= 1) {
                return (t - from) / (double) HOUR;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
