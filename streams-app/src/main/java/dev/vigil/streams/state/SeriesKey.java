package dev.vigil.streams.state;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What names a series within its host: the metric and its labels. Equal whatever map type holds the
 * labels, so a key made straight from a decoded sample finds the stored one without copying its labels.
 */
public final class SeriesKey {

    private final String metric;
    private final Map<String, String> labels;
    private final int hash;

    private SeriesKey(String metric, Map<String, String> labels) {
        this.metric = Objects.requireNonNull(metric, "metric can't be null");
        this.labels = Objects.requireNonNull(labels, "labels can't be null");
        this.hash = 31 * metric.hashCode() + labels.hashCode();
    }

    /** A key to keep: its labels are copied and sorted by name. */
    public static SeriesKey of(String metric, Map<String, String> labels) {
        return new SeriesKey(metric, labels.isEmpty() ? Map.of() : new TreeMap<>(labels));
    }

    /** A key over labels already sorted and owned by the caller (a decoded state). */
    static SeriesKey ofSorted(String metric, Map<String, String> sortedLabels) {
        return new SeriesKey(metric, sortedLabels);
    }

    /** A key to look a series up with, on the hot path: it shares {@code labels}, which must not change while it is used. */
    public static SeriesKey lookup(String metric, Map<String, String> labels) {
        return new SeriesKey(metric, labels);
    }

    public String metric() {
        return metric;
    }

    public Map<String, String> labels() {
        return labels;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesKey key && hash == key.hash && metric.equals(key.metric) && labels.equals(key.labels);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return labels.isEmpty() ? metric : metric + new TreeMap<>(labels);
    }
}
