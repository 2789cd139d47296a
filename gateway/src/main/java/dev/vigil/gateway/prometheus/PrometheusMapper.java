package dev.vigil.gateway.prometheus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.model.Series;

/**
 * Prometheus samples, from remote write or a scrape, as the gateway's {@link Point}s: one mapping for both, so a
 * node_exporter remote-written by Prometheus and the same node_exporter scraped by the gateway land as the same series.
 * <ul>
 *   <li>host id: the first present of the host labels, port stripped ({@link HostIdentity}); that label is not kept;</li>
 *   <li>name: {@code __name__} as it is; labels: the others, less Prometheus' internal {@code __...} ones;</li>
 *   <li>kind: {@link SeriesTreatment} (counters cumulative, so the core makes rates with reset detection);</li>
 *   <li>a staleness marker ends nothing here and is skipped (the core forgets a series after {@code staleness});
 *       any other NaN or infinity is refused {@code not_finite}, the rest of the request goes on.</li>
 * </ul>
 * What a series becomes depends on its labels and its family's type only, so it is decided once per series
 * ({@link #mapSeries}); remote write keeps that decision for the series it sees again ({@link RemoteWriteReader}).
 */
public final class PrometheusMapper {

    /**
     * What one Prometheus series becomes: dropped (a histogram bucket), refused (no host, a host label that is not a
     * host id), or a Vigil series whose samples are points of {@code kind}.
     */
    public record SeriesMapping(Series series, PointKind kind, RefusalReason refusal, String example) {

        static final SeriesMapping DROP = new SeriesMapping(null, null, null, null);

        static SeriesMapping refused(RefusalReason reason, String example) {
            return new SeriesMapping(null, null, reason, example);
        }

        /**
         * Adds what one sample of this series gives to {@code points}, or to {@code refusals}: nothing for a staleness
         * marker or a dropped series.
         */
        public void add(String name, double value, long timestampMillis, List<Point> points, Refusals refusals) {
            if (this == DROP || PromSample.isStaleMarker(value)) {
                return;
            }
            if (!Double.isFinite(value)) {
                refusals.add(RefusalReason.NOT_FINITE, name + " = " + value);
            } else if (refusal != null) {
                refusals.add(refusal, example);
            } else {
                points.add(new Point(series, "", timestampMillis * 1_000_000L, 0, value, kind));
            }
        }
    }

    private final HostIdentity identity;

    public PrometheusMapper(HostIdentity identity) {
        this.identity = identity;
    }

    /** What the series {@code name} with {@code labels} (less {@code __name__}) becomes, its family's type as {@code familyTypes} knows it. */
    public SeriesMapping mapSeries(String name, Map<String, String> labels, Function<String, PromType> familyTypes) {
        SeriesTreatment.Kind kind = SeriesTreatment.of(name, labels, familyTypes);
        if (kind == SeriesTreatment.Kind.DROP) {
            return SeriesMapping.DROP;
        }
        String hostLabel = identity.labelOf(labels);
        if (hostLabel == null) {
            return SeriesMapping.refused(RefusalReason.NO_HOST, name + " has none of the labels " + identity.labels());
        }
        String host = identity.hostIn(labels.get(hostLabel));
        if (host == null) {
            return SeriesMapping.refused(RefusalReason.INVALID_HOST, hostLabel + "=\"" + labels.get(hostLabel) + "\"");
        }
        Map<String, String> kept = new HashMap<>(labels.size());
        labels.forEach((label, value) -> {
            if (!label.equals(hostLabel) && !label.startsWith("__")) {
                kept.put(label, value);
            }
        });
        return new SeriesMapping(new Series(host, name, kept), kind == SeriesTreatment.Kind.RATE ? PointKind.CUMULATIVE : PointKind.GAUGE,
                null, null);
    }

    /** Maps {@code samples}, whose families' types {@code familyTypes} knows where known. */
    public MappedRequest map(List<PromSample> samples, Function<String, PromType> familyTypes) {
        List<Point> points = new ArrayList<>(samples.size());
        Refusals refusals = new Refusals();
        for (PromSample sample : samples) {
            mapSeries(sample.name(), sample.labels(), familyTypes).add(sample.name(), sample.value(), sample.timestampMillis(), points, refusals);
        }
        return new MappedRequest(points, refusals.list());
    }
}
