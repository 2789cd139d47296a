package dev.vigil.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PredictedAlertTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final Duration HORIZON = Duration.ofHours(6);
    private static final Duration HEARTBEAT = Duration.ofMinutes(10);

    /** An estimate at {@code now} that the ceiling is {@code hoursLeft} away, clearly rising, daily cycle known. */
    private static ExhaustionForecaster.Estimate expected(long now, double hoursLeft) {
        long at = now + (long) (hoursLeft * HOUR);
        return new ExhaustionForecaster.Estimate(now, 1, 0.8, 0.05, 0.005, at, at - HOUR, at + HOUR, true, true);
    }

    private final PredictedAlert alert = new PredictedAlert();

    /** Minute {@code m} of a day-old series. */
    private static long at(int m) {
        return 24 * HOUR + m * MINUTE;
    }

    /** Holds the opening condition for the minutes it takes, the last at {@code now}, {@code hoursLeft} away each time. */
    private PredictedAlert.Transition holdUntil(long now, double hoursLeft) {
        PredictedAlert.Transition last = PredictedAlert.Transition.NONE;
        for (int m = PredictedAlert.OPEN_AFTER_MINUTES - 1; m >= 0; m--) {
            long t = now - m * MINUTE;
            last = alert.observe(t, expected(t, hoursLeft), HORIZON, HEARTBEAT);
        }
        return last;
    }

    @Test
    void shouldOpenWhenTheCeilingHasBeenExpectedWithinTheHorizonForFiveMinutes() {
        // given a ceiling beyond the horizon, then within it
        assertThat(alert.observe(0, expected(0, 7), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        for (int m = 1; m <= 4; m++) {
            assertThat(alert.observe(m * MINUTE, expected(m * MINUTE, 5.9), HORIZON, HEARTBEAT)).as("minute %d within", m)
                    .isEqualTo(PredictedAlert.Transition.NONE);
        }
        assertThat(alert.isOpen()).as("4 minutes of a credible estimate").isFalse();

        // when it holds a fifth minute
        PredictedAlert.Transition fifth = alert.observe(5 * MINUTE, expected(5 * MINUTE, 5.8), HORIZON, HEARTBEAT);

        // then
        assertThat(PredictedAlert.OPEN_AFTER_MINUTES).isEqualTo(5);
        assertThat(fifth).isEqualTo(PredictedAlert.Transition.OPENED);
        assertThat(alert.isOpen()).isTrue();
        assertThat(alert.openedAt()).isEqualTo(5 * MINUTE);
        assertThat(alert.at()).isEqualTo(5 * MINUTE + (long) (5.8 * HOUR));
        assertThat(alert.earliest()).isEqualTo(alert.at() - HOUR);
        assertThat(alert.latest()).isEqualTo(alert.at() + HOUR);
        assertThat(alert.ceiling()).isEqualTo(1);
    }

    @Test
    void shouldStartCountingAgainAfterAMinuteWithoutACredibleEstimate() {
        // given four minutes of a credible estimate, then one without (a trend that restarted on a few noisy minutes)
        for (int m = 0; m < 4; m++) {
            alert.observe(at(m), expected(at(m), 3), HORIZON, HEARTBEAT);
        }
        assertThat(alert.observe(at(4), null, HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);

        // when it is credible again: four minutes are not enough, the fifth in a row opens
        for (int m = 5; m < 9; m++) {
            assertThat(alert.observe(at(m), expected(at(m), 3), HORIZON, HEARTBEAT)).as("minute %d", m)
                    .isEqualTo(PredictedAlert.Transition.NONE);
        }
        assertThat(alert.observe(at(9), expected(at(9), 3), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.OPENED);

        // then
        assertThat(alert.openedAt()).isEqualTo(at(9));
    }

    @Test
    void shouldStartCountingAgainAfterAMinuteBeyondTheHorizon() {
        for (int m = 0; m < 3; m++) {
            alert.observe(at(m), expected(at(m), 3), HORIZON, HEARTBEAT);
        }
        alert.observe(at(3), expected(at(3), 7), HORIZON, HEARTBEAT);

        assertThat(alert.observe(at(4), expected(at(4), 3), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        assertThat(alert.isOpen()).isFalse();
    }

    @Test
    void shouldNotOpenOnASeriesThatIsNotClearlyRisingOrWhoseDailyCycleIsNotKnownYet() {
        ExhaustionForecaster.Estimate close = expected(0, 2);
        ExhaustionForecaster.Estimate notRising = new ExhaustionForecaster.Estimate(0, 1, 0.8, 0.05, 0.02, close.at(), close.earliest(),
                Long.MAX_VALUE, false, true);
        ExhaustionForecaster.Estimate cycleUnknown = new ExhaustionForecaster.Estimate(0, 1, 0.8, 0.05, 0.005, close.at(), close.earliest(),
                close.latest(), true, false);

        assertThat(alert.observe(0, notRising, HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        assertThat(alert.observe(0, cycleUnknown, HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        assertThat(alert.observe(0, null, HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        assertThat(alert.isOpen()).isFalse();
    }

    @Test
    void shouldUpdateWhenTheEstimateMovesAndAsAHeartbeatOtherwise() {
        assertThat(holdUntil(0, 3)).isEqualTo(PredictedAlert.Transition.OPENED);

        // a move of 5 minutes on 3 hours left is not news
        assertThat(alert.observe(MINUTE, expected(MINUTE, 3 - 1.0 / 60 + 5.0 / 60), HORIZON, HEARTBEAT))
                .isEqualTo(PredictedAlert.Transition.NONE);
        // half an hour is
        assertThat(alert.observe(2 * MINUTE, expected(2 * MINUTE, 2.5), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.UPDATED);
        assertThat(alert.at()).isEqualTo(2 * MINUTE + (long) (2.5 * HOUR));
        // nothing moves for ten minutes: the heartbeat
        long t = 2 * MINUTE;
        PredictedAlert.Transition last = PredictedAlert.Transition.NONE;
        while (last == PredictedAlert.Transition.NONE) {
            t += MINUTE;
            last = alert.observe(t, new ExhaustionForecaster.Estimate(t, 1, 0.8, 0.05, 0.005, alert.at(), alert.earliest(), alert.latest(),
                    true, true), HORIZON, HEARTBEAT);
        }
        assertThat(last).isEqualTo(PredictedAlert.Transition.UPDATED);
        assertThat(t).isEqualTo(12 * MINUTE);
    }

    @Test
    void shouldHoldOpenUpToOneAndAHalfHorizonsAndResolveAfterFiveMinutesBeyond() {
        assertThat(holdUntil(0, 5)).isEqualTo(PredictedAlert.Transition.OPENED);

        // the estimate recedes to 8 h: inside 1.5 horizons, still open, and news
        assertThat(alert.observe(MINUTE, expected(MINUTE, 8), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.UPDATED);
        // then beyond 9 h for five minutes
        for (int m = 2; m < 6; m++) {
            assertThat(alert.observe(m * MINUTE, expected(m * MINUTE, 10), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        }
        assertThat(alert.observe(7 * MINUTE, expected(7 * MINUTE, 10), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.RESOLVED);
        assertThat(alert.isOpen()).isFalse();
        assertThat(alert.at()).as("the last estimate announced stays, for the RESOLVED event").isEqualTo(MINUTE + 8 * HOUR);
    }

    @Test
    void shouldStayOpenWhileTheTrendStillRisesThoughNotClearlyAndResolveWhenItStops() {
        assertThat(holdUntil(0, 2)).isEqualTo(PredictedAlert.Transition.OPENED);

        // The leak changed pace: the restarted trend rises, but on too few minutes to be clearly rising.
        for (int m = 1; m <= 10; m++) {
            long t = m * MINUTE;
            long full = t + 2 * HOUR;
            alert.observe(t, new ExhaustionForecaster.Estimate(t, 1, 0.8, 0.05, 0.03, full, full - HOUR, Long.MAX_VALUE, false, true),
                    HORIZON, HEARTBEAT);
        }
        assertThat(alert.isOpen()).as("doubt about the slope is no sign the leak stopped").isTrue();

        // Then it falls: nothing in sight any more, for five minutes.
        PredictedAlert.Transition last = PredictedAlert.Transition.NONE;
        for (int m = 11; m <= 16; m++) {
            long t = m * MINUTE;
            last = alert.observe(t, new ExhaustionForecaster.Estimate(t, 1, 0.6, -0.05, 0.01, Long.MAX_VALUE, Long.MAX_VALUE,
                    Long.MAX_VALUE, false, true), HORIZON, HEARTBEAT);
        }
        assertThat(last).isEqualTo(PredictedAlert.Transition.RESOLVED);
    }

    @Test
    void shouldNotResolveOnOneMinuteOfDoubt() {
        assertThat(holdUntil(0, 2)).isEqualTo(PredictedAlert.Transition.OPENED);

        alert.observe(MINUTE, null, HORIZON, HEARTBEAT);
        alert.observe(2 * MINUTE, expected(2 * MINUTE, 2), HORIZON, HEARTBEAT);
        for (int m = 3; m < 10; m++) {
            alert.observe(m * MINUTE, null, HORIZON, HEARTBEAT);
        }

        assertThat(alert.isOpen()).as("resolves 5 minutes after the last credible estimate, not 5 minutes after the first doubt").isFalse();
        assertThat(alert.observe(10 * MINUTE, null, HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
    }

    @Test
    void shouldKeepItsStateAcrossAWriteAndRead() {
        assertThat(holdUntil(0, 4)).isEqualTo(PredictedAlert.Transition.OPENED);
        ByteBuffer buffer = ByteBuffer.allocate(PredictedAlert.BYTES);
        alert.writeTo(buffer);
        PredictedAlert read = new PredictedAlert();

        read.readFrom(buffer.flip());

        assertThat(buffer.remaining()).isZero();
        assertThat(read.isOpen()).isTrue();
        assertThat(read.openedAt()).isEqualTo(alert.openedAt());
        assertThat(read.at()).isEqualTo(alert.at());
        assertThat(read.observe(MINUTE, expected(MINUTE, 2), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.UPDATED);
    }

    @Test
    void shouldKeepHowLongTheConditionHasHeldAcrossAWriteAndRead() {
        // given a closed alert whose condition has held 4 minutes
        for (int m = 0; m < 4; m++) {
            alert.observe(at(m), expected(at(m), 3), HORIZON, HEARTBEAT);
        }
        ByteBuffer buffer = ByteBuffer.allocate(PredictedAlert.BYTES);
        alert.writeTo(buffer);
        PredictedAlert read = new PredictedAlert();

        // when read back
        read.readFrom(buffer.flip());

        // then the fifth minute opens it, as it would have the one written
        assertThat(buffer.remaining()).isZero();
        assertThat(read.isOpen()).isFalse();
        assertThat(read.observe(at(4), expected(at(4), 3), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.OPENED);
        assertThat(read.openedAt()).isEqualTo(at(4));
    }
}
