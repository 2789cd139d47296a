package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyKind;

class FleetAnomalyMatchingTest {

    private static final FleetTimeline TIMELINE = FleetTimeline.of(Instant.parse("2026-01-05T00:00:00Z"), Duration.ofSeconds(10), 3, 150, 2);
    /** An anomaly's start, on day 2 after the warm-up. */
    private static final long T0 = TIMELINE.start() + Duration.ofHours(36).toMillis();
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;

    private static FleetRun.Anomaly anomaly(int series, AnomalyKind kind, long start, long length) {
        return new FleetRun.Anomaly(0, series, kind, start, start + length, false);
    }

    private static FleetRun.SeriesOpening announced(int series, long time) {
        return new FleetRun.SeriesOpening(0, series, time, true);
    }

    private static FleetAnomalyMatching.Result match(List<FleetRun.Anomaly> anomalies, List<FleetRun.SeriesOpening> series,
                                                     List<FleetRun.HostOpening> hosts) {
        return FleetAnomalyMatching.match(new FleetRun(TIMELINE, 10, series, hosts, anomalies));
    }

    @Test
    void shouldOpenAnAnomalyByTheFirstOpeningOfItsOwnSeries() {
        FleetRun.Anomaly spike = anomaly(1, AnomalyKind.SPIKE, T0, 0);

        FleetAnomalyMatching.Result result = match(List.of(spike),
                List.of(announced(2, T0 + 10 * SECOND), announced(1, T0 + 40 * SECOND), announced(1, T0 + 3 * MINUTE)), List.of());

        assertThat(result.matches()).containsExactly(new FleetAnomalyMatching.Match(spike, 40 * SECOND, false));
        assertThat(result.falseSeriesOpenings()).as("another series' opening is no anomaly's").containsExactly(announced(2, T0 + 10 * SECOND));
    }

    @Test
    void shouldCountASeriesAbsorbedIntoTheHostAlertAsOpened() {
        FleetRun.Anomaly stuck = anomaly(3, AnomalyKind.STUCK, T0, 30 * MINUTE);
        FleetRun.SeriesOpening absorbed = new FleetRun.SeriesOpening(0, 3, T0 + 20 * SECOND, false);

        FleetAnomalyMatching.Result result = match(List.of(stuck), List.of(absorbed), List.of());

        assertThat(result.matches()).singleElement().satisfies(match -> {
            assertThat(match.timeToOpen()).isEqualTo(20 * SECOND);
            assertThat(match.openedWithin(FleetAnomalyMatching.OPEN_WITHIN)).isTrue();
        });
    }

    @Test
    void shouldNotLetAHostAlertWithoutTheSeriesInItsEvidenceOpenItAndCountThatHostAlertFalse() {
        FleetRun.Anomaly shift = anomaly(1, AnomalyKind.LEVEL_SHIFT, T0, 40 * MINUTE);
        FleetRun.HostOpening unrelated = new FleetRun.HostOpening(0, T0 + 10 * SECOND, List.of(4, 5, 6));
        FleetRun.HostOpening withIt = new FleetRun.HostOpening(0, T0 + 20 * SECOND, List.of(1, 5, 6));

        FleetAnomalyMatching.Result result = match(List.of(shift), List.of(), List.of(unrelated, withIt));

        assertThat(result.matches()).singleElement().satisfies(match -> assertThat(match.opened()).isFalse());
        assertThat(result.falseHostOpenings()).containsExactly(unrelated);
    }

    @Test
    void shouldCountAnAlertAlreadyOpenAtTheStartAsOpenedAtOnceAndApart() {
        FleetRun.Anomaly flatline = new FleetRun.Anomaly(0, 1, AnomalyKind.FLATLINE, T0, T0 + 20 * MINUTE, true);

        FleetAnomalyMatching.Summary summary = match(List.of(flatline), List.of(), List.of()).overall();

        assertThat(summary).isEqualTo(new FleetAnomalyMatching.Summary(1, 1, 1, 0, 0, 0));
    }

    @Test
    void shouldCountAnOpeningAfterFiveMinutesAsLateAndOneAfterTheTailAsFalse() {
        FleetRun.Anomaly leak = anomaly(1, AnomalyKind.SLOW_LEAK, T0, 2 * 60 * MINUTE);
        FleetRun.Anomaly spike = anomaly(2, AnomalyKind.SPIKE, T0, 0);
        List<FleetRun.SeriesOpening> openings = List.of(announced(1, T0 + 5 * MINUTE + 10 * SECOND), announced(1, T0 + 3 * 60 * MINUTE),
                announced(2, T0 + 30 * MINUTE), announced(2, T0 + 30 * MINUTE + 10 * SECOND));

        FleetAnomalyMatching.Result result = match(List.of(leak, spike), openings, List.of());

        assertThat(result.matches()).extracting(FleetAnomalyMatching.Match::timeToOpen)
                .containsExactly(5 * MINUTE + 10 * SECOND, 30 * MINUTE);
        assertThat(result.overall()).isEqualTo(new FleetAnomalyMatching.Summary(2, 0, 0, 2, 0, 5 * MINUTE + 10 * SECOND));
        assertThat(result.falseSeriesOpenings()).as("the leak's tail is as long as the leak; the spike's is the minimum, 30 minutes")
                .containsExactly(announced(2, T0 + 30 * MINUTE + 10 * SECOND));
    }

    @Test
    void shouldEndASpanWhereTheNextAnomalyOfTheSeriesStarts() {
        FleetRun.Anomaly first = anomaly(1, AnomalyKind.LEVEL_SHIFT, T0, 60 * MINUTE);
        FleetRun.Anomaly second = anomaly(1, AnomalyKind.SPIKE, T0 + 70 * MINUTE, 0);

        FleetAnomalyMatching.Result result = match(List.of(first, second), List.of(announced(1, T0 + 70 * MINUTE + 10 * SECOND)), List.of());

        assertThat(result.matches()).extracting(FleetAnomalyMatching.Match::timeToOpen).containsExactly(FleetAnomalyMatching.NEVER, 10 * SECOND);
    }

    @Test
    void shouldNotCountWarmUpOpeningsFalseNorJudgeAnomaliesTooNearTheEnd() {
        long lastSample = TIMELINE.end() - TIMELINE.interval();
        FleetRun.Anomaly late = anomaly(1, AnomalyKind.SPIKE, lastSample - 4 * MINUTE, 0);

        FleetAnomalyMatching.Result result = match(List.of(late), List.of(announced(1, TIMELINE.start() + 60 * MINUTE)),
                List.of(new FleetRun.HostOpening(0, TIMELINE.start() + 2 * 60 * MINUTE, List.of(4, 5, 6))));

        assertThat(result.matches()).isEmpty();
        assertThat(result.unjudged()).isEqualTo(1);
        assertThat(result.falseOpenings()).isZero();
    }

    @Test
    void shouldTakeTheLowerMiddleTimeToOpenCountingMissesAsLaterThanAny() {
        FleetRun.Anomaly a = anomaly(0, AnomalyKind.SPIKE, T0, 0);
        FleetAnomalyMatching.Match at10 = new FleetAnomalyMatching.Match(a, 10 * SECOND, false);
        FleetAnomalyMatching.Match at20 = new FleetAnomalyMatching.Match(a, 20 * SECOND, false);
        FleetAnomalyMatching.Match missed = new FleetAnomalyMatching.Match(a, FleetAnomalyMatching.NEVER, false);

        assertThat(FleetAnomalyMatching.Summary.of(List.of(missed, at20, at10)).medianTimeToOpen()).isEqualTo(20 * SECOND);
        assertThat(FleetAnomalyMatching.Summary.of(List.of(missed, at20, at10, missed)).medianTimeToOpen()).isEqualTo(20 * SECOND);
        assertThat(FleetAnomalyMatching.Summary.of(List.of(missed, at10, missed)).medianTimeToOpen()).isEqualTo(FleetAnomalyMatching.NEVER);
        assertThat(FleetAnomalyMatching.Summary.of(List.of(missed, at10, missed)).shareOpenedWithin()).isEqualTo(1 / 3.0);
    }
}
