package dev.vigil.gateway.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import dev.vigil.gateway.model.CumulativeRates;

/**
 * At most {@code maxSeriesPerHost} series per host, as the streams application's {@code max.series.per.host} bounds
 * them: the gateway refuses the points of a host's new series beyond it at the door ({@code too_many_series}) instead
 * of letting the streams application dead-letter them. A series not seen for the staleness frees its place. Thread-safe.
 */
final class SeriesLimit {

    private final int maxSeriesPerHost;
    private final int maxIdleSweeps;
    private final Map<String, Map<String, Long>> seriesByHost = new HashMap<>();
    private long sweep;

    SeriesLimit(int maxSeriesPerHost, Duration staleness) {
        this.maxSeriesPerHost = maxSeriesPerHost;
        this.maxIdleSweeps = (int) Math.max(1, (staleness.toMillis() + CumulativeRates.SWEEP_EVERY.toMillis() - 1)
                / CumulativeRates.SWEEP_EVERY.toMillis());
    }

    /** Whether the series may be published: known already, or its host has room for it (which it then takes). */
    synchronized boolean admit(String hostId, String seriesKey) {
        Map<String, Long> series = seriesByHost.computeIfAbsent(hostId, host -> new HashMap<>());
        if (series.containsKey(seriesKey)) {
            series.put(seriesKey, sweep);
            return true;
        }
        if (series.size() >= maxSeriesPerHost) {
            return false;
        }
        series.put(seriesKey, sweep);
        return true;
    }

    /** Forgets series not seen for the staleness; called every {@link CumulativeRates#SWEEP_EVERY}. */
    synchronized void expireIdle() {
        sweep++;
        for (Iterator<Map<String, Long>> hosts = seriesByHost.values().iterator(); hosts.hasNext(); ) {
            Map<String, Long> series = hosts.next();
            series.values().removeIf(seen -> sweep - seen > maxIdleSweeps);
            if (series.isEmpty()) {
                hosts.remove();
            }
        }
    }

    /** How many series it knows, over every host. */
    synchronized int size() {
        return seriesByHost.values().stream().mapToInt(Map::size).sum();
    }
}
