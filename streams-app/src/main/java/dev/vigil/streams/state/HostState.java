package dev.vigil.streams.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

import dev.vigil.detection.AnomalyDetector;
import dev.vigil.streams.alerts.HostAlert;
import dev.vigil.streams.alerts.SeriesAlert;

/**
 * The state of one host: all its series and its host-level alert. It is one value in the state store,
 * keyed by host id like the input, so a batch costs one read and one write however many series it carries,
 * and every series of a host lives on the host's partition without a repartition topic.
 */
public final class HostState {

    private final Map<SeriesKey, SeriesState> series;
    private final HostAlert hostAlert;
    private Map<String, String> hostLabels;
    /** The window end under which this host is listed in the close index; 0 when it is not listed. */
    private long closeIndexedAt;

    HostState(Map<String, String> hostLabels, HostAlert hostAlert, long closeIndexedAt, Map<SeriesKey, SeriesState> series) {
        this.hostLabels = Map.copyOf(hostLabels);
        this.hostAlert = Objects.requireNonNull(hostAlert, "hostAlert can't be null");
        this.closeIndexedAt = closeIndexedAt;
        this.series = series;
    }

    /** A host seen for the first time. */
    public static HostState empty() {
        return new HostState(Map.of(), new HostAlert(), 0, new LinkedHashMap<>());
    }

    /** The series' state, or null if the host never sent it. */
    public SeriesState series(SeriesKey key) {
        return series.get(key);
    }

    /**
     * Starts tracking a new series with a fresh detector, made for the series' index in this host's order
     * (the index its daily profile is kept under, see {@link DailyProfilePages}).
     */
    public SeriesState addSeries(SeriesKey key, String seriesId, IntFunction<AnomalyDetector> detector) {
        SeriesState state = new SeriesState(key, seriesId, detector.apply(series.size()), new SeriesAlert());
        series.put(key, state);
        return state;
    }

    public int seriesCount() {
        return series.size();
    }

    /** Every series, in the order the host first sent them. */
    public Collection<SeriesState> allSeries() {
        return series.values();
    }

    /** The series whose alert is open, in the order the host first sent them. */
    public List<SeriesState> alertingSeries() {
        List<SeriesState> open = new ArrayList<>();
        for (SeriesState state : series.values()) {
            if (state.alert().isOpen()) {
                open.add(state);
            }
        }
        return open;
    }

    public HostAlert hostAlert() {
        return hostAlert;
    }

    public Map<String, String> hostLabels() {
        return hostLabels;
    }

    public void hostLabels(Map<String, String> labels) {
        if (!labels.equals(hostLabels)) {
            this.hostLabels = Map.copyOf(labels);
        }
    }

    /** The earliest end among this host's open rollup windows, or {@link Long#MAX_VALUE} if none is open. */
    public long earliestWindowEnd(long minuteMillis, long hourMillis) {
        long earliest = Long.MAX_VALUE;
        for (SeriesState state : series.values()) {
            if (state.minute() != null) {
                earliest = Math.min(earliest, state.minute().windowStart() + minuteMillis);
            }
            if (state.hour() != null) {
                earliest = Math.min(earliest, state.hour().windowStart() + hourMillis);
            }
        }
        return earliest;
    }

    public long closeIndexedAt() {
        return closeIndexedAt;
    }

    public void closeIndexedAt(long windowEnd) {
        this.closeIndexedAt = windowEnd;
    }
}
