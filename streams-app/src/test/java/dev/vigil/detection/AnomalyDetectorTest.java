package dev.vigil.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

    /** The streams application's default alerts.open.threshold: a score that would open an alert. */
    private static final double ALERTING = 0.5;

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
    void shouldScoreASpikeInNoiseAboveEverythingBeforeItAndSayWhy() {
        SplittableRandom random = new SplittableRandom(1);
        double highestBefore = 0;
        for (int i = 0; i < 1_000; i++) {
            highestBefore = Math.max(highestBefore, detector.update(minute(i), 100 + random.nextGaussian()).score());
        }

        AnomalyScore spike = detector.update(minute(1_000), 130);

        assertThat(spike.score()).isGreaterThan(highestBefore).isGreaterThanOrEqualTo(0.9); // far outside the range seen so far
        assertThat(spike.reason()).isEqualTo(AnomalyReason.OUT_OF_RANGE);
        assertThat(spike.observed()).isEqualTo(130);
        assertThat(spike.usualHigh()).isBetween(102.0, 106.0); // the highest of a thousand normal values
        assertThat(spike.usualLow()).isBetween(94.0, 98.0);
        assertThat(spike.upper()).isLessThan(130);
        assertThat(spike.expected()).isBetween(98.0, 102.0);
        assertThat(ReasonText.describe(spike, 130, minute(1_000))).startsWith("130 is above everything seen in");
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
            if (i >= DetectorSettings.DEFAULT.warmup() + 100) { // its rate of new maxima has been seen by then
                highestClean = Math.max(highestClean, clean);
                highestNoisy = Math.max(highestNoisy, withNoise);
            }
        }
        assertThat(highestClean).isLessThan(ALERTING);
        assertThat(highestNoisy).isLessThan(ALERTING);
    }

    @Test
    void shouldAdaptToHeavyTailedNoiseInsteadOfAlarmingAtEachNewRecord() {
        // Pareto noise (tail index 2) sets records far beyond the old ones now and then: that is what it does.
        SplittableRandom random = new SplittableRandom(12);
        int alerting = 0;
        for (int i = 0; i < 20_000; i++) {
            double score = detector.update(minute(5 * i), 10 / Math.sqrt(1 - random.nextDouble())).score();
            if (score >= ALERTING) {
                alerting++;
            }
        }
        assertThat(alerting).isLessThanOrEqualTo(6); // under one in 3,000 samples
    }

    @Test
    void shouldReportAStuckValueOnceInAPreviouslyNoisySeriesAndAgainWhenItSticksAgain() {
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 1_000; i++) {
            detector.update(minute(i), 100 + random.nextGaussian());
        }
        for (int episode = 0; episode < 2; episode++) {
            double stuckAt = 100 + random.nextGaussian();
            int reports = 0;
            AnomalyScore report = null;
            for (int i = 0; i < 60; i++) {
                AnomalyScore score = detector.update(minute(2_000 * (episode + 1) + i), stuckAt);
                if (score.score() >= ALERTING) {
                    reports++;
                    report = score;
                }
            }
            for (int i = 60; i < 500; i++) { // back to noise
                detector.update(minute(2_000 * (episode + 1) + i), 100 + random.nextGaussian());
            }
            assertThat(reports).as("episode %d", episode).isEqualTo(1); // well inside the range, but stuck
            assertThat(report.reason()).isEqualTo(AnomalyReason.STUCK);
            assertThat(report.observed()).isBetween(3.0, 10.0); // samples of the same value when it was reported
            assertThat(report.usualHigh()).isLessThan(report.observed());
        }
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
        assertThat(highest).isLessThan(ALERTING);
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
    void shouldNotLetAnEarlierIncidentMakeALaterOneLookOrdinary() {
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            AnomalyDetector afterIncident = new AnomalyDetector(DetectorSettings.DEFAULT);
            AnomalyDetector withoutIncident = new AnomalyDetector(DetectorSettings.DEFAULT);
            double later = 0;
            double alone = 0;
            for (int i = 0; i < 4_600; i++) {
                double value = 10 + random.nextGaussian() + (i == 4_500 ? 10 : 0); // a 10-sigma spike on day 4
                double incident = i == 2_000 ? -30 : 0; // a 30-sigma drop on day 2, in one series only
                double score = afterIncident.update(minute(i), value + incident).score();
                double cleanScore = withoutIncident.update(minute(i), value).score();
                if (i == 4_500) {
                    later = score;
                    alone = cleanScore;
                }
            }
            // How far this series' breakouts go is learned from what it ordinarily does, not from the drop it reported.
            assertThat(later).as("seed %d", seed).isGreaterThanOrEqualTo(ALERTING).isCloseTo(alone, within(0.15));
        }
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
    void shouldCarryOnFromAStateTheVersion4DetectorWrote() throws IOException {
        // Written by the previous release's detector after 2,000 samples of 50 + 10 sin(i / 40) + noise, five minutes apart.
        byte[] full = resource("detector-state/v4-full.bin");
        byte[] core = resource("detector-state/v4-core.bin");
        assertThat(full[0]).isEqualTo((byte) 4);

        AnomalyDetector restored = AnomalyDetector.fromBytes(full, DetectorSettings.DEFAULT);
        AnomalyDetector fromCore = AnomalyDetector.fromCore(core, DailyProfile.inMemory(), DetectorSettings.DEFAULT);

        SplittableRandom random = new SplittableRandom(13);
        double highest = 0;
        for (int i = 2_000; i < 2_300; i++) {
            double value = 50 + 10 * Math.sin(i / 40.0) + random.nextGaussian();
            AnomalyScore score = restored.update(1_700_000_000_000L + i * 300_000L, value);
            assertThat(score.learning()).isFalse(); // it remembers the 2,000 samples it has seen
            assertThat(score.expected()).isBetween(35.0, 65.0); // and its level: a fresh detector would expect 0
            highest = Math.max(highest, score.score());
            fromCore.update(1_700_000_000_000L + i * 300_000L, value);
        }
        assertThat(highest).isLessThan(ALERTING);
        assertThat(restored.update(1_700_000_000_000L + 2_300 * 300_000L, 200).score()).isGreaterThanOrEqualTo(ALERTING);
        assertThat(fromCore.toBytes()[0]).isEqualTo(AnomalyDetector.STATE_VERSION); // written back in the new version
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AnomalyDetectorTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
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
        assertThat(firstTime).isGreaterThanOrEqualTo(0.9); // far outside anything seen before
        assertThat(tenthTime).isLessThan(ALERTING); // at most a hair above the earlier spikes
    }

    @Test
    void shouldReportWhatItHasSeenBeforeButNeverAtThisTimeOfDay() {
        SplittableRandom random = new SplittableRandom(5);
        double nightly = 1;
        AnomalyScore atNoon = null;
        for (int i = 0; i < 12 * 288; i++) { // every five minutes, twelve days
            boolean nightlyJob = i % 288 == 24; // a spike to 40 at 02:00 every day ...
            boolean strayJob = i == 11 * 288 + 144; // ... and once, on day 11, a smaller one at noon
            double value = nightlyJob ? 40 : strayJob ? 35 : 10 + random.nextGaussian();
            AnomalyScore score = detector.update(minute(5 * i), value);
            if (nightlyJob && i / 288 == 11) {
                nightly = score.score();
            }
            if (strayJob) {
                atNoon = score;
            }
        }
        assertThat(nightly).isLessThan(0.1); // done at 02:00 every day: no news
        assertThat(atNoon.score()).isGreaterThanOrEqualTo(ALERTING); // inside the range, but never at noon
        assertThat(atNoon.reason()).isEqualTo(AnomalyReason.UNUSUAL_FOR_TIME_OF_DAY);
        assertThat(atNoon.usualHigh()).isLessThan(20);
        assertThat(atNoon.basis()).isBetween(11.0, 12.0);
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
