package dev.vigil.detection.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.DetectorSettings;

class NabCrossValidationTest {

    private static final LocalDateTime START = LocalDateTime.parse("2026-01-01T00:00:00");

    /** A noisy series of {@code n} five-minute samples with a jump of {@code jump} at {@code at}, and its window. */
    private static NabCorpus.Series series(String key, int n, int at, double jump, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LocalDateTime> times = new ArrayList<>();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            times.add(START.plusMinutes(5L * i));
            values[i] = 10 + random.nextGaussian() + (i >= at && i < at + 5 ? jump : 0);
        }
        return new NabCorpus.Series(key, times, values);
    }

    private static NabWindow window(int at) {
        return new NabWindow(START.plusMinutes(5L * (at - 20)), START.plusMinutes(5L * (at + 20)));
    }

    @Test
    void shouldScoreEachCategoryWithWhatWasChosenOnTheOthersOnly() {
        // Two categories of two files each; candidate "blind" never scores, "default" is the detector.
        List<NabCorpus.Series> corpus = List.of(series("a/1.csv", 2_000, 1_500, 30, 1), series("a/2.csv", 2_000, 1_600, 30, 2),
                series("b/1.csv", 2_000, 1_400, 30, 3), series("b/2.csv", 2_000, 1_700, 30, 4));
        Map<String, List<NabWindow>> labels = Map.of("a/1.csv", List.of(window(1_500)), "a/2.csv", List.of(window(1_600)),
                "b/1.csv", List.of(window(1_400)), "b/2.csv", List.of(window(1_700)));
        DetectorSettings blind = new DetectorSettings(1_000_000, 0.05, 0.02, 0.005, 0.1, 0.1, 0.9998, 3.0, 0.5, 50, 0.5, 0.5, 0.2,
                20, 3, 3, 1, 1, 0.5);
        NabCrossValidation<DetectorSettings> cv = new NabCrossValidation<>(corpus, labels,
                List.of(new NabCrossValidation.Candidate<>("blind", blind), new NabCrossValidation.Candidate<>("default", DetectorSettings.DEFAULT)),
                AnomalyDetector::new);

        NabCrossValidation.ProfileResult result = cv.evaluate(NabProfile.STANDARD);

        assertThat(cv.categories()).containsExactly("a", "b");
        assertThat(result.folds()).extracting(NabCrossValidation.Fold::category).containsExactly("a", "b");
        assertThat(result.folds()).extracting(NabCrossValidation.Fold::chosen).containsOnly("default");
        assertThat(result.windows()).isEqualTo(4);
        assertThat(result.detected()).isEqualTo(4); // a 30-spread jump is found with a threshold chosen elsewhere
        double pooledRaw = result.folds().stream().mapToDouble(f -> f.heldOut().rawScore()).sum();
        assertThat(result.pooledScore()).isCloseTo(NabScorer.normalized(pooledRaw, 4, NabProfile.STANDARD), within(1e-9));
        assertThat(result.inSampleChoice()).isEqualTo("default");
        assertThat(result.pooledScore()).isLessThanOrEqualTo(result.inSample().normalizedScore() + 1e-9);
    }

    @Test
    void shouldScoreAHeldOutCategoryAtTheThresholdItIsGiven() {
        NabCorpus.Series one = series("a/1.csv", 1_000, 800, 30, 5);
        double[] scores = new double[1_000];
        scores[805] = 0.9; // inside the window
        scores[300] = 0.7; // outside it, after probation
        NabScorer.FileScores file = new NabScorer.FileScores("a/1.csv", one.timestamps(), scores, List.of(window(800)));

        NabScorer.Result strict = NabScorer.scoreAt(List.of(file), NabProfile.STANDARD, 0.8);
        NabScorer.Result lenient = NabScorer.scoreAt(List.of(file), NabProfile.STANDARD, 0.5);

        assertThat(strict.truePositiveWindows()).isEqualTo(1);
        assertThat(strict.falsePositives()).isZero();
        assertThat(lenient.falsePositives()).isEqualTo(1);
        assertThat(lenient.rawScore()).isCloseTo(strict.rawScore() - NabProfile.STANDARD.fpWeight(), within(1e-9));
        assertThat(NabScorer.scoreAt(List.of(file), NabProfile.STANDARD, 0.95).rawScore()).isEqualTo(-1.0); // the window missed
    }

    @Test
    void shouldRefuseToChooseFromNothing() {
        assertThatThrownBy(() -> new NabCrossValidation<DetectorSettings>(List.of(), Map.of(), List.of(), AnomalyDetector::new))
                .hasMessageContaining("candidate");
    }
}
