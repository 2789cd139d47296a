package dev.vigil.detection;

import java.util.Objects;

/**
 * What the detector makes of one sample, and why.
 *
 * @param expected  the forecast for this sample, made before seeing it
 * @param lower     lower bound of the prediction interval
 * @param upper     upper bound of the prediction interval
 * @param score     anomaly score in [0, 1]; 0 while learning
 * @param learning  true while the series is too young to judge
 * @param reason    the test that drove the score; {@link AnomalyReason#NONE} when the score is 0
 * @param observed  the number that test measured (see {@link AnomalyReason} for each reason's meaning)
 * @param usualLow  the low end of what that test considered usual
 * @param usualHigh the high end of what that test considered usual
 * @param basis     days of history that judgement rests on
 */
public record AnomalyScore(double expected, double lower, double upper, double score, boolean learning,
                           AnomalyReason reason, double observed, double usualLow, double usualHigh, double basis) {

    public AnomalyScore {
        Objects.requireNonNull(reason, "reason can't be null");
    }

    /** A score without a reason: nothing unusual, or stored before reasons existed. */
    public AnomalyScore(double expected, double lower, double upper, double score, boolean learning) {
        this(expected, lower, upper, score, learning, AnomalyReason.NONE, 0, 0, 0, 0);
    }
}
