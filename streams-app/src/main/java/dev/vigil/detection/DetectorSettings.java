package dev.vigil.detection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The detector's parameters. They are fixed for every series; docs/detection.md explains them. The three weights
 * are the only ones chosen from labelled data, by cross-validation on shared/nab ({@link #candidates()}).
 *
 * <p>Not configurable: the streams application runs {@link #DEFAULT} and has no settings for it, because the
 * evaluated figures hold for these values only. Other instances exist for the evaluators (the cross-validation
 * candidates) and tests.
 *
 * @param warmup           samples before the first score: no alarm while a series is still learning
 * @param levelAlpha       weight of a new sample in the forecast level
 * @param spreadAlpha      weight of a new residual in the spread estimate
 * @param longAlpha        weight of a new sample in the long-term mean and variance
 * @param shortAlpha       weight of a new sample in the short-term mean and variance
 * @param sustainAlpha     weight of a new residual in the sustained (smoothed, signed) residual
 * @param recordDecay      per-sample decay of the largest evidence seen so far, so an old record fades
 * @param intervalWidth    half-width of the prediction interval, in spreads
 * @param alertLevel       a score this high reports an event ...
 * @param suppression      ... and the next this many samples report 0 unless they score higher still
 * @param dailyDiscount    share of what a time of day usually scores that is taken off the evidence score
 * @param dailyAlpha       weight of a new score in its time of day's usual score
 * @param seasonalAlpha    weight of a new sample in its time of day's offset from the level
 * @param stuckNats        improbability (in nats, at the series' own rate of repeating a value) a run of the
 *                         same value must reach, beyond the longest run seen, to be reported as stuck
 * @param contextHours     half-width, in hours, of the time of day a value is compared with: the same hour give
 *                         or take this many (a daily shape that comes a little early or late is not news)
 * @param contextDays      days of data before the time-of-day comparison counts: each hour has then been seen
 *                         on several days
 * @param timeOfDayWeight  how far the time-of-day test's surprise is trusted (1: at face value)
 * @param transitionWeight how far the transition test's surprise is trusted
 * @param evidenceWeight   how far the evidence records' surprise is trusted
 */
public record DetectorSettings(int warmup, double levelAlpha, double spreadAlpha, double longAlpha, double shortAlpha,
                               double sustainAlpha, double recordDecay, double intervalWidth, double alertLevel,
                               int suppression, double dailyDiscount, double dailyAlpha, double seasonalAlpha,
                               double stuckNats, int contextHours, double contextDays, double timeOfDayWeight,
                               double transitionWeight, double evidenceWeight) {

    public static final DetectorSettings DEFAULT = new DetectorSettings(150, 0.05, 0.02, 0.005, 0.1, 0.1, 0.9998, 3.0,
            0.5, 50, 0.5, 0.5, 0.2, 20, 3, 3, 1, 1, 0.5);

    /**
     * The parameter sets cross-validation chooses from ({@code vigil eval nab --cv}), by name; {@link #DEFAULT}
     * is the one chosen on all of shared/nab. Kept small: every choice made from data is a chance to overfit.
     */
    public static Map<String, DetectorSettings> candidates() {
        Map<String, DetectorSettings> grid = new LinkedHashMap<>();
        for (double timeOfDay : new double[] {0.5, 1}) {
            for (double transition : new double[] {0.5, 1}) {
                for (double evidence : new double[] {0.5, 1}) {
                    grid.put("timeOfDay=%s,transition=%s,evidence=%s".formatted(timeOfDay, transition, evidence),
                            DEFAULT.withWeights(timeOfDay, transition, evidence));
                }
            }
        }
        return grid;
    }

    /** These settings with other weights for the time-of-day, transition and evidence tests. */
    public DetectorSettings withWeights(double timeOfDay, double transition, double evidence) {
        return new DetectorSettings(warmup, levelAlpha, spreadAlpha, longAlpha, shortAlpha, sustainAlpha, recordDecay, intervalWidth,
                alertLevel, suppression, dailyDiscount, dailyAlpha, seasonalAlpha, stuckNats, contextHours, contextDays, timeOfDay,
                transition, evidence);
    }

    public DetectorSettings {
        if (contextHours < 0 || contextHours > 11) {
            throw new IllegalArgumentException("contextHours must be 0 to 11, got " + contextHours);
        }
    }
}
