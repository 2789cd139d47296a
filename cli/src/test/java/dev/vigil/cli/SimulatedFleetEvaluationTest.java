package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.detection.nab.NabProfile;
import dev.vigil.detection.nab.NabScorer;
import dev.vigil.detection.nab.NabWindow;

class SimulatedFleetEvaluationTest {

    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    /** A little under what the detector measured on this simulation (seed 7, 100 series, 6 days): 73.06. */
    private static final double FLOOR = 72.0;

    private static List<LocalDateTime> ticks(int n) {
        List<LocalDateTime> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(LocalDateTime.ofInstant(T0.plus(FIVE_MINUTES.multipliedBy(i)), ZoneOffset.UTC));
        }
        return times;
    }

    private static InjectedAnomaly anomaly(int startTick, int endTick) {
        return InjectedAnomaly.newBuilder().setHostId("h").setMetric("m").setLabels(Map.of()).setKind(AnomalyKind.SPIKE)
                .setStart(T0.plus(FIVE_MINUTES.multipliedBy(startTick))).setEnd(T0.plus(FIVE_MINUTES.multipliedBy(endTick))).setSeed(1)
                .build();
    }

    @Test
    void shouldGiveEachAnomalyItsSpanPlusATailAndMergeWindowsThatTouch() {
        List<LocalDateTime> times = ticks(1_000);

        List<NabWindow> windows = SimulatedFleetEvaluation.windows(List.of(anomaly(100, 100), anomaly(500, 559), anomaly(620, 630),
                anomaly(990, 995)), FIVE_MINUTES, times);

        assertThat(windows).containsExactly(
                new NabWindow(times.get(100), times.get(100 + SimulatedFleetEvaluation.MIN_TAIL_TICKS)),
                new NabWindow(times.get(500), times.get(642)),
                new NabWindow(times.get(990), times.get(999)));
    }

    @Test
    void shouldKeepItsScoreOnTheSimulatedFleet() {
        List<NabScorer.FileScores> scored = SimulatedFleetEvaluation.run(EvalCommand.simulation(10, 10, 6, 7), 6 * 288);

        double standard = NabScorer.score(scored, NabProfile.STANDARD).normalizedScore();
        System.out.printf("Simulated fleet, standard profile: %.2f%n", standard);
        assertThat(scored).hasSize(100);
        assertThat(scored.stream().mapToInt(file -> file.windows().size()).sum()).isPositive();
        assertThat(standard).isGreaterThanOrEqualTo(FLOOR);
    }
}
