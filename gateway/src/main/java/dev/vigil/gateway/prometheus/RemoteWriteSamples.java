package dev.vigil.gateway.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;

/**
 * A decoded {@code WriteRequest} as samples, plus the family types its metadata announces. Native histograms
 * (remote write 1.0's {@code histograms} field, experimental in Prometheus 2.42) are counted and skipped.
 */
public record RemoteWriteSamples(List<PromSample> samples, Map<String, PromType> familyTypes, int nativeHistograms,
                                 List<String> problems) {

    /** The label that carries the series name. */
    public static final String NAME_LABEL = "__name__";

    public static RemoteWriteSamples of(WriteRequest request) {
        List<PromSample> samples = new ArrayList<>(request.getTimeseriesCount());
        List<String> problems = new ArrayList<>();
        int nativeHistograms = 0;
        for (int s = 0; s < request.getTimeseriesCount(); s++) {
            Types.TimeSeries series = request.getTimeseries(s);
            String name = null;
            Map<String, String> labels = new HashMap<>();
            for (Types.Label label : series.getLabelsList()) {
                if (NAME_LABEL.equals(label.getName())) {
                    name = label.getValue();
                } else if (labels.put(label.getName(), label.getValue()) != null) {
                    problems.add("timeseries[" + s + "]: label '" + label.getName() + "' twice");
                }
            }
            nativeHistograms += series.getHistogramsCount();
            if (name == null || name.isEmpty()) {
                if (series.getSamplesCount() > 0) {
                    problems.add("timeseries[" + s + "]: no __name__ label");
                }
                continue;
            }
            Map<String, String> seriesLabels = Map.copyOf(labels); // once per series: PromSample keeps an immutable map as it is
            for (Types.Sample sample : series.getSamplesList()) {
                samples.add(new PromSample(name, seriesLabels, sample.getValue(), sample.getTimestamp()));
            }
        }
        Map<String, PromType> types = new HashMap<>();
        for (Types.MetricMetadata metadata : request.getMetadataList()) {
            types.put(metadata.getMetricFamilyName(), PromType.of(metadata.getType()));
        }
        // Not copied again: nothing else holds these lists, and a request has thousands of samples.
        return new RemoteWriteSamples(Collections.unmodifiableList(samples), Map.copyOf(types), nativeHistograms, List.copyOf(problems));
    }
}
