package dev.vigil.streams;

import dev.vigil.avro.AlertEvent;
import dev.vigil.prediction.BoundedMetric;
import dev.vigil.prediction.PredictedAlert;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.streams.state.HostState;
import dev.vigil.streams.state.SeriesKey;
import dev.vigil.streams.state.SeriesState;
import dev.vigil.streams.state.WindowAccumulator;

/**
 * Watches bounded series for running out: when such a series' minute closes, its mean goes to the series'
 * {@link ExhaustionForecaster}, and the estimate moves its {@link PredictedAlert}, whose events this sends. Once a
 * minute per bounded series, never per sample, so scoring does not pay for it.
 */
final class ExhaustionWatch {

    private static final long MINUTE = RollupWindows.MINUTE;

    private final TopologySettings settings;
    private final AlertFactory alerts;
    private final ProcessorOutput output;

    ExhaustionWatch(TopologySettings settings, AlertFactory alerts, ProcessorOutput output) {
        this.settings = settings;
        this.alerts = alerts;
        this.output = output;
    }

    /** The series' minute {@code window} closed; {@code recordTime} stamps what this sends. */
    void minuteClosed(long recordTime, String hostId, HostState host, SeriesState series, WindowAccumulator window) {
        SeriesPrediction prediction = series.prediction();
        if (prediction == null || window.count() == 0) {
            return;
        }
        double ceiling = ceiling(host, series.key(), prediction.metric());
        if (!(ceiling > 0)) {
            return; // the limit series has not reported (yet): nothing to run out of
        }
        PredictedAlert.Transition transition = prediction.minuteClosed(window.windowStart(), window.mean(), ceiling,
                settings.prediction(), settings.alerts().updateEvery());
        long end = window.windowStart() + MINUTE;
        AlertEvent event = switch (transition) {
            case OPENED -> AlertEvent.OPENED;
            case UPDATED -> AlertEvent.UPDATED;
            case RESOLVED -> AlertEvent.RESOLVED;
            case NONE -> null;
        };
        if (event != null) {
            output.alert(hostId, recordTime, alerts.predictedAlert(hostId, host, series, event, end, settings.prediction().horizon()));
        }
    }

    /**
     * The series' ceiling: fixed for its metric, or the newest value of the host's limit series with the same labels; NaN
     * when that has not reported.
     */
    static double ceiling(HostState host, SeriesKey key, BoundedMetric metric) {
        if (metric.limitMetric().isEmpty()) {
            return metric.ceiling();
        }
        SeriesState limit = host.series(SeriesKey.lookup(metric.limitMetric().get(), key.labels()));
        return limit == null || limit.lastTimestamp() == 0 ? Double.NaN : limit.lastValue();
    }
}
