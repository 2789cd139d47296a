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

    @Test
    void shouldOpenWhenTheCeilingIsExpectedWithinTheHorizon() {
        assertThat(alert.observe(0, expected(0, 7), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.NONE);
        assertThat(alert.observe(MINUTE, expected(MINUTE, 5.9), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.OPENED);

        assertThat(alert.isOpen()).isTrue();
        assertThat(alert.openedAt()).isEqualTo(MINUTE);
        assertThat(alert.at()).isEqualTo(MINUTE + (long) (5.9 * HOUR));
        assertThat(alert.earliest()).isEqualTo(alert.at() - HOUR);
        assertThat(alert.latest()).isEqualTo(alert.at() + HOUR);
        assertThat(alert.ceiling()).isEqualTo(1);
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
        alert.observe(0, expected(0, 3), HORIZON, HEARTBEAT);

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
        alert.observe(0, expected(0, 5), HORIZON, HEARTBEAT);

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
    void shouldNotResolveOnOneMinuteOfDoubt() {
        alert.observe(0, expected(0, 2), HORIZON, HEARTBEAT);

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
        alert.observe(0, expected(0, 4), HORIZON, HEARTBEAT);
        ByteBuffer buffer = ByteBuffer.allocate(PredictedAlert.BYTES);
        alert.writeTo(buffer);
        PredictedAlert read = new PredictedAlert();

        read.readFrom(buffer.flip());

        assertThat(buffer.remaining()).isZero();
        assertThat(read.isOpen()).isTrue();
        assertThat(read.at()).isEqualTo(alert.at());
        assertThat(read.observe(MINUTE, expected(MINUTE, 2), HORIZON, HEARTBEAT)).isEqualTo(PredictedAlert.Transition.UPDATED);
    }
}
