package dev.vigil.gateway.model;

import java.time.Duration;
import java.util.OptionalDouble;

import dev.vigil.runtime.metrics.RateTracker;

/**
 * Turns cumulative points (OTLP cumulative sums and histogram counts, Prometheus counters) into per-second rates, with
 * the collector agent's {@link RateTracker}: the first point of a series gives no rate, nor does a reset (a value
 * lower than before, or a new start time: the client restarted). Delta points need no memory: their rate is their
 * value over their own interval.
 *
 * <p>Bounded: at most {@code maxSeries} series are remembered, and a series not seen for {@code staleness} is
 * forgotten ({@link #expireIdle()}, which the gateway calls every {@link #SWEEP_EVERY}), so a vanished host or pod
 * costs nothing after a while; its next point starts over, with no rate. Thread-safe: every protocol's threads share
 * one instance, so the series are spread over {@value #STRIPES} trackers by key, each with its own lock and an equal
 * share of {@code maxSeries} (one lock for all was the gateway's most contended spot).
 */
public final class CumulativeRates {

    /** How often the gateway sweeps idle series out. */
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    static final int STRIPES = 16;

    private final RateTracker[] trackers = new RateTracker[STRIPES];
    private final int maxIdleSweeps;

    /**
     * @param maxSeries most series remembered at once
     * @param staleness how long a series may go unseen before it is forgotten
     */
    public CumulativeRates(int maxSeries, Duration staleness) {
        for (int i = 0; i < STRIPES; i++) {
            trackers[i] = new RateTracker(Math.max(1, (maxSeries + STRIPES - 1) / STRIPES));
        }
        this.maxIdleSweeps = (int) Math.max(1, (staleness.toMillis() + SWEEP_EVERY.toMillis() - 1) / SWEEP_EVERY.toMillis());
    }

    /**
     * The per-second rate {@code point} gives: for a {@link PointKind#CUMULATIVE} point the rate since the series'
     * previous point, if there is a meaningful one; for a {@link PointKind#DELTA} point its value over its interval,
     * if it has one.
     *
     * @throws IllegalArgumentException for a gauge
     */
    public OptionalDouble rate(Point point) {
        return rate(point, point.seriesKey());
    }

    /** As {@link #rate(Point)}, with the point's {@link Point#seriesKey()} already at hand. */
    public OptionalDouble rate(Point point, String seriesKey) {
        return switch (point.kind()) {
            case CUMULATIVE -> {
                RateTracker tracker = trackers[(seriesKey.hashCode() & Integer.MAX_VALUE) % STRIPES];
                synchronized (tracker) {
                    yield tracker.rate(seriesKey, point.value(), point.timeNanos(), point.startNanos());
                }
            }
            case DELTA -> point.startNanos() > 0 && point.startNanos() < point.timeNanos()
                    ? OptionalDouble.of(point.value() * 1e9 / (point.timeNanos() - point.startNanos()))
                    : OptionalDouble.empty();
            case GAUGE -> throw new IllegalArgumentException("a gauge has no rate: " + point.name());
        };
    }

    /** Forgets the series not seen for the staleness; called every {@link #SWEEP_EVERY}. */
    public void expireIdle() {
        for (RateTracker tracker : trackers) {
            synchronized (tracker) {
                tracker.endTick(maxIdleSweeps);
            }
        }
    }

    /** How many series it remembers. */
    public int size() {
        int size = 0;
        for (RateTracker tracker : trackers) {
            synchronized (tracker) {
                size += tracker.size();
            }
        }
        return size;
    }
}
