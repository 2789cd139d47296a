package dev.vigil.console.data;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.vigil.console.web.Sparkline;

/** An alert that has not resolved, as the console shows it, with the samples of its series around it. */
public record OpenAlert(String alertId, String kind, String hostId, Map<String, String> hostLabels, String metric, Map<String, String> labels,
                        String severity, Instant startedAt, String reasonText, String summary, String seriesId, String silencedBy,
                        List<Sparkline.Point> samples) {

    public OpenAlert {
        hostLabels = Map.copyOf(hostLabels);
        labels = Map.copyOf(labels);
        samples = List.copyOf(samples);
    }

    /** The series as a person names it: {@code metric{label=value}}, or the host's for a host alert. */
    public String series() {
        if (metric.isEmpty()) {
            return "(host)";
        }
        return labels.isEmpty() ? metric : metric + new java.util.TreeMap<>(labels);
    }

    OpenAlert withSamples(List<Sparkline.Point> points) {
        return new OpenAlert(alertId, kind, hostId, hostLabels, metric, labels, severity, startedAt, reasonText, summary, seriesId, silencedBy,
                points);
    }
}
