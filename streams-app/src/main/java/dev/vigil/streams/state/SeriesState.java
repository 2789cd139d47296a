package dev.vigil.streams.state;

import java.util.Objects;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyReason;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.prediction.BoundedMetrics;
import dev.vigil.prediction.SeriesPrediction;
import dev.vigil.streams.alerts.AlertPolicy;
import dev.vigil.streams.alerts.SeriesAlert;

/**
 * Everything the application remembers about one series: its detector, its last score (for interactive
 * queries), the rollup windows it is filling, its alert and the sample that drove the alert, and for a series with a
 * known ceiling ({@link BoundedMetrics}) its prediction of running out.
 */
public final class SeriesState {

    private final SeriesKey key;
    private final String seriesId;
    private final AnomalyDetector detector;
    private final SeriesAlert alert;
    private long lastTimestamp;
    private double lastValue;
    private AnomalyScore lastScore;
    private ScoredSample peak;
    private WindowAccumulator minute;
    private WindowAccumulator hour;
    private SeriesPrediction prediction;

    SeriesState(SeriesKey key, String seriesId, AnomalyDetector detector, SeriesAlert alert) {
        this.key = Objects.requireNonNull(key, "key can't be null");
        this.seriesId = Objects.requireNonNull(seriesId, "seriesId can't be null");
        this.detector = Objects.requireNonNull(detector, "detector can't be null");
        this.alert = Objects.requireNonNull(alert, "alert can't be null");
        this.prediction = BoundedMetrics.of(key.metric()).map(SeriesPrediction::of).orElse(null);
    }

    public SeriesKey key() {
        return key;
    }

    public String seriesId() {
        return seriesId;
    }

    public AnomalyDetector detector() {
        return detector;
    }

    public SeriesAlert alert() {
        return alert;
    }

    /** Time of the newest sample taken in; 0 before the first. */
    public long lastTimestamp() {
        return lastTimestamp;
    }

    public double lastValue() {
        return lastValue;
    }

    /** The newest sample's score, or null before the first. */
    public AnomalyScore lastScore() {
        return lastScore;
    }

    public void recordScored(long timestamp, double value, AnomalyScore score) {
        this.lastTimestamp = timestamp;
        this.lastValue = value;
        this.lastScore = score;
    }

    /**
     * Moves the alert along with the newest score (taken in by {@link #recordScored}) and keeps the sample that
     * opened it or, later, scored higher than any since, with its reason: why the alert opened, still known
     * when the scores have gone back to 0 and in its RESOLVED event.
     */
    public SeriesAlert.Transition observeAlert(AlertPolicy policy) {
        Objects.requireNonNull(lastScore, "observeAlert before the first recordScored");
        SeriesAlert.Transition transition = alert.observe(lastTimestamp, lastScore.score(), policy);
        if (transition == SeriesAlert.Transition.OPENED || alert.isOpen() && lastScore.reason() != AnomalyReason.NONE
                && (peak == null || lastScore.score() > peak.score().score())) {
            peak = new ScoredSample(lastTimestamp, lastValue, lastScore);
        }
        return transition;
    }

    /**
     * The sample with the highest score since the alert last opened (kept after it resolves), or null: before the
     * first alert, and for an alert that opened before this was recorded and has not scored since.
     */
    public ScoredSample peak() {
        return peak;
    }

    void peak(ScoredSample sample) {
        this.peak = sample;
    }

    /** The prediction of running out, for a series of a bounded metric; null for any other. */
    public SeriesPrediction prediction() {
        return prediction;
    }

    void prediction(SeriesPrediction prediction) {
        this.prediction = prediction;
    }

    /** The open one-minute window, or null. */
    public WindowAccumulator minute() {
        return minute;
    }

    public void minute(WindowAccumulator window) {
        this.minute = window;
    }

    /** The open one-hour window, or null. */
    public WindowAccumulator hour() {
        return hour;
    }

    public void hour(WindowAccumulator window) {
        this.hour = window;
    }
}
