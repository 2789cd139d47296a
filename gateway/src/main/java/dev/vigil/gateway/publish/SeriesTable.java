package dev.vigil.gateway.publish;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.Series;
import dev.vigil.runtime.metrics.RateTracker;
import dev.vigil.schemas.MetricContract;

/**
 * What the gateway remembers of each series, in one entry per series found with one lookup per point: its place under
 * its host's bound and, for cumulative series, its last point.
 * <ul>
 *   <li><b>The bound</b>: at most {@code maxSeriesPerHost} series per host, as the streams application's
 *       {@code max.series.per.host} bounds them, so the gateway refuses the points of a host's new series beyond it at
 *       the door ({@code too_many_series}) instead of letting the streams application dead-letter them.</li>
 *   <li><b>Rates</b>: cumulative points (OTLP cumulative sums and histogram counts, Prometheus counters) become
 *       per-second rates by the collector agent's rule ({@link RateTracker.Series}): the first point of a series gives
 *       no rate, nor does a reset (a value lower than before, or a new start time: the client restarted). At most
 *       {@code maxRateSeries} series keep a last point; a new one beyond that gives no rate. Delta points need no
 *       memory: their rate is their value over their own interval.</li>
 *   <li><b>Staleness</b>: a series not seen for {@code staleness} is forgotten ({@link #expireIdle()}, called every
 *       {@link #SWEEP_EVERY}), which frees its place and its last point; its next point starts over, with no rate.</li>
 * </ul>
 * Thread-safe, without a lock for a known series: every protocol's request threads share one table (one lock for all of
 * it was the gateway's most contended spot). Only a new series takes its host's count, to check and take a place.
 */
public final class SeriesTable {

    /** How often the gateway sweeps idle series out. */
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(30);

    /**
     * One series: when it was last seen, its last cumulative point (guarded by the entry), and the Avro of what every
     * sample of it repeats: its name and labels, and its last unit.
     */
    static final class Entry {
        private static final VarHandle SEEN;

        static {
            try {
                SEEN = MethodHandles.lookup().findVarHandle(Entry.class, "seen", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final SeriesTable table;
        private final String hostId;
        private final byte[] seriesPart;
        /** The sweep it was last seen in; written opaquely and only when it changes (a fence per point cost more than the rest). */
        @SuppressWarnings("unused") // through SEEN
        private long seen;
        private volatile UnitPart unit;
        private RateTracker.Series lastPoint;
        private volatile boolean forgotten;

        private Entry(SeriesTable table, Series series, long seen) {
            this.table = table;
            this.hostId = series.hostId();
            this.seriesPart = MetricBatchEncoding.seriesPart(series.name(), series.labels());
            this.seen = seen;
        }

        /** The series' name and labels in Avro ({@link MetricBatchEncoding#seriesPart}). */
        byte[] seriesPart() {
            return seriesPart;
        }

        /**
         * The unit of a sample of this series from a point in {@code pointUnit}, a rate's unit if {@code rate}: the
         * series' unit rarely changes, so the last one is kept with its encoding and what is wrong with it.
         */
        UnitPart unitPart(String pointUnit, boolean rate) {
            UnitPart last = this.unit;
            if (last == null || last.rate != rate || !last.pointUnit.equals(pointUnit)) {
                last = UnitPart.of(pointUnit, rate);
                this.unit = last;
            }
            return last;
        }

        void markSeen(long sweep) {
            if ((long) SEEN.getOpaque(this) != sweep) {
                SEEN.setOpaque(this, sweep);
            }
        }

        long seen() {
            return (long) SEEN.getOpaque(this);
        }
    }

    /**
     * A sample's unit: from a point's unit, as a rate's unit or not; in Avro; and what is wrong with it (null if nothing).
     */
    record UnitPart(String pointUnit, boolean rate, byte[] encoded, String problem) {
        static UnitPart of(String pointUnit, boolean rate) {
            String unit = rate ? BatchAssembler.rateUnit(pointUnit) : pointUnit;
            return new UnitPart(pointUnit, rate, MetricBatchEncoding.unitPart(unit), MetricContract.unitProblem(unit));
        }
    }

    private final int maxSeriesPerHost;
    private final int maxRateSeries;
    private final int maxIdleSweeps;
    private final Map<String, Entry> series = new ConcurrentHashMap<>();
    private final Map<String, Integer> seriesPerHost = new ConcurrentHashMap<>();
    private final AtomicInteger rateSeries = new AtomicInteger();
    private volatile long sweep;

    /**
     * @param maxSeriesPerHost most series per host ({@code max.series.per.host})
     * @param maxRateSeries    most cumulative series whose last point is remembered ({@code rates.max.series})
     * @param staleness        how long an unseen series is remembered
     */
    SeriesTable(int maxSeriesPerHost, int maxRateSeries, Duration staleness) {
        this.maxSeriesPerHost = maxSeriesPerHost;
        this.maxRateSeries = maxRateSeries;
        this.maxIdleSweeps = (int) Math.max(1, (staleness.toMillis() + SWEEP_EVERY.toMillis() - 1) / SWEEP_EVERY.toMillis());
    }

    /**
     * The entry of a known series (then marked as seen), or null: where the series says it is kept, if that is still an
     * entry of this table, or else by its key. A protocol that hands the same {@link Series} again so skips the lookup,
     * which was most of the gateway's cost per point (a table of a million series is not in any cache).
     */
    Entry find(Series known) {
        Entry entry;
        if (known.place() instanceof Entry place && place.table == this && !place.forgotten) {
            entry = place;
        } else {
            entry = series.get(known.key());
            if (entry != null) {
                known.place(entry);
            }
        }
        if (entry != null) {
            entry.markSeen(sweep);
        }
        return entry;
    }

    /** The series' entry: known already, or new if its host has room for it (which it then takes); null if not. */
    Entry admit(Series newSeries) {
        String seriesKey = newSeries.key();
        Entry[] admitted = new Entry[1];
        // Under the host's count, so that two threads cannot both take its last place.
        seriesPerHost.compute(newSeries.hostId(), (host, count) -> {
            admitted[0] = series.get(seriesKey);
            int taken = count == null ? 0 : count;
            if (admitted[0] != null || taken >= maxSeriesPerHost) {
                return count;
            }
            admitted[0] = new Entry(this, newSeries, sweep);
            series.put(seriesKey, admitted[0]);
            return taken + 1;
        });
        if (admitted[0] != null) {
            newSeries.place(admitted[0]);
        }
        return admitted[0];
    }

    /**
     * The per-second rate {@code point} gives: for a {@link PointKind#CUMULATIVE} point the rate since the series'
     * previous point, if there is a meaningful one; for a {@link PointKind#DELTA} point its value over its interval, if
     * it has one.
     *
     * @param entry the point's series, from {@link #find} or {@link #admit}
     * @throws IllegalArgumentException for a gauge
     */
    OptionalDouble rate(Entry entry, Point point) {
        return switch (point.kind()) {
            case CUMULATIVE -> {
                synchronized (entry) {
                    if (entry.forgotten) {
                        yield OptionalDouble.empty(); // swept out while this request held it: its next point starts over
                    }
                    if (entry.lastPoint == null) {
                        if (rateSeries.incrementAndGet() > maxRateSeries) {
                            rateSeries.decrementAndGet();
                            yield OptionalDouble.empty();
                        }
                        entry.lastPoint = new RateTracker.Series();
                    }
                    yield entry.lastPoint.rate(point.value(), point.timeNanos(), point.startNanos());
                }
            }
            case DELTA -> point.startNanos() > 0 && point.startNanos() < point.timeNanos()
                    ? OptionalDouble.of(point.value() * 1e9 / (point.timeNanos() - point.startNanos()))
                    : OptionalDouble.empty();
            case GAUGE -> throw new IllegalArgumentException("a gauge has no rate: " + point.name());
        };
    }

    /** Forgets series not seen for the staleness; called every {@link #SWEEP_EVERY}. */
    synchronized void expireIdle() {
        long now = ++sweep;
        series.forEach((key, entry) -> {
            if (now - entry.seen() > maxIdleSweeps && series.remove(key, entry)) {
                seriesPerHost.computeIfPresent(entry.hostId, (host, count) -> count <= 1 ? null : count - 1);
                synchronized (entry) {
                    entry.forgotten = true;
                    if (entry.lastPoint != null) {
                        rateSeries.decrementAndGet();
                    }
                }
            }
        });
    }

    /** How many series it knows, over every host. */
    int size() {
        return series.size();
    }

    /** How many cumulative series have a remembered point. */
    int rateSeries() {
        return rateSeries.get();
    }
}
