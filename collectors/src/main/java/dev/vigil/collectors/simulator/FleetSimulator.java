package dev.vigil.collectors.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import dev.vigil.avro.AnomalyKind;
import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;

/**
 * A synthetic fleet: N hosts x M series with daily and weekly seasonality, drift, noise and counters,
 * into which it injects anomalies (spikes, level shifts, slow leaks, stuck values, flatlines, seasonal
 * breaks) and reports each one as ground truth the moment it starts.
 *
 * <p>Pure and deterministic: the same options give the same batches and the same truth, tick by tick.
 * Time is simulated ({@link Options#start()} plus one interval per tick), so it runs as fast as the
 * caller asks for: back-fill and load tests call {@link #nextTick} in a loop, live demos pace it.
 */
public final class FleetSimulator {

    private static final String[] DATACENTERS = {"fra1", "ams2", "iad1", "sfo3"};
    private static final String[] ROLES = {"web", "db", "cache", "batch"};
    private static final AnomalyKind[] KINDS = {AnomalyKind.SPIKE, AnomalyKind.LEVEL_SHIFT, AnomalyKind.SLOW_LEAK,
        AnomalyKind.STUCK, AnomalyKind.FLATLINE, AnomalyKind.SEASONAL_BREAK};

    /**
     * @param hosts                     simulated hosts
     * @param metricsPerHost            series per host
     * @param seed                      everything random derives from it
     * @param start                     simulated time of the first tick
     * @param interval                  simulated time between ticks
     * @param meanTimeBetweenAnomalies  per series, on average; {@link Duration#ZERO} injects none
     * @param warmup                    simulated time before the first anomaly, for detectors to learn
     */
    public record Options(int hosts, int metricsPerHost, long seed, Instant start, Duration interval,
                          Duration meanTimeBetweenAnomalies, Duration warmup) {

        public Options {
            if (hosts < 1 || metricsPerHost < 1) {
                throw new IllegalArgumentException("hosts and metrics per host must be at least 1");
            }
            Objects.requireNonNull(start, "start can't be null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            if (meanTimeBetweenAnomalies.isNegative() || warmup.isNegative()) {
                throw new IllegalArgumentException("meanTimeBetweenAnomalies and warmup must not be negative");
            }
        }
    }

    private record Host(String id, Map<String, String> labels, List<SimulatedSeries> series) {
    }

    private final Options options;
    private final List<Host> hosts;
    private final double anomalyChancePerTick;
    private final long warmupTicks;
    private long tick;

    public FleetSimulator(Options options) {
        this.options = options;
        this.hosts = new ArrayList<>(options.hosts());
        for (int h = 0; h < options.hosts(); h++) {
            List<SimulatedSeries> series = new ArrayList<>(options.metricsPerHost());
            for (int m = 0; m < options.metricsPerHost(); m++) {
                MetricTemplate template = MetricTemplate.ALL.get(m % MetricTemplate.ALL.size());
                long seriesSeed = options.seed() * 0x9E3779B97F4A7C15L + (long) h * 1_000_003L + m;
                series.add(new SimulatedSeries(template, m / MetricTemplate.ALL.size(), new SplittableRandom(seriesSeed)));
            }
            String id = String.format("sim-host-%05d", h + 1);
            hosts.add(new Host(id, Map.of("datacenter", DATACENTERS[h % DATACENTERS.length],
                    "role", ROLES[(h / DATACENTERS.length) % ROLES.length], "environment", "sim"), series));
        }
        this.anomalyChancePerTick = options.meanTimeBetweenAnomalies().isZero() ? 0
                : (double) options.interval().toMillis() / options.meanTimeBetweenAnomalies().toMillis();
        this.warmupTicks = options.warmup().toMillis() / options.interval().toMillis();
    }

    /** Simulated time of the next tick. */
    public Instant nextTime() {
        return options.start().plusMillis(tick * options.interval().toMillis());
    }

    /** Samples per tick: hosts x metrics per host. */
    public int samplesPerTick() {
        return options.hosts() * options.metricsPerHost();
    }

    /** One batch per host for the next tick; anomalies that start now go to {@code truth}. */
    public List<MetricBatch> nextTick(Consumer<InjectedAnomaly> truth) {
        Instant time = nextTime();
        double epochSeconds = time.toEpochMilli() / 1000.0;
        List<MetricBatch> batches = new ArrayList<>(hosts.size());
        for (Host host : hosts) {
            List<Sample> samples = new ArrayList<>(host.series().size());
            for (SimulatedSeries series : host.series()) {
                maybeInject(host, series, time, truth);
                samples.add(Sample.newBuilder().setName(series.name()).setLabels(series.labels()).setUnit(series.unit())
                        .setKind(series.kind()).setValue(series.next(tick, epochSeconds)).build());
            }
            batches.add(MetricBatch.newBuilder().setHostId(host.id()).setHostLabels(host.labels()).setCollectedAt(time)
                    .setSequence(tick + 1).setSamples(samples).build());
        }
        tick++;
        return batches;
    }

    private void maybeInject(Host host, SimulatedSeries series, Instant time, Consumer<InjectedAnomaly> truth) {
        // Draw even during warm-up and anomalies, so each series' random stream does not depend on them.
        SplittableRandom random = series.random();
        double draw = random.nextDouble();
        AnomalyKind kind = KINDS[random.nextInt(KINDS.length)];
        double lengthDraw = random.nextDouble();
        if (tick < warmupTicks || series.inAnomaly(tick) || draw >= anomalyChancePerTick || !series.supports(kind)) {
            return;
        }
        long ticks = Math.max(1, duration(kind, lengthDraw).toMillis() / options.interval().toMillis());
        series.inject(kind, tick, ticks);
        truth.accept(InjectedAnomaly.newBuilder().setHostId(host.id()).setMetric(series.name()).setLabels(series.labels())
                .setKind(kind).setStart(time).setEnd(time.plusMillis((ticks - 1) * options.interval().toMillis()))
                .setSeed(options.seed()).build());
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
