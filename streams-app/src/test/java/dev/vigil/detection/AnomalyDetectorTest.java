package dev.vigil.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

    private final AnomalyDetector detector = new AnomalyDetector(DetectorSettings.DEFAULT);

    /** Sample {@code i} of a series taken once a minute. */
    private static long minute(int i) {
        return 1_700_000_000_000L + i * 60_000L;
    }

    @Test
    void shouldRejectNonFiniteValues() {
        assertThatThrownBy(() -> detector.update(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> detector.update(0, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotScoreWhileLearning() {
        for (int i = 0; i < DetectorSettings.DEFAULT.warmup(); i++) {
            AnomalyScore score = detector.update(minute(i), i % 2 == 0 ? 0 : 1_000);
            assertThat(score.learning()).isTrue();
            assertThat(score.score()).isZero();
        }
        assertThat(detector.update(minute(DetectorSettings.DEFAULT.warmup()), 1).learning()).isFalse();
    }

    @Test
    void shouldStayQuietOnAConstantSeries() {
        double highest = 0;
        for (int i = 0; i < 2_000; i++) {
            highest = Math.max(highest, detector.update(minute(i), 42.0).score());
        }
        assertThat(highest).isLessThan(0.1);
    }

    @Test
    void shouldScoreASpikeInNoiseAboveEverythingBeforeIt() {
        SplittableRandom random = new SplittableRandom(1);
        double highestBefore = 0;
        for (int i = 0; i < 1_000; i++) {
            highestBefore = Math.max(highestBefore, detector.update(minute(i), 100 + random.nextGaussian()).score());
        }

        AnomalyScore spike = detector.update(minute(1_000), 130);

        assertThat(spike.score()).isGreaterThanOrEqualTo(highestBefore).isGreaterThan(0.95); // far outside the range seen so far
        assertThat(spike.upper()).isLessThan(130);
        assertThat(spike.expected()).isBetween(98.0, 102.0);
    }

    @Test
    void shouldNotAlarmOnASteadilyRisingSeries() {
        // An uptime counter, a filling disk: a new maximum at every sample is what this series does.
        SplittableRandom random = new SplittableRandom(5);
        double highestClean = 0;
        double highestNoisy = 0;
        AnomalyDetector noisy = new AnomalyDetector(DetectorSettings.DEFAULT);
        for (int i = 0; i < 5_000; i++) {
            double clean = detector.update(minute(5 * i), 300.0 * i).score();
            double withNoise = noisy.update(minute(5 * i), 50 + 0.01 * i + 0.1 * random.nextGaussian()).score();
            if (i >= DetectorSettings.DEFAULT.warmup()) {
                highestClean = Math.max(highestClean, clean);
            }
            // With noise the creep has to be seen after warm-up first (breakouts during warm-up do not
            // count): the first few dozen samples after it may still score a breakout.
            if (i >= DetectorSettings.DEFAULT.warmup() + 100) {
                highestNoisy = Math.max(highestNoisy, withNoise);
            }
        }
        assertThat(highestClean).isLessThan(0.81);
        assertThat(highestNoisy).isLessThan(0.81);
    }

    @Test
    void shouldAskMoreOfABreakoutBeforeTheSeriesHasSeenAWholeDay() {
        // 0, 10, 0, 10 ...: a range of 10 with no breakout since the first samples, so nothing to tolerate.
        AnomalyDetector young = new AnomalyDetector(DetectorSettings.DEFAULT);
        AnomalyDetector grown = new AnomalyDetector(DetectorSettings.DEFAULT);
        for (int i = 0; i < 2_000; i++) {
            if (i < 200) {
                young.update(minute(i), i % 2 == 0 ? 0 : 10);
            }
            grown.update(minute(i), i % 2 == 0 ? 0 : 10);
        }

        // 5 % of the range above it: news for a series that has been through a day (2,000 minutes), not for one
        // that has seen 200 minutes of its day (its afternoon may well be higher than its morning).
        double youngScore = young.update(minute(200), 10.5).score();
        double grownScore = grown.update(minute(2_000), 10.5).score();

        assertThat(grownScore).isGreaterThanOrEqualTo(0.81);
        assertThat(youngScore).isBetween(0.8, 0.81);
        // A breakout of many ranges is news at any age.
        assertThat(young.update(minute(201), 60).score()).isGreaterThanOrEqualTo(0.81);
    }

    @Test
    void shouldReportAStuckValueOnceInAPreviouslyNoisySeries() {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 1_000; i++) {
            detector.update(minute(i), 100 + random.nextGaussian());
        }
        double stuckAt = 100 + random.nextGaussian();
        detector.update(minute(1_000), stuckAt);
        int reports = 0;
        double highest = 0;
        for (int i = 1; i < 60; i++) {
            double score = detector.update(minute(1_000 + i), stuckAt).score();
            highest = Math.max(highest, score);
            if (score >= DetectorSettings.DEFAULT.alertLevel()) {
                reports++;
            }
        }
        assertThat(highest).isGreaterThanOrEqualTo(0.8); // well inside the range, but stuck
        assertThat(reports).isEqualTo(1);
    }

    @Test
    void shouldNotCallRepeatsStuckWhenTheSeriesAlwaysRepeats() {
        // A coarsely quantised series repeats values all the time: a run of a few is what it does.
        SplittableRandom random = new SplittableRandom(7);
        double highest = 0;
        double value = 5;
        for (int i = 0; i < 3_000; i++) {
            if (random.nextDouble() < 0.3) {
                value = Math.max(0, Math.min(10, value + (random.nextBoolean() ? 1 : -1)));
            }
            double score = detector.update(minute(i), value).score();
            if (i > 1_000) {
                highest = Math.max(highest, score);
            }
        }
        assertThat(highest).isLessThan(0.8);
    }

    @Test
    void shouldReportOneEventOnceAndStayQuietWhileItLasts() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1_000; i++) {
            detector.update(minute(i), 10 + random.nextGaussian());
        }
        int reports = 0;
        for (int i = 0; i < 50; i++) {
            if (detector.update(minute(1_000 + i), 40 + random.nextGaussian()).score() >= DetectorSettings.DEFAULT.alertLevel()) {
                reports++;
            }
        }
        assertThat(reports).isEqualTo(1);
    }

    @Test
    void shouldCarryOnIdenticallyFromItsSerialisedState() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[2_000]; // every five minutes for a week: the restart is after the contexts count
        for (int i = 0; i < values.length; i++) {
            values[i] = 50 + 10 * Math.sin(i / 40.0) + random.nextGaussian() + (i > 1_500 ? 15 : 0) + (i % 97 == 0 ? 8 : 0);
        }
        AnomalyDetector uninterrupted = new AnomalyDetector(DetectorSettings.DEFAULT);
        AnomalyDetector beforeRestart = new AnomalyDetector(DetectorSettings.DEFAULT);
        for (int i = 0; i < 1_000; i++) {
            uninterrupted.update(minute(5 * i), values[i]);
            beforeRestart.update(minute(5 * i), values[i]);
        }

        byte[] state = beforeRestart.toBytes();
        AnomalyDetector afterRestart = AnomalyDetector.fromBytes(state, DetectorSettings.DEFAULT);

        assertThat(state).hasSize(AnomalyDetector.STATE_BYTES).hasSizeLessThanOrEqualTo(4_096);
        double highest = 0;
        for (int i = 1_000; i < values.length; i++) {
            AnomalyScore score = uninterrupted.update(minute(5 * i), values[i]);
            assertThat(afterRestart.update(minute(5 * i), values[i])).isEqualTo(score);
            highest = Math.max(highest, score.score());
        }
        assertThat(highest).isGreaterThan(0); // the part after the restart does score something
    }

    @Test
    void shouldTreatWhatItHasSeenBeforeAsNoNews() {
        SplittableRandom random = new SplittableRandom(4);
        double firstTime = 0;
        double tenthTime = 0;
        for (int i = 0; i < 12 * 288; i++) { // every five minutes, twelve days
            boolean nightlyJob = i % 288 == 24 && i / 288 >= 2; // a spike at 02:00 every day from day 2 on
            double score = detector.update(minute(5 * i), 10 + random.nextGaussian() + (nightlyJob ? 30 : 0)).score();
            if (nightlyJob && i / 288 == 2) {
                firstTime = score;
            }
            if (nightlyJob && i / 288 == 11) {
                tenthTime = score;
            }
        }
        assertThat(firstTime).isGreaterThan(0.95); // far outside anything seen before
        assertThat(tenthTime).isLessThan(0.85); // at most a hair above the earlier spikes
    }

    @Test
    void shouldReportWhatItHasSeenBeforeButNeverAtThisTimeOfDay() {
        SplittableRandom random = new SplittableRandom(5);
        double nightly = 1;
        double atNoon = 0;
        for (int i = 0; i < 12 * 288; i++) { // every five minutes, twelve days
            boolean nightlyJob = i % 288 == 24; // a spike to 40 at 02:00 every day ...
            boolean strayJob = i == 11 * 288 + 144; // ... and once, on day 11, a smaller one at noon
            double value = nightlyJob ? 40 : strayJob ? 35 : 10 + random.nextGaussian();
            double score = detector.update(minute(5 * i), value).score();
            if (nightlyJob && i / 288 == 11) {
                nightly = score;
            }
            if (strayJob) {
                atNoon = score;
            }
        }
        assertThat(nightly).isLessThan(DetectorSettings.DEFAULT.contextBase()); // done at 02:00 before: no news
        assertThat(atNoon).isGreaterThanOrEqualTo(0.7).isLessThan(0.8); // inside the range, never at noon: contextual tier
    }

    @Test
    void shouldRefuseStateItCannotRead() {
        byte[] state = detector.toBytes();
        byte[] future = state.clone();
        future[0] = 9;

        assertThatThrownBy(() -> AnomalyDetector.fromBytes(future, DetectorSettings.DEFAULT)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> AnomalyDetector.fromBytes(new byte[] {AnomalyDetector.STATE_VERSION, 1, 2}, DetectorSettings.DEFAULT))
                .hasMessageContaining("got 3");
    }
}
