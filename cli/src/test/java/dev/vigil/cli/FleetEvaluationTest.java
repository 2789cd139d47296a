package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.collectors.simulator.SimulatedHost;
import dev.vigil.detection.DetectorSettings;

/** A small fleet end to end, through the real detector and alert lifecycle: behaviour and consistency, not figures. */
class FleetEvaluationTest {

    /** Anomalies every 6 hours per series, so that a one-day evaluation window holds every kind. */
    private static final FleetEvaluation.Settings SMALL = new FleetEvaluation.Settings(4, 10, 2, 3, Duration.ofHours(6));

    private static FleetRun run(FleetSimulator.Options fleet, int threads) {
        LongAdder progress = new LongAdder();
        FleetRun run = FleetEvaluation.run(fleet, SMALL.timeline(), threads, progress::add);
        assertThat(progress.sum()).as("progress reports every sample").isEqualTo(run.samples());
        return run;
    }

    @Test
    void shouldCountEveryOpeningOfAHealthyFleetInExactlyOneDay() {
        FleetRun healthy = run(SMALL.healthy(), 2);

        List<FleetDailyOpenings.Day> days = FleetDailyOpenings.byDay(healthy);

        assertThat(healthy.anomalies()).isEmpty();
        assertThat(healthy.samples()).isEqualTo(4L * 10 * 2 * 8_640);
        assertThat(days).hasSize(2);
        int announced = (int) healthy.seriesOpenings().stream().filter(FleetRun.SeriesOpening::announced).count();
        assertThat(days.stream().mapToInt(day -> day.inWarmUp().openings() + day.counted().openings()).sum())
                .isEqualTo(announced + healthy.hostOpenings().size());
        assertThat(days.stream().mapToInt(day -> day.inWarmUp().absorbed() + day.counted().absorbed()).sum())
                .isEqualTo(healthy.seriesOpenings().size() - announced);
        assertThat(healthy.seriesOpenings()).allSatisfy(opening -> assertThat(opening.time())
                .as("nothing opens while the detector warms up").isGreaterThanOrEqualTo(SMALL.timeline().start()
                        + DetectorSettings.DEFAULT.warmup() * SMALL.timeline().interval()));
        assertThat(healthy.hostOpenings()).allSatisfy(opening -> assertThat(opening.evidence())
                .hasSizeGreaterThanOrEqualTo(FleetEvaluation.APPLICATION.alerts().hostMinSeries()));
    }

    @Test
    void shouldGiveTheSameRunWhateverTheThreads() {
        assertThat(run(SMALL.withAnomalies(), 3)).isEqualTo(run(SMALL.withAnomalies(), 1));
    }

    @Test
    void shouldOpenAStuckNoisyFloatSeriesWithinFiveMinutesAndFindInjectedAnomaliesOfEveryKind() {
        FleetRun withAnomalies = run(SMALL.withAnomalies(), 2);

        FleetAnomalyMatching.Result result = FleetAnomalyMatching.match(withAnomalies);

        assertThat(withAnomalies.anomalies()).allSatisfy(anomaly -> assertThat(anomaly.start()).isGreaterThanOrEqualTo(SMALL.timeline().warmUpEnd()));
        assertThat(result.matches()).extracting(match -> match.anomaly().kind()).contains(AnomalyKind.SPIKE, AnomalyKind.LEVEL_SHIFT,
                AnomalyKind.SLOW_LEAK, AnomalyKind.STUCK, AnomalyKind.FLATLINE, AnomalyKind.SEASONAL_BREAK);
        assertThat(result.matches().size() + result.unjudged()).isEqualTo(withAnomalies.anomalies().size());
        FleetAnomalyMatching.Summary overall = result.overall();
        assertThat(overall.openedWithin() + overall.openedLater() + overall.never()).isEqualTo(overall.anomalies());
        assertThat(result.byKind().values().stream().mapToInt(FleetAnomalyMatching.Summary::anomalies).sum()).isEqualTo(overall.anomalies());
        assertThat(firstStuckOfNoisyFloatSeries(withAnomalies, result)).as("a series stuck for the first time")
                .isNotEmpty().allSatisfy(match -> assertThat(match.openedWithin(FleetAnomalyMatching.OPEN_WITHIN)).isTrue());
    }

    /**
     * STUCK anomalies of series that never stood still before: no STUCK or FLATLINE earlier (the detector only
     * reports a run of repeats longer than any the series had) and not http.server.errors, which touches its
     * floor of 0 now and then. Every other simulated series is a noisy float that never repeats a value.
     */
    private static List<FleetAnomalyMatching.Match> firstStuckOfNoisyFloatSeries(FleetRun run, FleetAnomalyMatching.Result result) {
        SimulatedHost names = SimulatedHost.of(SMALL.healthy(), 0);
        return result.matches().stream()
                .filter(match -> match.anomaly().kind() == AnomalyKind.STUCK && !match.alreadyOpen())
                .filter(match -> !names.metric(match.anomaly().series()).equals("http.server.errors"))
                .filter(match -> run.anomalies().stream().noneMatch(earlier -> earlier.host() == match.anomaly().host()
                        && earlier.series() == match.anomaly().series() && earlier.start() < match.anomaly().start()
                        && (earlier.kind() == AnomalyKind.STUCK || earlier.kind() == AnomalyKind.FLATLINE)))
                .toList();
    }

    @Test
    void shouldPrintTheDaysTheKindsAndWhetherTheTargetsHold() {
        FleetRun healthy = run(SMALL.healthy(), 2);
        FleetRun withAnomalies = run(SMALL.withAnomalies(), 2);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);

        FleetReport.printWarmUp(out, SMALL.timeline());
        double perHostDay = FleetReport.printDays(out, healthy);
        FleetAnomalyMatching.Summary overall = FleetReport.printAnomalies(out, withAnomalies, FleetAnomalyMatching.match(withAnomalies));
        FleetReport.printTargets(out, perHostDay, overall);
        out.flush();
        System.out.print(text);

        assertThat(text.toString()).contains("Warm-up: until day 2 00:25", "warm-up to 00:25", "counted", "SPIKE", "SEASONAL_BREAK",
                "false openings", "targets: healthy fleet").containsPattern("targets: .*(MET|NOT MET); anomalies .*(MET|NOT MET)");
    }
}
