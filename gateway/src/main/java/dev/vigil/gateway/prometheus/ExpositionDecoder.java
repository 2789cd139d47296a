package dev.vigil.gateway.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.gateway.prometheus.exposition.Metrics;

/**
 * The Prometheus protobuf exposition format (length-delimited {@code io.prometheus.client.MetricFamily} messages,
 * {@code application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited}) as samples,
 * expanded into the series names the text format and remote write use: a histogram {@code h} becomes
 * {@code h_bucket{le}}, {@code h_count}, {@code h_sum}; a summary {@code s} becomes {@code s{quantile}},
 * {@code s_count}, {@code s_sum}. Parsed by protobuf-java from the official definition, nothing by hand.
 */
public final class ExpositionDecoder {

    /** What a scraper puts in {@code Accept}: protobuf first, as Prometheus itself asks. */
    public static final String PROTOBUF_MEDIA_TYPE =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    private ExpositionDecoder() {
    }

    /** The samples and family types of one scrape. */
    public record Scrape(List<PromSample> samples, Map<String, PromType> familyTypes) {
    }

    /**
     * Reads every family in {@code in}.
     *
     * @param targetLabels     labels every sample gets ({@code instance}, {@code job}, the target group's), which win
     *                         over the exposed ones as with Prometheus' default {@code honor_labels: false}
     * @param defaultTimestamp the scrape's time (epoch ms), for samples without their own
     */
    public static Scrape decode(InputStream in, Map<String, String> targetLabels, long defaultTimestamp) throws IOException {
        List<PromSample> samples = new ArrayList<>();
        Map<String, PromType> types = new HashMap<>();
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            String name = family.getName();
            types.put(name, PromType.of(family.getType()));
            for (Metrics.Metric metric : family.getMetricList()) {
                Map<String, String> labels = new HashMap<>();
                for (Metrics.LabelPair pair : metric.getLabelList()) {
                    labels.put(pair.getName(), pair.getValue());
                }
                labels.putAll(targetLabels);
                long time = metric.getTimestampMs() != 0 ? metric.getTimestampMs() : defaultTimestamp;
                switch (family.getType()) {
                    case COUNTER -> samples.add(new PromSample(name, labels, metric.getCounter().getValue(), time));
                    case GAUGE -> samples.add(new PromSample(name, labels, metric.getGauge().getValue(), time));
                    case SUMMARY -> {
                        Metrics.Summary summary = metric.getSummary();
                        for (Metrics.Quantile quantile : summary.getQuantileList()) {
                            samples.add(new PromSample(name, with(labels, "quantile", format(quantile.getQuantile())), quantile.getValue(), time));
                        }
                        samples.add(new PromSample(name + "_sum", labels, summary.getSampleSum(), time));
                        samples.add(new PromSample(name + "_count", labels, summary.getSampleCount(), time));
                    }
                    case HISTOGRAM, GAUGE_HISTOGRAM -> {
                        Metrics.Histogram histogram = metric.getHistogram();
                        for (Metrics.Bucket bucket : histogram.getBucketList()) {
                            samples.add(new PromSample(name + "_bucket", with(labels, "le", format(bucket.getUpperBound())),
                                    bucket.getCumulativeCount(), time));
                        }
                        int buckets = histogram.getBucketCount();
                        if (buckets == 0 || histogram.getBucket(buckets - 1).getUpperBound() != Double.POSITIVE_INFINITY) {
                            samples.add(new PromSample(name + "_bucket", with(labels, "le", "+Inf"), histogram.getSampleCount(), time));
                        }
                        samples.add(new PromSample(name + "_sum", labels, histogram.getSampleSum(), time));
                        samples.add(new PromSample(name + "_count", labels, histogram.getSampleCount(), time));
                    }
                    default -> samples.add(new PromSample(name, labels, metric.getUntyped().getValue(), time));
                }
            }
        }
        return new Scrape(List.copyOf(samples), Map.copyOf(types));
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new HashMap<>(labels);
        copy.put(name, value);
        return copy;
    }

    /** As Prometheus writes {@code le} and {@code quantile}: Go's shortest float formatting, {@code +Inf}. */
    static String format(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
