package dev.vigil.streams.state;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What names a series within its host: the metric and its labels. */
public record SeriesKey(String metric, Map<String, String> labels) {

    public SeriesKey {
        Objects.requireNonNull(metric, "metric can't be null");
        labels = labels.isEmpty() ? Map.of() : new TreeMap<>(labels);
    }

    @Override
    public String toString() {
        return labels.isEmpty() ? metric : metric + labels;
    }
}
