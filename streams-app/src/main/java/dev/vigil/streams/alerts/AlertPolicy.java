package dev.vigil.streams.alerts;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigException;

/**
 * When a series' scores become an alert, and when the alert ends.
 *
 * @param openThreshold    a score at or above this counts towards opening ({@code alerts.open.threshold}, 0.5:
 *                         15 nats of surprise, about one in three million samples of a series that behaves as
 *                         before; chosen with {@code vigil eval fleet} so that a healthy fleet sampled every 10 s
 *                         stays quiet; see docs/alerts.md)
 * @param resolveThreshold a score below this counts towards resolving; between the two thresholds an open alert
 *                         stays open, so a score hovering near one threshold cannot flap it
 *                         ({@code alerts.resolve.threshold}, 0.4)
 * @param openAfter        how long scores must stay at or above {@code openThreshold} before the alert opens
 *                         ({@code alerts.open.after}, 0: at once)
 * @param resolveAfter     how long scores must stay below {@code resolveThreshold} before it resolves
 *                         ({@code alerts.resolve.after}, 5m)
 * @param updateEvery      an open alert emits UPDATED when its peak score rises (at most once a minute) and
 *                         otherwise this often, as a heartbeat ({@code alerts.update.every}, 10m)
 * @param flapWindow       a series that opened {@code flapLimit} times within about this long is flapping; its
 *                         alert then stays open until it has been calm for this long ({@code alerts.flap.window}, 1h)
 * @param flapLimit        ({@code alerts.flap.limit}, 3)
 * @param hostMinSeries    this many series of one host alerting at once become one host alert
 *                         ({@code alerts.host.min.series}, 3)
 * @param criticalScore    an alert whose peak score reaches this is CRITICAL, else WARNING ({@code alerts.critical.score}, 0.9)
 * @param dashboardUrl     base of the links in alerts ({@code alerts.dashboard.url}, http://localhost:3000)
 */
public record AlertPolicy(double openThreshold, double resolveThreshold, Duration openAfter, Duration resolveAfter,
                          Duration updateEvery, Duration flapWindow, int flapLimit, int hostMinSeries,
                          double criticalScore, String dashboardUrl) {

    public static final AlertPolicy DEFAULT = new AlertPolicy(0.5, 0.4, Duration.ZERO, Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofHours(1), 3, 3, 0.9, "http://localhost:3000");

    /** This policy with another open threshold; the resolve threshold is lowered to it if it was above. */
    public AlertPolicy withOpenThreshold(double threshold) {
        return new AlertPolicy(threshold, Math.min(resolveThreshold, threshold), openAfter, resolveAfter, updateEvery, flapWindow,
                flapLimit, hostMinSeries, criticalScore, dashboardUrl);
    }

    /** Whether a sample scored {@code score} counts towards opening an alert: the one place the threshold is compared. */
    public boolean isAnomalous(double score) {
        return score >= openThreshold;
    }

    public AlertPolicy {
        if (!(resolveThreshold > 0 && resolveThreshold <= openThreshold && openThreshold <= 1)) {
            throw new ConfigException("alerts.resolve.threshold", resolveThreshold,
                    "must be above 0 and at most alerts.open.threshold (" + openThreshold + "), which must be at most 1");
        }
        for (Duration duration : new Duration[] {openAfter, resolveAfter, updateEvery, flapWindow}) {
            Objects.requireNonNull(duration, "durations can't be null");
            if (duration.isNegative()) {
                throw new ConfigException("alerts durations must not be negative, got " + duration);
            }
        }
        if (flapLimit < 2) {
            throw new ConfigException("alerts.flap.limit", flapLimit, "must be at least 2");
        }
        if (hostMinSeries < 2) {
            throw new ConfigException("alerts.host.min.series", hostMinSeries, "must be at least 2");
        }
        Objects.requireNonNull(dashboardUrl, "dashboardUrl can't be null");
    }
}
