package dev.vigil.prediction;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** What is kept about a bounded series to warn before it runs out: its forecaster and its PREDICTED alert. */
public final class SeriesPrediction {

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
