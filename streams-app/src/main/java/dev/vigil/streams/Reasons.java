package dev.vigil.streams;

import org.apache.avro.specific.SpecificRecordBase;

import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.streams.state.ScoredSample;

/**
 * The detector's {@link AnomalyReason} as the Avro contracts carry it. The two enums have the same symbols; on the
 * wire "no reason" is null rather than NONE, so that a score without one costs a single byte.
 */
final class Reasons {

    private Reasons() {
    }

    /** The Avro symbol of {@code reason}, or null for {@link AnomalyReason#NONE}. */
    static dev.vigil.avro.AnomalyReason toAvro(AnomalyReason reason) {
        return reason == AnomalyReason.NONE ? null : dev.vigil.avro.AnomalyReason.valueOf(reason.name());
    }

    /** As {@link #withReason(SpecificRecordBase, ScoredSample, String)}, in the sample's own words. */
    static <R extends SpecificRecordBase> R withReason(R record, ScoredSample sample) {
        return withReason(record, sample, sample == null ? "" : sample.why());
    }

    /**
     * Fills the reason fields that {@code Alert} and {@code AlertEvidence} share (their schemas name them alike) from
     * the sample behind an alert; without one (an alert that opened before reasons were recorded) the reason and
     * its numbers stay null.
     *
     * @param text the reason in plain words
     */
    static <R extends SpecificRecordBase> R withReason(R record, ScoredSample sample, String text) {
        record.put("reasonText", text);
        if (sample != null) {
            AnomalyScore score = sample.score();
            record.put("reason", toAvro(score.reason()));
            record.put("reasonObserved", score.observed());
            record.put("reasonUsualLow", score.usualLow());
            record.put("reasonUsualHigh", score.usualHigh());
            record.put("reasonBasisDays", score.basis());
        }
        return record;
    }
}
