package dev.vigil.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class HostAlertGroupingTest {

    private static final AlertPolicy POLICY = AlertPolicy.DEFAULT;
    private static final long SECOND = 1_000;

    private final HostAlert hostAlert = new HostAlert();
    private final List<SeriesAlert> series = List.of(new SeriesAlert(), new SeriesAlert(), new SeriesAlert(), new SeriesAlert());

    /** Scores one batch: the listed series score {@code score}, the others 0; returns the outcome of the host step. */
    private HostAlertGrouping.Outcome batch(long time, double score, int... anomalous) {
        List<SeriesAlert> opened = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            boolean high = false;
            for (int index : anomalous) {
                high |= index == i;
            }
            if (series.get(i).observe(time, high ? score : 0, POLICY) == SeriesAlert.Transition.OPENED) {
                opened.add(series.get(i));
            }
        }
        return HostAlertGrouping.afterBatch(hostAlert, series, opened, Function.identity(), time, POLICY);
    }

    @Test
    void shouldAnnounceSeriesThatOpenWhileFewerThanTheHostMinimumAlert() {
        HostAlertGrouping.Outcome outcome = batch(10 * SECOND, 0.9, 0, 1);

        assertThat(outcome).isEqualTo(new HostAlertGrouping.Outcome(HostAlert.Transition.NONE, true));
        assertThat(series.get(0).isAnnounced()).isTrue();
        assertThat(series.get(1).isAnnounced()).isTrue();
        assertThat(hostAlert.isOpen()).isFalse();
    }

    @Test
    void shouldOpenTheHostAlertAndAbsorbTheSeriesThatOpenedWithIt() {
        batch(10 * SECOND, 0.9, 0, 1);

        HostAlertGrouping.Outcome outcome = batch(20 * SECOND, 0.95, 0, 1, 2);

        assertThat(outcome).isEqualTo(new HostAlertGrouping.Outcome(HostAlert.Transition.OPENED, false));
        assertThat(series.get(2).isOpen()).isTrue();
        assertThat(series.get(2).isAnnounced()).as("opened in the batch that opened the host alert").isFalse();
        assertThat(series.get(0).isAnnounced()).as("announced before the host alert opened: carries on").isTrue();
        assertThat(hostAlert.peak()).isEqualTo(0.95);
        assertThat(hostAlert.openedAt()).isEqualTo(20 * SECOND);
    }

    @Test
    void shouldAbsorbASeriesThatOpensWhileTheHostAlertIsOpenAndUpdateTheHostAlert() {
        batch(10 * SECOND, 0.9, 0, 1, 2);

        HostAlertGrouping.Outcome outcome = batch(20 * SECOND, 0.9, 0, 1, 2, 3);

        assertThat(outcome).isEqualTo(new HostAlertGrouping.Outcome(HostAlert.Transition.UPDATED, false));
        assertThat(series.get(3).isOpen()).isTrue();
        assertThat(series.get(3).isAnnounced()).isFalse();
    }

    @Test
    void shouldResolveTheHostAlertOnceNoSeriesAlertIsOpenAndAnnounceAgainAfterwards() {
        batch(10 * SECOND, 0.9, 0, 1, 2);
        long calmFrom = 20 * SECOND;

        List<HostAlert.Transition> transitions = new ArrayList<>();
        for (long time = calmFrom; time <= calmFrom + POLICY.resolveAfter().toMillis(); time += 10 * SECOND) {
            transitions.add(batch(time, 0).hostAlert());
        }

        assertThat(transitions).endsWith(HostAlert.Transition.RESOLVED).containsOnlyOnce(HostAlert.Transition.RESOLVED);
        assertThat(series).noneMatch(SeriesAlert::isOpen);
        HostAlertGrouping.Outcome next = batch(calmFrom + 3_600 * SECOND, 0.9, 3);
        assertThat(next).isEqualTo(new HostAlertGrouping.Outcome(HostAlert.Transition.NONE, true));
        assertThat(series.get(3).isAnnounced()).isTrue();
    }
}
