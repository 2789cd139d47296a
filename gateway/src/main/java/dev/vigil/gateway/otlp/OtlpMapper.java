package dev.vigil.gateway.otlp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.vigil.gateway.model.Fingerprint;
import dev.vigil.gateway.model.KeptMappings;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.model.Series;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;

/**
 * Maps an OTLP {@code ExportMetricsServiceRequest} into the gateway's points, the same for OTLP/HTTP, OTLP/gRPC and the
 * Collector's Kafka topic. docs/ingest.md states the mapping:
 * <ul>
 *   <li>host id: the first of {@code hostAttributes} among the resource's attributes, then the point's; none: refused
 *       {@code no_host};</li>
 *   <li>name: the metric's, characters outside {@code [A-Za-z0-9_.:/-]} as {@code _}; labels: the point's attributes
 *       (minus the one that gave the host) plus {@code resourceLabels} of the resource's, names with other characters
 *       than {@code [A-Za-z0-9_.]} as {@code _}, values as strings;</li>
 *   <li>gauge as is; monotonic cumulative sum: cumulative (a rate); delta sum: a rate over its interval; non-monotonic
 *       cumulative sum: a gauge;</li>
 *   <li>histogram: {@code _count} and {@code _sum} (rates), and over the last interval {@code _mean} and the quantiles
 *       {@code _p50}, {@code _p90}, {@code _p99} estimated from the buckets ({@link HistogramQuantiles}); exponential
 *       histogram: {@code _count}, {@code _sum}, {@code _mean}; summary: {@code _count}, {@code _sum} and its own
 *       quantiles as {@code _p<q*100>}.</li>
 * </ul>
 * A gauge's or a sum's series is kept once mapped, found again by what it was mapped from (the resource's host and
 * labels, the metric's name, the point's attributes as received, or their bytes when {@link OtlpWireReader} reads a
 * serialized request), so that a series seen before costs no label map,
 * key or table lookup per point; at most {@code maxKeptSeries} of them ({@link KeptMappings}). Thread-safe.
 */
public final class OtlpMapper {

    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    /**
     * Marks a fingerprint of attributes as serialized ({@link MetricMapping#wireKey}) rather than parsed, so that the
     * two kinds of key never stand for each other.
     */
    private static final int WIRE = 0x10001;

    private final List<String> hostAttributes;
    private final List<String> resourceLabels;
    private final HistogramQuantiles histograms;
    private final KeptMappings<Series> kept;

    /**
     * @param hostAttributes attributes giving the host id, in order of preference
     * @param resourceLabels resource attributes copied onto every point's labels
     * @param histograms     the last buckets of each cumulative histogram series, for interval quantiles
     * @param maxKeptSeries  how many gauge and sum series are kept mapped ({@code otlp.series.kept}; 0: none)
     */
    public OtlpMapper(List<String> hostAttributes, List<String> resourceLabels, HistogramQuantiles histograms, int maxKeptSeries) {
        this.hostAttributes = List.copyOf(hostAttributes);
        this.resourceLabels = List.copyOf(resourceLabels);
        this.histograms = Objects.requireNonNull(histograms, "histograms can't be null");
        this.kept = new KeptMappings<>(maxKeptSeries);
    }

    /** How many series are kept mapped. */
    public int keptSeries() {
        return kept.size();
    }

    /** The points of {@code request}, and those it could not map. */
    public MappedRequest map(ExportMetricsServiceRequest request) {
        List<Point> points = new ArrayList<>();
        Refusals refusals = new Refusals();
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            map(resourceMetrics, points, refusals);
        }
        return new MappedRequest(points, refusals.list());
    }

    /** Adds the points of one resource's metrics to {@code points}, those it could not map to {@code refusals}. */
    void map(ResourceMetrics resourceMetrics, List<Point> points, Refusals refusals) {
        Resource resource = resource(resourceMetrics.getResource().getAttributesList());
        for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
            for (Metric metric : scope.getMetricsList()) {
                new MetricMapping(metric.getName(), metric.getUnit(), resource, points, refusals).map(metric);
            }
        }
    }

    /**
     * The points of a serialized {@code ExportMetricsServiceRequest}, as {@link #map(ExportMetricsServiceRequest)} maps
     * its parsed form, read off the wire so that a kept series' point costs no generated messages ({@link OtlpWireReader}).
     *
     * @throws InvalidProtocolBufferException when it is not one
     */
    public MappedRequest map(byte[] request) throws InvalidProtocolBufferException {
        return new OtlpWireReader(this, request).read();
    }

    /** What every point of a resource with {@code attributes} shares. */
    Resource resource(List<KeyValue> attributes) {
        Map<String, String> resource = attributes(attributes);
        Map<String, String> labels = new TreeMap<>();
        for (String label : resourceLabels) {
            String value = resource.get(label);
            if (value != null && !hostAttributes.contains(label)) {
                labels.put(labelName(label), value);
            }
        }
        return new Resource(firstOf(resource), labels);
    }

    /**
     * What every point of one resource shares: its host (null if the points must name it), its labels, and the
     * beginning of its series' fingerprints.
     */
    record Resource(String host, Map<String, String> labels, Fingerprint fingerprint) {

        Resource(String host, Map<String, String> labels) {
            this(host, labels, OtlpMapper.fingerprint(host, labels));
        }
    }

    /** The beginning of the fingerprints of a resource's series: its host (null: none) and labels. */
    private static Fingerprint fingerprint(String host, Map<String, String> labels) {
        Fingerprint fingerprint = Fingerprint.START.with(host == null ? "" : host).with(host == null ? 0 : 1);
        for (Map.Entry<String, String> label : labels.entrySet()) {
            fingerprint = fingerprint.with(label.getKey()).with(label.getValue());
        }
        return fingerprint;
    }

    /** The fingerprint of the series with {@code attributes}, from its metric's. */
    private static Fingerprint fingerprint(Fingerprint metric, List<KeyValue> attributes) {
        Fingerprint fingerprint = metric;
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            fingerprint = fingerprint.with(attribute.getKey()).with(value.getValueCase().getNumber())
                    .with(value.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? value.getStringValue() : text(value));
        }
        return fingerprint.finished();
    }

    /** One metric's points. */
    final class MetricMapping {
        /** The metric's name as received, for refusals. */
        private final String receivedName;
        private final String name;
        private final String unit;
        private final Resource resource;
        /** The beginning of its series' fingerprints, worked out once per metric rather than per point. */
        private final Fingerprint fingerprint;
        private final List<Point> points;
        private final Refusals refusals;

        MetricMapping(String receivedName, String unit, Resource resource, List<Point> points, Refusals refusals) {
            this.receivedName = receivedName;
            this.name = metricName(receivedName);
            this.unit = unit;
            this.resource = resource;
            this.fingerprint = kept.keeps() ? resource.fingerprint().with(name) : null;
            this.points = points;
            this.refusals = refusals;
        }

        void map(Metric metric) {
            switch (metric.getDataCase()) {
                case GAUGE -> metric.getGauge().getDataPointsList().forEach(point -> number(point, PointKind.GAUGE, null));
                case SUM -> {
                    PointKind kind = sumKind(metric.getSum().getAggregationTemporality(), metric.getSum().getIsMonotonic());
                    metric.getSum().getDataPointsList().forEach(point -> number(point, kind, null));
                }
                case HISTOGRAM -> {
                    boolean delta = metric.getHistogram().getAggregationTemporality()
                            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                    metric.getHistogram().getDataPointsList().forEach(point -> histogram(point, delta));
                }
                case EXPONENTIAL_HISTOGRAM -> {
                    boolean delta = metric.getExponentialHistogram().getAggregationTemporality()
                            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                    metric.getExponentialHistogram().getDataPointsList().forEach(point -> exponential(point, delta));
                }
                case SUMMARY -> metric.getSummary().getDataPointsList().forEach(this::summary);
                case DATA_NOT_SET -> refusals.add(RefusalReason.UNSUPPORTED, receivedName + ": a metric without data");
            }
        }

        /**
         * The key its series with the attributes serialized in {@code bytes[from, to)} are kept under by
         * {@link OtlpWireReader}, or null when nothing is kept.
         */
        Fingerprint wireKey(byte[] bytes, int from, int to) {
            return fingerprint == null ? null : fingerprint.with(WIRE).with(bytes, from, to).finished();
        }

        /** A point of the series kept under {@code key} (a {@link #wireKey}); false if none is kept, nothing added. */
        boolean addKept(Fingerprint key, long timeNanos, long startNanos, double value, PointKind kind) {
            Series series = kept.get(key);
            if (series == null) {
                return false;
            }
            points.add(new Point(series, unit, timeNanos, startNanos, value, kind));
            return true;
        }

        /** A gauge's or a sum's point; its series kept under {@code key} if not null, else under its attributes' fingerprint. */
        void number(NumberDataPoint point, PointKind kind, Fingerprint key) {
            Series series = series(point.getAttributesList(), key);
            if (series == null) {
                return;
            }
            double value;
            switch (point.getValueCase()) {
                case AS_DOUBLE -> value = point.getAsDouble();
                case AS_INT -> value = point.getAsInt();
                default -> {
                    refusals.add(RefusalReason.UNSUPPORTED, receivedName + ": a point without a value");
                    return;
                }
            }
            points.add(new Point(series, unit, point.getTimeUnixNano(), point.getStartTimeUnixNano(), value, kind));
        }

        /**
         * The series of a point with {@code attributes}, kept under {@code key} (null: their fingerprint) or mapped now;
         * null (refused) if it has no host.
         */
        private Series series(List<KeyValue> attributes, Fingerprint key) {
            if (key == null && fingerprint != null) {
                key = OtlpMapper.fingerprint(fingerprint, attributes);
            }
            Series series = key == null ? null : kept.get(key);
            if (series == null) {
                Labels labels = labels(attributes);
                if (labels == null) {
                    return null;
                }
                series = new Series(labels.host, name, labels.values);
                if (key != null) {
                    kept.keep(key, series);
                }
            }
            return series;
        }

        private void histogram(HistogramDataPoint point, boolean delta) {
            Labels labels = labels(point.getAttributesList());
            if (labels == null) {
                return;
            }
            PointKind kind = delta ? PointKind.DELTA : PointKind.CUMULATIVE;
            long time = point.getTimeUnixNano();
            long start = point.getStartTimeUnixNano();
            points.add(new Point(labels.host, name + "_count", labels.values, "", time, start, point.getCount(), kind));
            if (point.hasSum()) {
                points.add(new Point(labels.host, name + "_sum", labels.values, unit, time, start, point.getSum(), kind));
            }
            HistogramQuantiles.Interval interval = delta
                    ? HistogramQuantiles.Interval.of(point)
                    : histograms.interval(labels.host + '\u0000' + name + '\u0000' + labels.values, point);
            if (interval == null || interval.count() == 0) {
                return; // the first point of a cumulative series, a reset, or nothing observed in the interval
            }
            if (interval.hasSum()) {
                points.add(Point.gauge(labels.host, name + "_mean", labels.values, unit, time, interval.sum() / interval.count()));
            }
            if (point.getExplicitBoundsCount() > 0) {
                for (double quantile : QUANTILES) {
                    points.add(Point.gauge(labels.host, name + "_" + quantileName(quantile), labels.values, unit, time,
                            interval.quantile(quantile, point.getExplicitBoundsList())));
                }
            }
        }

        private void exponential(ExponentialHistogramDataPoint point, boolean delta) {
            Labels labels = labels(point.getAttributesList());
            if (labels == null) {
                return;
            }
            PointKind kind = delta ? PointKind.DELTA : PointKind.CUMULATIVE;
            long time = point.getTimeUnixNano();
            points.add(new Point(labels.host, name + "_count", labels.values, "", time, point.getStartTimeUnixNano(), point.getCount(), kind));
            if (point.hasSum()) {
                points.add(new Point(labels.host, name + "_sum", labels.values, unit, time, point.getStartTimeUnixNano(),
                        point.getSum(), kind));
                if (delta && point.getCount() > 0) {
                    points.add(Point.gauge(labels.host, name + "_mean", labels.values, unit, time, point.getSum() / point.getCount()));
                }
            }
        }

        private void summary(SummaryDataPoint point) {
            Labels labels = labels(point.getAttributesList());
            if (labels == null) {
                return;
            }
            long time = point.getTimeUnixNano();
            points.add(new Point(labels.host, name + "_count", labels.values, "", time, point.getStartTimeUnixNano(), point.getCount(),
                    PointKind.CUMULATIVE));
            points.add(new Point(labels.host, name + "_sum", labels.values, unit, time, point.getStartTimeUnixNano(),
                    point.getSum(), PointKind.CUMULATIVE));
            point.getQuantileValuesList().forEach(quantile -> points.add(Point.gauge(labels.host,
                    name + "_" + quantileName(quantile.getQuantile()), labels.values, unit, time, quantile.getValue())));
        }

        /** The point's host and labels, or null (refused {@code no_host}) when no host attribute is present. */
        private Labels labels(List<KeyValue> attributes) {
            Map<String, String> own = attributes(attributes);
            String host = resource.host();
            String hostAttribute = null;
            if (host == null) {
                for (String attribute : hostAttributes) {
                    if (own.containsKey(attribute)) {
                        host = own.get(attribute);
                        hostAttribute = attribute;
                        break;
                    }
                }
            }
            if (host == null) {
                refusals.add(RefusalReason.NO_HOST, receivedName + ": none of " + hostAttributes + " among the resource's or the point's attributes");
                return null;
            }
            Map<String, String> values = new TreeMap<>(resource.labels());
            for (Map.Entry<String, String> attribute : own.entrySet()) {
                if (!attribute.getKey().equals(hostAttribute)) {
                    values.put(labelName(attribute.getKey()), attribute.getValue());
                }
            }
            return new Labels(host, values);
        }
    }

    private record Labels(String host, Map<String, String> values) {
    }

    /** How a sum's points are read: a delta sum as deltas, a monotonic cumulative one as a total, any other as a level. */
    static PointKind sumKind(AggregationTemporality temporality, boolean monotonic) {
        return temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA ? PointKind.DELTA
                : monotonic ? PointKind.CUMULATIVE : PointKind.GAUGE;
    }

    private String firstOf(Map<String, String> attributes) {
        for (String attribute : hostAttributes) {
            String value = attributes.get(attribute);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            map.put(attribute.getKey(), text(attribute.getValue()));
        }
        return map;
    }

    /** An attribute's value as a label's string: scalars as they print, arrays and maps as OTLP's JSON would show them. */
    static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpMapper::text).toList().toString();
            case KVLIST_VALUE -> {
                Map<String, String> map = new HashMap<>();
                value.getKvlistValue().getValuesList().forEach(kv -> map.put(kv.getKey(), text(kv.getValue())));
                yield new TreeMap<>(map).toString();
            }
            case BYTES_VALUE -> java.util.HexFormat.of().formatHex(value.getBytesValue().toByteArray());
            default -> "";
        };
    }

    /** An OTLP metric name in Vigil's characters: anything but {@code [A-Za-z0-9_.:/-]} becomes {@code _}. */
    static String metricName(String name) {
        return replaceOthers(name, "_.:/-");
    }

    /** An attribute name in Vigil's label characters: anything but {@code [A-Za-z0-9_.]} becomes {@code _}. */
    static String labelName(String name) {
        return replaceOthers(name, "_.");
    }

    private static String replaceOthers(String name, String allowedPunctuation) {
        StringBuilder mapped = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || allowedPunctuation.indexOf(c) >= 0;
            mapped.append(kept ? c : '_');
        }
        return mapped.toString();
    }

    /** {@code 0.5} -> {@code p50}, {@code 0.999} -> {@code p99.9}. */
    static String quantileName(double quantile) {
        String percent = java.math.BigDecimal.valueOf(quantile * 100).stripTrailingZeros().toPlainString();
        return "p" + percent.toLowerCase(Locale.ROOT);
    }
}
