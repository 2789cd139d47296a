package dev.vigil.streams;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.detection.DetectorSettings;
import dev.vigil.prediction.PredictionPolicy;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.streams.alerts.AlertKeys;
import dev.vigil.streams.alerts.AlertPolicy;

/**
 * What the topology does, apart from where it runs; the keys and docs of each setting are in {@link StreamsKeys}. The
 * detector is not among them: its parameters are fixed ({@link DetectorSettings#DEFAULT}).
 *
 * @param alerts            when scores become alerts
 * @param prediction        when a predicted exhaustion becomes a PREDICTED alert
 * @param rollupGrace       a silent series' rollup window is emitted this long after it ends; a sample for a
 *                          window that old is late and left out of rollups ({@code rollups.grace})
 * @param forecastHorizon   forecasts are for this far ahead of a series' newest sample, one per series per
 *                          minute ({@code forecasts.horizon})
 * @param maxSeriesPerHost  series beyond this many on one host are refused to the dead-letter topic
 *                          ({@code max.series.per.host}), so one runaway host cannot exhaust memory
 * @param closeCheckEvery   how often (wall clock) silent series' windows are checked for closing
 *                          ({@code rollups.close.check.every})
 * @param maxClockSkew      samples stamped further than this ahead of the application's clock are refused to the
 *                          dead-letter topic ({@code max.clock.skew}): a host whose clock runs ahead would
 *                          otherwise close every other host's rollup windows early and, once its clock is put
 *                          right, have its series' newer samples skipped as out of order
 * @param hostSilenceAfter  a host that has not reported for this long, on the application's clock, opens a HOST_SILENT
 *                          alert ({@code host.silence.after}); zero watches no host
 */
public record TopologySettings(AlertPolicy alerts, PredictionPolicy prediction, Duration rollupGrace,
                               Duration forecastHorizon, int maxSeriesPerHost, Duration closeCheckEvery, Duration maxClockSkew,
                               Duration hostSilenceAfter) {

    public static final TopologySettings DEFAULT = new TopologySettings(AlertPolicy.DEFAULT, PredictionPolicy.DEFAULT,
            Duration.ofSeconds(30), Duration.ofMinutes(15), 2000, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(5));

    public TopologySettings {
        Objects.requireNonNull(alerts, "alerts can't be null");
        Objects.requireNonNull(prediction, "prediction can't be null");
        if (rollupGrace.isNegative()) {
            throw new ConfigException("rollups.grace", rollupGrace.toString(), "must not be negative");
        }
        if (forecastHorizon.isNegative() || forecastHorizon.isZero()) {
            throw new ConfigException("forecasts.horizon", forecastHorizon.toString(), "must be positive");
        }
        if (maxSeriesPerHost < 1) {
            throw new ConfigException("max.series.per.host", maxSeriesPerHost, "must be at least 1");
        }
        if (closeCheckEvery.isNegative() || closeCheckEvery.isZero()) {
            throw new ConfigException("rollups.close.check.every", closeCheckEvery.toString(), "must be positive");
        }
        if (maxClockSkew.isNegative()) {
            throw new ConfigException("max.clock.skew", maxClockSkew.toString(), "must not be negative");
        }
        if (hostSilenceAfter.isNegative()) {
            throw new ConfigException("host.silence.after", hostSilenceAfter.toString(), "must not be negative");
        }
    }

    /** These settings with another {@link #maxClockSkew()}. */
    public TopologySettings withMaxClockSkew(Duration skew) {
        return new TopologySettings(alerts, prediction, rollupGrace, forecastHorizon, maxSeriesPerHost, closeCheckEvery, skew,
                hostSilenceAfter);
    }

    /** These settings with another {@link #hostSilenceAfter()}. */
    public TopologySettings withHostSilenceAfter(Duration after) {
        return new TopologySettings(alerts, prediction, rollupGrace, forecastHorizon, maxSeriesPerHost, closeCheckEvery, maxClockSkew,
                after);
    }

    /** Reads the settings; every key is optional and falls back to {@link #DEFAULT}. */
    static TopologySettings from(ConfigValues config) {
        return new TopologySettings(AlertKeys.policy(config), AlertKeys.prediction(config),
                config.get(StreamsKeys.ROLLUPS_GRACE),
                config.get(StreamsKeys.FORECASTS_HORIZON),
                config.get(StreamsKeys.MAX_SERIES_PER_HOST),
                config.get(StreamsKeys.ROLLUPS_CLOSE_CHECK_EVERY),
                config.get(StreamsKeys.MAX_CLOCK_SKEW),
                config.get(StreamsKeys.HOST_SILENCE_AFTER));
    }
}
