package dev.vigil.gateway.otlp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;

/**
 * The observations of a histogram over its last interval, for its mean and quantiles. A delta point is its own interval;
 * a cumulative point is the difference to the series' previous point, which this remembers (at most {@code maxSeries},
 * the least recently seen forgotten first). The first point of a series, a reset (a count lower than before, a new start
 * time) and changed bucket bounds give no interval. Quantiles over all time since the client started would never move;
 * those of the last interval are what an operator watches. Thread-safe.
 */
public final class HistogramQuantiles {

    /** Observations in one interval: how many, their sum (NaN if unknown), and the count per bucket. */
    public record Interval(long count, double sum, long[] buckets) {

        static Interval of(HistogramDataPoint point) {
            return new Interval(point.getCount(), point.hasSum() ? point.getSum() : Double.NaN,
                    point.getBucketCountsList().stream().mapToLong(Long::longValue).toArray());
        }

        boolean hasSum() {
            return !Double.isNaN(sum);
        }

        /**
         * The {@code q} quantile, interpolated linearly inside its bucket as Prometheus' {@code histogram_quantile} does: the
         * first bucket's lower edge is 0 (or its upper one if that is negative), and a quantile in the open last bucket
         * is the last finite bound.
         */
        double quantile(double q, List<Double> bounds) {
            double rank = q * count;
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                long inBucket = buckets[i];
                if (seen + inBucket >= rank && inBucket > 0) {
                    if (i >= bounds.size()) {
                        return bounds.get(bounds.size() - 1);
                    }
                    double upper = bounds.get(i);
                    double lower = i == 0 ? Math.min(0, upper) : bounds.get(i - 1);
                    return lower + (upper - lower) * (rank - seen) / inBucket;
                }
                seen += inBucket;
            }
            return bounds.get(bounds.size() - 1);
        }
    }

    private record Last(long startNanos, long timeNanos, long count, double sum, long[] buckets, List<Double> bounds) {
    }

    private final Map<String, Last> last;

    public HistogramQuantiles(int maxSeries) {
        this.last = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
                return size() > maxSeries;
            }
        };
    }

    /** The interval since the series' previous cumulative point, or null when there is none to speak of. */
    public Interval interval(String seriesKey, HistogramDataPoint point) {
        long[] buckets = point.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
        Last current = new Last(point.getStartTimeUnixNano(), point.getTimeUnixNano(), point.getCount(),
                point.hasSum() ? point.getSum() : Double.NaN, buckets, List.copyOf(point.getExplicitBoundsList()));
        Last previous;
        synchronized (last) {
            previous = last.get(seriesKey);
            if (previous != null && current.timeNanos() <= previous.timeNanos()) {
                return null;
            }
            last.put(seriesKey, current);
        }
        if (previous == null || previous.startNanos() != current.startNanos() || current.count() < previous.count()
                || !previous.bounds().equals(current.bounds()) || previous.buckets().length != buckets.length) {
            return null;
        }
        long[] delta = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            delta[i] = buckets[i] - previous.buckets()[i];
            if (delta[i] < 0) {
                return null;
            }
        }
        return new Interval(current.count() - previous.count(), current.sum() - previous.sum(), delta);
    }

    @Override
    public String toString() {
        synchronized (last) {
            return "HistogramQuantiles[" + last.size() + " series]";
        }
    }
}
