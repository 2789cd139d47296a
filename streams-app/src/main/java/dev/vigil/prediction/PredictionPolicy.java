package dev.vigil.prediction;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

/**
 * When a predicted exhaustion becomes a PREDICTED alert.
 *
 * @param horizon an exhaustion expected within this long opens the alert ({@code alerts.predict.horizon}, 6h: time to
 *                act on it within a working day)
 */
public record PredictionPolicy(Duration horizon) {

    public static final PredictionPolicy DEFAULT = new PredictionPolicy(Duration.ofHours(6));

    public PredictionPolicy {
        Objects.requireNonNull(horizon, "horizon can't be null");
        if (horizon.isNegative() || horizon.isZero()) {
            throw new ConfigException("alerts.predict.horizon", horizon.toString(), "must be positive");
        }
    }
}
