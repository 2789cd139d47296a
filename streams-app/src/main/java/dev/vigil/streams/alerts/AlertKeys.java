package dev.vigil.streams.alerts;

import java.time.Duration;

import dev.vigil.prediction.PredictionPolicy;
import dev.vigil.runtime.config.ConfigDefinition;
import dev.vigil.runtime.config.ConfigKey;
import dev.vigil.runtime.config.ConfigValues;

/**
 * The settings of the streams application that shape alerts ({@code alerts.*}), defined once with their defaults from
 * {@link AlertPolicy#DEFAULT}: {@link #policy} reads them, docs/alerts.md lists them.
 */
public final class AlertKeys {

    private static final AlertPolicy DEFAULT = AlertPolicy.DEFAULT;

    public static final ConfigKey<Double> OPEN_THRESHOLD = ConfigKey.decimal("alerts.open.threshold", 0, 1).withDefault(DEFAULT.openThreshold())
            .doc("scores at or above this count towards opening. A score is the detector's surprise over 30 nats ([detection.md](detection.md)): "
                    + "0.5 is 15 nats, about one in three million samples of a series behaving as before; chosen with `vigil eval fleet` so that "
                    + "a healthy fleet sampled every 10 s opens about 0.06 alerts per host-day (200 hosts x 50 series, a week). Each score "
                    + "carries the verdict (`anomalous`, stored in `vigil_samples`), which is what the dashboards count");
    public static final ConfigKey<Duration> OPEN_AFTER = ConfigKey.durationOrZero("alerts.open.after").withDefault(DEFAULT.openAfter())
            .doc("how long scores must stay high before opening; 0 opens on the first high score");
    public static final ConfigKey<Double> RESOLVE_THRESHOLD = ConfigKey.decimal("alerts.resolve.threshold", 0, 1)
            .withDefault(DEFAULT.resolveThreshold()).doc("scores below this count towards resolving; at most `alerts.open.threshold`");
    public static final ConfigKey<Duration> RESOLVE_AFTER = ConfigKey.durationOrZero("alerts.resolve.after").withDefault(DEFAULT.resolveAfter())
            .doc("how long scores must stay below it");
    public static final ConfigKey<Duration> UPDATE_EVERY = ConfigKey.durationOrZero("alerts.update.every").withDefault(DEFAULT.updateEvery())
            .doc("heartbeat of an open alert");
    public static final ConfigKey<Duration> FLAP_WINDOW = ConfigKey.duration("alerts.flap.window").withDefault(DEFAULT.flapWindow())
            .doc("flapping: `alerts.flap.limit` opens within about this long");
    public static final ConfigKey<Integer> FLAP_LIMIT = ConfigKey.integer("alerts.flap.limit", 2, 1000).withDefault(DEFAULT.flapLimit())
            .doc("see `alerts.flap.window`");
    public static final ConfigKey<Integer> HOST_MIN_SERIES = ConfigKey.integer("alerts.host.min.series", 2, 100_000)
            .withDefault(DEFAULT.hostMinSeries()).doc("series of one host alerting at once that become one host alert");
    public static final ConfigKey<Double> CRITICAL_SCORE = ConfigKey.decimal("alerts.critical.score", 0, 1).withDefault(DEFAULT.criticalScore())
            .doc("peak score from which an alert is CRITICAL (27 nats)");
    public static final ConfigKey<String> DASHBOARD_URL = ConfigKey.string("alerts.dashboard.url").withDefault(DEFAULT.dashboardUrl())
            .doc("base of the `links`");

    public static final ConfigKey<Duration> PREDICT_HORIZON = ConfigKey.duration("alerts.predict.horizon")
            .withDefault(PredictionPolicy.DEFAULT.horizon())
            .doc("a bounded series (a filesystem, memory, open files: [which](#predicted-alerts)) expected to reach its ceiling "
                    + "within this long opens a PREDICTED alert; it resolves once that is no longer expected within 1.5 times this long");

    public static final ConfigDefinition DEFINITION = ConfigDefinition.of("the alert policy").with(OPEN_THRESHOLD, OPEN_AFTER,
            RESOLVE_THRESHOLD, RESOLVE_AFTER, UPDATE_EVERY, FLAP_WINDOW, FLAP_LIMIT, HOST_MIN_SERIES, CRITICAL_SCORE, DASHBOARD_URL,
            PREDICT_HORIZON);

    private AlertKeys() {
    }

    /** When predicted exhaustions become alerts, as the settings say. */
    public static PredictionPolicy prediction(ConfigValues config) {
        return new PredictionPolicy(config.get(PREDICT_HORIZON));
    }

    /** The alert policy the settings describe. */
    public static AlertPolicy policy(ConfigValues config) {
        return new AlertPolicy(config.get(OPEN_THRESHOLD), config.get(RESOLVE_THRESHOLD), config.get(OPEN_AFTER), config.get(RESOLVE_AFTER),
                config.get(UPDATE_EVERY), config.get(FLAP_WINDOW), config.get(FLAP_LIMIT), config.get(HOST_MIN_SERIES),
                config.get(CRITICAL_SCORE), config.get(DASHBOARD_URL));
    }
}
