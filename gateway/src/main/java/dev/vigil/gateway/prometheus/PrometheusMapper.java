package dev.vigil.gateway.prometheus;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;

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
 */
public final class PrometheusMapper {

    private final HostIdentity identity;

    public PrometheusMapper(HostIdentity identity) {
        this.identity = identity;
    }

    /** Maps {@code samples}, whose families' types {@code familyTypes} knows where known. */
    public MappedRequest map(List<PromSample> samples, Function<String, PromType> familyTypes) {
        List<Point> points = new ArrayList<>(samples.size());
        Map<RefusalReason, int[]> counts = new EnumMap<>(RefusalReason.class);
        Map<RefusalReason, String> examples = new EnumMap<>(RefusalReason.class);
        for (PromSample sample : samples) {
            if (sample.isStale()) {
                continue;
            }
            SeriesTreatment.Kind kind = SeriesTreatment.of(sample.name(), sample.labels(), familyTypes);
            if (kind == SeriesTreatment.Kind.DROP) {
                continue;
            }
            if (!Double.isFinite(sample.value())) {
                refuse(counts, examples, RefusalReason.NOT_FINITE, sample.name() + " = " + sample.value());
                continue;
            }
            String hostLabel = identity.labelOf(sample.labels());
            if (hostLabel == null) {
                refuse(counts, examples, RefusalReason.NO_HOST, sample.name() + " has none of the labels " + identity.labels());
                continue;
            }
            String host = identity.hostIn(sample.labels().get(hostLabel));
            if (host == null) {
                refuse(counts, examples, RefusalReason.INVALID_HOST, hostLabel + "=\"" + sample.labels().get(hostLabel) + "\"");
                continue;
            }
            Map<String, String> labels = new HashMap<>(sample.labels().size());
            sample.labels().forEach((name, value) -> {
                if (!name.equals(hostLabel) && !name.startsWith("__")) {
                    labels.put(name, value);
                }
            });
            long nanos = sample.timestampMillis() * 1_000_000L;
            points.add(new Point(host, sample.name(), labels, "", nanos, 0, sample.value(),
                    kind == SeriesTreatment.Kind.RATE ? PointKind.CUMULATIVE : PointKind.GAUGE));
        }
        List<RefusedPoints> refused = new ArrayList<>();
        counts.forEach((reason, count) -> refused.add(new RefusedPoints(reason, count[0], examples.get(reason))));
        return new MappedRequest(points, refused);
    }

    private static void refuse(Map<RefusalReason, int[]> counts, Map<RefusalReason, String> examples, RefusalReason reason, String example) {
        counts.computeIfAbsent(reason, r -> new int[1])[0]++;
        examples.putIfAbsent(reason, example);
    }
}
