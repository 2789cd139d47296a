package dev.vigil.streams.state;

import java.util.Objects;

import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.detection.ReasonText;

/**
 * One sample with its score: what a series keeps of the sample behind its alert, so the alert can say why it
 * opened after the scores have gone back to 0.
 *
 * @param timestamp sample time, epoch milliseconds
 * @param value     the sample's value
 * @param score     what the detector made of it
 */
public record ScoredSample(long timestamp, double value, AnomalyScore score) {

    public ScoredSample {
        Objects.requireNonNull(score, "score can't be null");
    }

    /** Whether the score names the test that drove it. */
    public boolean hasReason() {
        return score.reason() != AnomalyReason.NONE;
    }

    /** The score's reason in plain words; empty when it has none. */
    public String why() {
        return ReasonText.describe(score, value, timestamp);
    }
}
