package dev.vigil.collectors.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

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
 * caller asks for: back-fill and load tests call {@link #nextTick} in a loop, live demos pace it. Each host
 * is a {@link SimulatedHost}; one made on its own steps through the same values without building batches.
 */
public final class FleetSimulator {

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

    private final Options options;
    private final List<SimulatedHost> hosts;
    private long tick;

    public FleetSimulator(Options options) {
        this.options = options;
        this.hosts = new ArrayList<>(options.hosts());
        for (int h = 0; h < options.hosts(); h++) {
            hosts.add(SimulatedHost.of(options, h));
        }
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
        ObjIntConsumer<InjectedAnomaly> started = (anomaly, series) -> truth.accept(anomaly);
        List<MetricBatch> batches = new ArrayList<>(hosts.size());
        for (SimulatedHost host : hosts) {
            List<Sample> samples = new ArrayList<>(host.seriesCount());
            for (int i = 0; i < host.seriesCount(); i++) {
                double value = host.valueAt(i, tick, started);
                SimulatedSeries series = host.series(i);
                samples.add(Sample.newBuilder().setName(series.name()).setLabels(series.labels()).setUnit(series.unit())
                        .setKind(series.kind()).setValue(value).build());
            }
            batches.add(MetricBatch.newBuilder().setHostId(host.id()).setHostLabels(host.labels()).setCollectedAt(time)
                    .setSequence(tick + 1).setSamples(samples).build());
        }
        tick++;
        return batches;
    }
}
