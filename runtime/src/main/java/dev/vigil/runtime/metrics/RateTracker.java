package dev.vigil.runtime.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns monotonic counters into per-second rates at the edge: the collector agent's sensors and the gateway's
 * cumulative OTLP sums and Prometheus counters use this one definition of a rate and of a reset.
 *
 * <p>The first reading of a series yields nothing (there is no interval yet, and a rate against zero
 * would be a bogus spike after every restart); so does a reading lower than the last one (the counter
 * was reset: an interface came back, a process restarted), a reading whose counter started at another time than the
 * last one's (a restart that already counted past the old total, as OTLP's {@code start_time_unix_nano} tells) and a
 * reading at the same instant or earlier. Series not read for a while are forgotten, so vanished interfaces, disks or
 * hosts do not leak memory, and at most {@code maxSeries} series are remembered: a new series beyond that gives no rate
 * until others are forgotten.
 *
 * <p>Not thread-safe: one owner calls it, or the caller synchronizes.
 */
public final class RateTracker {

    /** No start time: the counter's source does not say when it started counting. */
    public static final long UNKNOWN_START = 0;

    /**
     * One series' last reading and the rule above, for an owner that keeps each series' state itself (the gateway keeps
     * it in the entry it already looks up for every point, so a rate costs no second lookup). Not thread-safe.
     */
    public static final class Series {

        private boolean read;
        private double value;
        private long nanos;
        private long startNanos;

        /**
         * The rate per second since this series' previous reading, if there is a meaningful one.
         *
         * @param startNanos when the counter started counting, {@link #UNKNOWN_START} if its source does not say; a
         *                   different start than the previous reading's is a reset
         */
        public OptionalDouble rate(double value, long nanos, long startNanos) {
            if (!read) {
                remember(value, nanos, startNanos);
                return OptionalDouble.empty();
            }
            if (nanos <= this.nanos) {
                return OptionalDouble.empty(); // a repeat or a reading out of order: keep the newer one
            }
            double previousValue = this.value;
            long previousNanos = this.nanos;
            long previousStart = this.startNanos;
            remember(value, nanos, startNanos);
            boolean restarted = startNanos != UNKNOWN_START && previousStart != UNKNOWN_START && startNanos != previousStart;
            if (restarted || value < previousValue) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of((value - previousValue) * 1e9 / (nanos - previousNanos));
        }

        private void remember(double value, long nanos, long startNanos) {
            this.read = true;
            this.value = value;
            this.nanos = nanos;
            this.startNanos = startNanos;
        }
    }

    private static final class Tracked {
        final Series series = new Series();
        long tick;
    }

    private final Map<String, Tracked> last = new HashMap<>();
    private final int maxSeries;
    private long tick;

    /** A tracker that remembers any number of series (the agent: a host's own, bounded, set). */
    public RateTracker() {
        this(Integer.MAX_VALUE);
    }

    /** A tracker that remembers at most {@code maxSeries} series. */
    public RateTracker(int maxSeries) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1, not " + maxSeries);
        }
        this.maxSeries = maxSeries;
    }

    /** The rate per second since the series' previous reading, if there is a meaningful one. */
    public OptionalDouble rate(String seriesKey, double value, long nanos) {
        return rate(seriesKey, value, nanos, UNKNOWN_START);
    }

    /**
     * The rate per second since the series' previous reading, if there is a meaningful one ({@link Series#rate}).
     *
     * @param startNanos when the counter started counting, {@link #UNKNOWN_START} if its source does not say; a
     *                   different start than the previous reading's is a reset
     */
    public OptionalDouble rate(String seriesKey, double value, long nanos, long startNanos) {
        Tracked tracked = last.get(seriesKey);
        if (tracked == null) {
            if (last.size() >= maxSeries) {
                return OptionalDouble.empty();
            }
            tracked = new Tracked();
            last.put(seriesKey, tracked);
        }
        tracked.tick = tick;
        return tracked.series.rate(value, nanos, startNanos);
    }

    /** Marks the end of a tick and forgets series not read in the last {@code maxIdleTicks} ticks. */
    public void endTick(int maxIdleTicks) {
        tick++;
        last.values().removeIf(tracked -> tick - tracked.tick > maxIdleTicks);
    }

    /** How many series it remembers. */
    public int size() {
        return last.size();
    }
}
