package dev.vigil.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

    private final AnomalyDetector detector = new AnomalyDetector(DetectorSettings.DEFAULT);

    @Test
    void shouldRejectNonFiniteValues() {
        assertThatThrownBy(() -> detector.update(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> detector.update(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotScoreWhileLearning() {
        for (int i = 0; i < DetectorSettings.DEFAULT.warmup(); i++) {
            AnomalyScore score = detector.update(i % 2 == 0 ? 0 : 1_000);
            assertThat(score.learning()).isTrue();
            assertThat(score.score()).isZero();
        }
        assertThat(detector.update(1).learning()).isFalse();
    }

    @Test
    void shouldStayQuietOnAConstantSeries() {
        double highest = 0;
        for (int i = 0; i < 2_000; i++) {
            highest = Math.max(highest, detector.update(42.0).score());
        }
        assertThat(highest).isLessThan(0.1);
    }

    @Test
    void shouldScoreASpikeInNoiseAboveEverythingBeforeIt() {
        SplittableRandom random = new SplittableRandom(1);
        double highestBefore = 0;
        for (int i = 0; i < 1_000; i++) {
            highestBefore = Math.max(highestBefore, detector.update(100 + random.nextGaussian()).score());
        }

        AnomalyScore spike = detector.update(130);

        assertThat(spike.score()).isGreaterThan(highestBefore).isGreaterThan(0.7);
        assertThat(spike.upper()).isLessThan(130);
        assertThat(spike.expected()).isBetween(98.0, 102.0);
    }

    @Test
    void shouldReportOneEventOnceAndStayQuietWhileItLasts() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1_000; i++) {
            detector.update(10 + random.nextGaussian());
        }
        int reports = 0;
        for (int i = 0; i < 50; i++) {
            if (detector.update(40 + random.nextGaussian()).score() >= DetectorSettings.DEFAULT.alertLevel()) {
                reports++;
            }
        }
        assertThat(reports).isEqualTo(1);
    }
}
