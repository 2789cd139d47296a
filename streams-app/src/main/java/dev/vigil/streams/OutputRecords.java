package dev.vigil.streams;

import java.time.Instant;

import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.Forecast;
import dev.vigil.avro.Rollup;
import dev.vigil.avro.RollupResolution;
import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.Prediction;
import dev.vigil.streams.state.SeriesState;
import dev.vigil.streams.state.WindowAccumulator;

/** The Avro records the processor emits for a series, built from what the detector and the windows hold. */
final class OutputRecords {

    private OutputRecords() {
    }

    /** One sample's score; {@code anomalous} is the application's verdict (see {@code AlertPolicy#isAnomalous}). */
    static AnomalyScore score(String hostId, SeriesState series, long time, double value, dev.vigil.detection.AnomalyScore score,
                              boolean anomalous) {
        // Every field is set, none left to the builder's defaults (a lookup per field on the hot path); a score
        // without a reason carries nulls: five bytes on the wire instead of forty.
        boolean hasReason = score.reason() != AnomalyReason.NONE;
        return AnomalyScore.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setTimestamp(Instant.ofEpochMilli(time))
                .setValue(value)
                .setExpected(score.expected())
                .setLower(score.lower())
                .setUpper(score.upper())
                .setScore(score.score())
                .setLearning(score.learning())
                .setReason(Reasons.toAvro(score.reason()))
                .setReasonObserved(hasReason ? score.observed() : null)
                .setReasonUsualLow(hasReason ? score.usualLow() : null)
                .setReasonUsualHigh(hasReason ? score.usualHigh() : null)
                .setReasonBasisDays(hasReason ? score.basis() : null)
                .setAnomalous(anomalous)
                .build();
    }

    /** A closed window of a series. */
    static Rollup rollup(String hostId, SeriesState series, WindowAccumulator window, RollupResolution resolution) {
        return Rollup.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setResolution(resolution)
                .setWindowStart(Instant.ofEpochMilli(window.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(window.windowStart() + RollupWindows.sizeOf(resolution)))
                .setCount(window.count())
                .setMin(window.min())
                .setMax(window.max())
                .setMean(window.mean())
                .setLast(window.last())
                .setP95(window.p95())
                .build();
    }

    /** What a series is expected to read at {@code target}, issued at {@code issuedAt}. */
    static Forecast forecast(String hostId, SeriesState series, long issuedAt, long target, Prediction forecast) {
        return Forecast.newBuilder()
                .setHostId(hostId)
                .setMetric(series.key().metric())
                .setLabels(series.key().labels())
                .setSeriesId(series.seriesId())
                .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                .setTargetTime(Instant.ofEpochMilli(target))
                .setExpected(forecast.expected())
                .setLower(forecast.lower())
                .setUpper(forecast.upper())
                .build();
    }
}
