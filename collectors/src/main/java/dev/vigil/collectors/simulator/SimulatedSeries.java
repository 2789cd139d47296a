package dev.vigil.collectors.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.avro.MetricKind;

/**
 * One simulated series: a template's shape with this series' own level, phases and noise, plus whatever
 * anomaly is under way. Its random numbers come from its own generator, consumed in tick order, so a
 * given seed always gives the same values whatever else runs.
 */
final class SimulatedSeries {

    private static final double DAY_SECONDS = 86_400;
    private static final double WEEK_SECONDS = 7 * DAY_SECONDS;

    private final MetricTemplate template;
    private final Map<String, String> labels;
    private final SplittableRandom random;
    private final double level;
    private final double dailyPhase;
    private final double weeklyPhase;
    private final double noise;

    private AnomalyKind anomaly;
    private long anomalyEndTick;
    private long anomalyStartTick;
    private double magnitude;
    private double stuckValue;
    private double lastValue;

    SimulatedSeries(MetricTemplate template, int instance, SplittableRandom random) {
        this.template = template;
        this.random = random;
        Map<String, String> withInstance = new HashMap<>(template.labels());
        withInstance.put("instance", Integer.toString(instance));
        this.labels = Map.copyOf(withInstance);
        this.level = template.level() * (0.6 + 0.8 * random.nextDouble());
        this.dailyPhase = random.nextDouble() * 2 * Math.PI;
        this.weeklyPhase = random.nextDouble() * 2 * Math.PI;
        this.noise = template.noise() * (0.7 + 0.6 * random.nextDouble()) * (level / Math.max(template.level(), 1e-12));
    }

    String name() {
        return template.name();
    }

    Map<String, String> labels() {
        return labels;
    }

    String unit() {
        return template.unit();
    }

    MetricKind kind() {
        return template.kind();
    }

    boolean inAnomaly(long tick) {
        return anomaly != null && tick <= anomalyEndTick;
    }

    /** Starts an anomaly of {@code kind} lasting {@code ticks} ticks from {@code tick}. */
    void inject(AnomalyKind kind, long tick, long ticks) {
        anomaly = kind;
        anomalyStartTick = tick;
        anomalyEndTick = tick + ticks - 1;
        double scale = Math.max(noise, 0.02 * level);
        double sign = random.nextBoolean() ? 1 : -1;
        magnitude = switch (kind) {
            case SPIKE -> (8 + 6 * random.nextDouble()) * scale + 0.5 * template.dailyAmplitude();
            case LEVEL_SHIFT -> sign * ((4 + 4 * random.nextDouble()) * scale + 0.3 * level);
            case SLOW_LEAK -> (0.5 + random.nextDouble()) * level / Math.max(1, ticks); // per tick
            default -> 0;
        };
        stuckValue = lastValue;
    }

    /** The series' value at {@code tick}, taken at {@code epochSeconds}. */
    double next(long tick, double epochSeconds) {
        double days = epochSeconds / DAY_SECONDS;
        double daily = template.dailyAmplitude() * (level / template.level()) * Math.sin(2 * Math.PI * epochSeconds / DAY_SECONDS + dailyPhase);
        double weekly = template.weeklyAmplitude() * (level / template.level()) * Math.sin(2 * Math.PI * epochSeconds / WEEK_SECONDS + weeklyPhase);
        double trend = level * template.trendPerDay() * (days % 30); // drift, reset monthly so levels stay in range
        double gaussian = random.nextGaussian();
        double value;
        if (inAnomaly(tick)) {
            value = switch (anomaly) {
                case SPIKE, LEVEL_SHIFT -> level + trend + daily + weekly + noise * gaussian + magnitude;
                case SLOW_LEAK -> level + trend + daily + weekly + noise * gaussian + magnitude * (tick - anomalyStartTick + 1);
                case STUCK -> stuckValue;
                case FLATLINE -> template.min();
                case SEASONAL_BREAK -> level + trend - daily + weekly + noise * gaussian;
                default -> level + trend + daily + weekly + noise * gaussian;
            };
        } else {
            anomaly = null;
            value = level + trend + daily + weekly + noise * gaussian;
        }
        lastValue = Math.max(template.min(), Math.min(template.max(), value));
        return lastValue;
    }

    /** Whether this series can show {@code kind} at all (a seasonal break needs a season). */
    boolean supports(AnomalyKind kind) {
        return kind != AnomalyKind.SEASONAL_BREAK || template.dailyAmplitude() > 3 * template.noise();
    }

    SplittableRandom random() {
        return random;
    }
}
