package dev.vigil.prediction;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/** What is kept about a bounded series to warn before it runs out: its forecaster and its PREDICTED alert. */
public final class SeriesPrediction {

    private static final long MINUTE = 60_000;
    /** Serialised size. */
    public static final int BYTES = ExhaustionForecaster.BYTES + PredictedAlert.BYTES;

    private final BoundedMetric metric;
    private final ExhaustionForecaster forecaster;
    private final PredictedAlert alert;

    private SeriesPrediction(BoundedMetric metric, ExhaustionForecaster forecaster, PredictedAlert alert) {
        this.metric = Objects.requireNonNull(metric, "metric can't be null");
        this.forecaster = forecaster;
        this.alert = alert;
    }

    /** A fresh prediction for a series of {@code metric}. */
    public static SeriesPrediction of(BoundedMetric metric) {
        return new SeriesPrediction(metric, new ExhaustionForecaster(), new PredictedAlert());
    }

    public BoundedMetric metric() {
        return metric;
    }

    public ExhaustionForecaster forecaster() {
        return forecaster;
    }

    public PredictedAlert alert() {
        return alert;
    }

    /**
     * One closed minute of the series: its mean goes to the forecaster, whose estimate moves the alert. What the
     * streams application does once a minute per bounded series, and what offline evaluations do the same way.
     *
     * @param windowStart the minute's start (epoch ms); the estimate is as of its middle, the alert's event at its end
     * @param ceiling     the series' ceiling now
     */
    public PredictedAlert.Transition minuteClosed(long windowStart, double mean, double ceiling, PredictionPolicy policy,
                                                  Duration updateEvery) {
        forecaster.addMinute(windowStart + MINUTE / 2, mean);
        return alert.observe(windowStart + MINUTE, forecaster.estimate(ceiling), policy.horizon(), updateEvery);
    }

    public void writeTo(ByteBuffer out) {
        forecaster.writeTo(out);
        alert.writeTo(out);
    }

    /** @throws BufferUnderflowException for a truncated state */
    public static SeriesPrediction readFrom(ByteBuffer in, BoundedMetric metric) {
        SeriesPrediction prediction = of(metric);
        prediction.forecaster.readFrom(in);
        prediction.alert.readFrom(in);
        return prediction;
    }
}
