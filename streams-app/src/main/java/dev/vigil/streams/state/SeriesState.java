package dev.vigil.streams.state;

import java.util.Objects;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.detection.AnomalyScore;
import dev.vigil.streams.alerts.SeriesAlert;

/**
 * Everything the application remembers about one series: its detector, its last score (for interactive
 * queries), the rollup windows it is filling and its alert.
 */
public final class SeriesState {

    private final SeriesKey key;
    private final String seriesId;
    private final AnomalyDetector detector;
    private final SeriesAlert alert;
    private long lastTimestamp;
    private double lastValue;
    private AnomalyScore lastScore;
    private WindowAccumulator minute;
    private WindowAccumulator hour;

    SeriesState(SeriesKey key, String seriesId, AnomalyDetector detector, SeriesAlert alert) {
        this.key = Objects.requireNonNull(key, "key can't be null");
        this.seriesId = Objects.requireNonNull(seriesId, "seriesId can't be null");
        this.detector = Objects.requireNonNull(detector, "detector can't be null");
        this.alert = Objects.requireNonNull(alert, "alert can't be null");
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
