package dev.vigil.collectors.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.avro.InjectedAnomaly;

/**
 * One host of a simulated fleet: its series and the anomalies injected into them. {@link FleetSimulator}
 * steps every host through {@link #valueAt}; a host made on its own with {@link #of} steps itself with
 * {@link #nextTick(double[], ObjIntConsumer)} and gives, tick by tick, exactly the values and the ground truth
 * that {@link FleetSimulator#nextTick} gives for it, without building a batch. Offline evaluations use that
 * to run hosts in parallel at the cost of the arithmetic alone.
 *
 * <p>Not thread-safe: one thread steps a host.
 */
public final class SimulatedHost {

    private static final String[] DATACENTERS = {"fra1", "ams2", "iad1", "sfo3"};
    private static final String[] ROLES = {"web", "db", "cache", "batch"};
    private static final AnomalyKind[] KINDS = {AnomalyKind.SPIKE, AnomalyKind.LEVEL_SHIFT, AnomalyKind.SLOW_LEAK,
        AnomalyKind.STUCK, AnomalyKind.FLATLINE, AnomalyKind.SEASONAL_BREAK};

    private final FleetSimulator.Options options;
    private final String id;
    private final Map<String, String> labels;
    private final SimulatedSeries[] series;
    private final double anomalyChancePerTick;
    private final long warmupTicks;
    /** The next tick of {@link #nextTick(double[], ObjIntConsumer)}; unused when a {@link FleetSimulator} steps the host. */
    private long tick;

    private SimulatedHost(FleetSimulator.Options options, int index) {
        this.options = options;
        this.series = new SimulatedSeries[options.metricsPerHost()];
        for (int m = 0; m < series.length; m++) {
            MetricTemplate template = MetricTemplate.ALL.get(m % MetricTemplate.ALL.size());
            long seriesSeed = options.seed() * 0x9E3779B97F4A7C15L + (long) index * 1_000_003L + m;
            series[m] = new SimulatedSeries(template, m / MetricTemplate.ALL.size(), new SplittableRandom(seriesSeed));
        }
        this.id = String.format("sim-host-%05d", index + 1);
        this.labels = Map.of("datacenter", DATACENTERS[index % DATACENTERS.length],
                "role", ROLES[(index / DATACENTERS.length) % ROLES.length], "environment", "sim");
        this.anomalyChancePerTick = options.meanTimeBetweenAnomalies().isZero() ? 0
                : (double) options.interval().toMillis() / options.meanTimeBetweenAnomalies().toMillis();
        this.warmupTicks = options.warmup().toMillis() / options.interval().toMillis();
    }

    /**
     * Host number {@code index} (from 0) of the fleet {@code options} describe, at its first tick.
     *
     * @throws IllegalArgumentException if the fleet has no such host
     */
    public static SimulatedHost of(FleetSimulator.Options options, int index) {
        if (index < 0 || index >= options.hosts()) {
            throw new IllegalArgumentException("host index " + index + " is outside the fleet's " + options.hosts() + " hosts");
        }
        return new SimulatedHost(options, index);
    }

    public String id() {
        return id;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public int seriesCount() {
        return series.length;
    }

    /** Metric name of series {@code index}, as its samples and its anomalies name it. */
    public String metric(int index) {
        return series[index].name();
    }

    /** Labels of series {@code index}, as its samples and its anomalies carry them. */
    public Map<String, String> labels(int index) {
        return series[index].labels();
    }

    /** Simulated time of the next tick of {@link #nextTick(double[], ObjIntConsumer)}, in epoch milliseconds. */
    public long nextTimeMillis() {
        return timeOf(tick);
    }

    /**
     * Writes the next tick's value of every series into {@code values}, in series order. An anomaly that starts
     * at this tick goes to {@code truth} with its series' index, before that series' value is drawn.
     */
    public void nextTick(double[] values, ObjIntConsumer<InjectedAnomaly> truth) {
        if (values.length < series.length) {
            throw new IllegalArgumentException("values holds " + values.length + " series, the host has " + series.length);
        }
        for (int i = 0; i < series.length; i++) {
            values[i] = valueAt(i, tick, truth);
        }
        tick++;
    }

    long timeOf(long atTick) {
        return options.start().toEpochMilli() + atTick * options.interval().toMillis();
    }

    SimulatedSeries series(int index) {
        return series[index];
    }

    /** Series {@code index}'s value at {@code atTick}, after starting any anomaly due then. */
    double valueAt(int index, long atTick, ObjIntConsumer<InjectedAnomaly> truth) {
        SimulatedSeries one = series[index];
        maybeInject(index, one, atTick, truth);
        return one.next(atTick, timeOf(atTick) / 1000.0);
    }

    private void maybeInject(int index, SimulatedSeries one, long atTick, ObjIntConsumer<InjectedAnomaly> truth) {
        // Draw even during warm-up and anomalies, so each series' random stream does not depend on them.
        SplittableRandom random = one.random();
        double draw = random.nextDouble();
        AnomalyKind kind = KINDS[random.nextInt(KINDS.length)];
        double lengthDraw = random.nextDouble();
        if (atTick < warmupTicks || one.inAnomaly(atTick) || draw >= anomalyChancePerTick || !one.supports(kind)) {
            return;
        }
        long ticks = Math.max(1, duration(kind, lengthDraw).toMillis() / options.interval().toMillis());
        one.inject(kind, atTick, ticks);
        Instant start = Instant.ofEpochMilli(timeOf(atTick));
        truth.accept(InjectedAnomaly.newBuilder().setHostId(id).setMetric(one.name()).setLabels(one.labels())
                .setKind(kind).setStart(start).setEnd(start.plusMillis((ticks - 1) * options.interval().toMillis()))
                .setSeed(options.seed()).build(), index);
    }

    /** How long each kind lasts: spikes are short, leaks and seasonal breaks long. */
    private Duration duration(AnomalyKind kind, double draw) {
        Duration[] range = switch (kind) {
            case SPIKE -> new Duration[] {options.interval(), options.interval().multipliedBy(3)};
            case LEVEL_SHIFT -> new Duration[] {Duration.ofMinutes(30), Duration.ofHours(4)};
            case SLOW_LEAK -> new Duration[] {Duration.ofHours(1), Duration.ofHours(6)};
            case STUCK -> new Duration[] {Duration.ofMinutes(20), Duration.ofHours(2)};
            case FLATLINE -> new Duration[] {Duration.ofMinutes(10), Duration.ofHours(1)};
            default -> new Duration[] {Duration.ofHours(6), Duration.ofHours(12)};
        };
        long min = range[0].toMillis();
        return Duration.ofMillis(min + (long) (draw * (range[1].toMillis() - min)));
    }
}
