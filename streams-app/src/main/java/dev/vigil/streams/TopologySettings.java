package dev.vigil.streams;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

import dev.vigil.detection.DetectorSettings;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.streams.alerts.AlertPolicy;

/**
 * What the topology does, apart from where it runs.
 *
 * @param detector          detector parameters (the NAB-evaluated defaults)
 * @param alerts            when scores become alerts
 * @param rollupGrace       a silent series' rollup window is emitted this long after it ends; a sample for a
 *                          window that old is late and left out of rollups ({@code rollups.grace}, 30s)
 * @param forecastHorizon   forecasts are for this far ahead of a series' newest sample, one per series per
 *                          minute ({@code forecasts.horizon}, 15m)
 * @param maxSeriesPerHost  series beyond this many on one host are refused to the dead-letter topic
 *                          ({@code max.series.per.host}, 2000), so one runaway host cannot exhaust memory
 * @param closeCheckEvery   how often (wall clock) silent series' windows are checked for closing
 *                          ({@code rollups.close.check.every}, 5s)
 * @param maxClockSkew      samples stamped further than this ahead of the application's clock are refused to the
 *                          dead-letter topic ({@code max.clock.skew}, 5m): a host whose clock runs ahead would
 *                          otherwise close every other host's rollup windows early and, once its clock is put
 *                          right, have its series' newer samples skipped as out of order
 */
public record TopologySettings(DetectorSettings detector, AlertPolicy alerts, Duration rollupGrace,
                               Duration forecastHorizon, int maxSeriesPerHost, Duration closeCheckEvery, Duration maxClockSkew) {

    public static final TopologySettings DEFAULT = new TopologySettings(DetectorSettings.DEFAULT, AlertPolicy.DEFAULT,
            Duration.ofSeconds(30), Duration.ofMinutes(15), 2000, Duration.ofSeconds(5), Duration.ofMinutes(5));

    public TopologySettings {
        Objects.requireNonNull(detector, "detector can't be null");
        Objects.requireNonNull(alerts, "alerts can't be null");
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
    }

    /** These settings with another {@link #maxClockSkew()}. */
    public TopologySettings withMaxClockSkew(Duration skew) {
        return new TopologySettings(detector, alerts, rollupGrace, forecastHorizon, maxSeriesPerHost, closeCheckEvery, skew);
    }

    /** Reads the settings; every key is optional and falls back to {@link #DEFAULT}. */
    public static TopologySettings from(ConfigSource config) {
        AlertPolicy d = AlertPolicy.DEFAULT;
        AlertPolicy alerts = new AlertPolicy(
                config.decimal("alerts.open.threshold", d.openThreshold(), 0, 1),
                config.decimal("alerts.resolve.threshold", d.resolveThreshold(), 0, 1),
                optionalDuration(config, "alerts.open.after", d.openAfter()),
                optionalDuration(config, "alerts.resolve.after", d.resolveAfter()),
                optionalDuration(config, "alerts.update.every", d.updateEvery()),
                config.duration("alerts.flap.window", d.flapWindow()),
                config.integer("alerts.flap.limit", d.flapLimit(), 2, 1000),
                config.integer("alerts.host.min.series", d.hostMinSeries(), 2, 100_000),
                config.decimal("alerts.critical.score", d.criticalScore(), 0, 1),
                config.string("alerts.dashboard.url", d.dashboardUrl()));
        TopologySettings defaults = DEFAULT;
        return new TopologySettings(DetectorSettings.DEFAULT, alerts,
                optionalDuration(config, "rollups.grace", defaults.rollupGrace()),
                config.duration("forecasts.horizon", defaults.forecastHorizon()),
                config.integer("max.series.per.host", defaults.maxSeriesPerHost(), 1, 1_000_000),
                config.duration("rollups.close.check.every", defaults.closeCheckEvery()),
                optionalDuration(config, "max.clock.skew", defaults.maxClockSkew()));
    }

    /** A duration where zero is meaningful ("at once"), written as 0 or 0s. */
    private static Duration optionalDuration(ConfigSource config, String key, Duration defaultValue) {
        String raw = config.optional(key).orElse(null);
        if (raw != null && raw.strip().matches("0+[a-z]*")) {
            return Duration.ZERO;
        }
        return config.duration(key, defaultValue);
    }
}
