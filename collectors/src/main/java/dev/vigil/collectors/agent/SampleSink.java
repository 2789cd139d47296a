package dev.vigil.collectors.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.ingest.PushedSample;
import dev.vigil.runtime.metrics.RateTracker;

/**
 * Where sensors put what they read during one tick. Gauges go in as read; counters go in as their
 * per-second rate (via {@link RateTracker}), so nothing downstream ever sees a raw total. Readings that
 * are not finite (a sensor the platform does not support) are dropped and counted.
 */
public final class SampleSink {

    private final RateTracker rates;
    private final long nanos;
    private final List<Sample> samples = new ArrayList<>();
    private int dropped;

    /**
     * @param rates the agent's rate state, shared across ticks
     * @param nanos when this tick's readings were taken ({@link System#nanoTime()})
     */
    public SampleSink(RateTracker rates, long nanos) {
        this.rates = rates;
        this.nanos = nanos;
    }

    /** A level, read as is. */
    public void gauge(String name, String unit, double value, Map<String, String> labels) {
        if (!Double.isFinite(value)) {
            dropped++;
            return;
        }
        samples.add(sample(name, unit, value, labels, MetricKind.GAUGE));
    }

    /** A monotonic total; published as its rate per second once there is a previous reading. */
    public void counter(String name, String unit, double total, Map<String, String> labels) {
        if (!Double.isFinite(total) || total < 0) {
            dropped++;
            return;
        }
        OptionalDouble rate = rates.rate(seriesKey(name, labels), total, nanos);
        if (rate.isPresent()) {
            samples.add(sample(name, unit, rate.getAsDouble(), labels, MetricKind.COUNTER));
        }
    }

    /** A sample an application pushed: gauges as given, counters as rates between their own timestamps. */
    public void pushed(PushedSample pushed) {
        double value = pushed.value();
        if (pushed.kind() == MetricKind.COUNTER) {
            OptionalDouble rate = rates.rate("push:" + seriesKey(pushed.name(), pushed.labels()), pushed.value(),
                    pushed.observedAtMillis() * 1_000_000L);
            if (rate.isEmpty()) {
                return;
            }
            value = rate.getAsDouble();
        }
        samples.add(Sample.newBuilder().setName(pushed.name()).setUnit(pushed.unit()).setValue(value).setLabels(pushed.labels())
                .setKind(pushed.kind()).setObservedAt(Instant.ofEpochMilli(pushed.observedAtMillis())).build());
    }

    /** Everything read so far. */
    public List<Sample> samples() {
        return samples;
    }

    /** Readings dropped as not finite. */
    public int dropped() {
        return dropped;
    }

    private static Sample sample(String name, String unit, double value, Map<String, String> labels, MetricKind kind) {
        return Sample.newBuilder().setName(name).setUnit(unit).setValue(value).setLabels(labels).setKind(kind).build();
    }

    /** Name plus labels in key order: the identity of a series on this host. */
    static String seriesKey(String name, Map<String, String> labels) {
        return labels.isEmpty() ? name : name + new TreeMap<>(labels);
    }
}
