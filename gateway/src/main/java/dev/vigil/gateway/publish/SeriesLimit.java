package dev.vigil.gateway.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.vigil.gateway.model.CumulativeRates;

/**
 * At most {@code maxSeriesPerHost} series per host, as the streams application's {@code max.series.per.host} bounds
 * them: the gateway refuses the points of a host's new series beyond it at the door ({@code too_many_series}) instead
 * of letting the streams application dead-letter them. A series not seen for the staleness frees its place.
 *
 * <p>Thread-safe, and every request thread asks it about every point: a known series is looked up without a lock (one
 * lock for all of them was the gateway's most contended spot); only a new series takes its host's lock, to check and
 * take a place.
 */
final class SeriesLimit {

    private final int maxSeriesPerHost;
    private final int maxIdleSweeps;
    private final Map<String, Map<String, Long>> seriesByHost = new ConcurrentHashMap<>();
    private volatile long sweep;

    SeriesLimit(int maxSeriesPerHost, Duration staleness) {
        this.maxSeriesPerHost = maxSeriesPerHost;
        this.maxIdleSweeps = (int) Math.max(1, (staleness.toMillis() + CumulativeRates.SWEEP_EVERY.toMillis() - 1)
                / CumulativeRates.SWEEP_EVERY.toMillis());
    }

    /** Whether the series is known already (then it is marked as seen). */
    boolean touch(String hostId, String seriesKey) {
        Map<String, Long> series = seriesByHost.get(hostId);
        return series != null && series.replace(seriesKey, sweep) != null;
    }

    /** Whether the series may be published: known already, or its host has room for it (which it then takes). */
    boolean admit(String hostId, String seriesKey) {
        while (true) {
            Map<String, Long> series = seriesByHost.computeIfAbsent(hostId, host -> new ConcurrentHashMap<>());
            synchronized (series) {
                if (seriesByHost.get(hostId) != series) {
                    continue; // the sweep removed this host's emptied map meanwhile: take the new one
                }
                if (series.replace(seriesKey, sweep) != null) {
                    return true;
                }
                if (series.size() >= maxSeriesPerHost) {
                    return false;
                }
                series.put(seriesKey, sweep);
                return true;
            }
        }
    }

    /** Forgets series not seen for the staleness; called every {@link CumulativeRates#SWEEP_EVERY}. */
    synchronized void expireIdle() {
        long now = ++sweep;
        for (Map.Entry<String, Map<String, Long>> host : seriesByHost.entrySet()) {
            Map<String, Long> series = host.getValue();
            synchronized (series) {
                series.values().removeIf(seen -> now - seen > maxIdleSweeps);
                if (series.isEmpty()) {
                    seriesByHost.remove(host.getKey(), series);
                }
            }
        }
    }

    /** How many series it knows, over every host. */
    int size() {
        return seriesByHost.values().stream().mapToInt(Map::size).sum();
    }
}
