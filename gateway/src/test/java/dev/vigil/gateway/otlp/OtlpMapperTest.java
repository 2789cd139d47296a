package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

class OtlpMapperTest {

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static NumberDataPoint point(long time, double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(time).setStartTimeUnixNano(1).setAsDouble(value)
                .addAllAttributes(List.of(attributes)).build();
    }

    /** Two hosts' resources (one naming its host on its points instead), a gauge and a counter each. */
    private static ExportMetricsServiceRequest request(long time) {
        Metric gauge = Metric.newBuilder().setName("system.cpu.utilization").setUnit("1").setGauge(Gauge.newBuilder()
                .addDataPoints(point(time, 0.5, attribute("cpu", "0"), attribute("state", "user")))
                .addDataPoints(point(time, 0.25, attribute("state", "user"), attribute("cpu", "1")))).build();
        Metric counter = Metric.newBuilder().setName("http requests").setUnit("{request}").setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(point(time, 100 + time, attribute("route", "/api")))).build();
        Metric pointHosts = Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                .addDataPoints(point(time, 3, attribute("host.name", "worker-1"), attribute("queue", "a")))
                .addDataPoints(point(time, 4, attribute("host.name", "worker-2"), attribute("queue", "a")))
                .addDataPoints(point(time, 5, attribute("queue", "no-host")))).build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", "web-1"))
                        .addAttributes(attribute("deployment.environment", "prod")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(counter)))
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", "web-2"))
                        .addAttributes(attribute("deployment.environment", "prod")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(counter)))
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(pointHosts)))
                .build();
    }

    private static OtlpMapper mapper(int maxKeptSeries) {
        return new OtlpMapper(List.of("host.name"), List.of("deployment.environment"), new HistogramQuantiles(16), maxKeptSeries);
    }

    @Test
    void shouldMapAKeptSeriesExactlyAsAFreshOne() {
        OtlpMapper keeping = mapper(1_000);
        OtlpMapper notKeeping = mapper(0);

        for (long time = 10; time <= 30; time += 10) {
            MappedRequest kept = keeping.map(request(time));
            MappedRequest fresh = notKeeping.map(request(time));
            assertThat(kept.points()).isEqualTo(fresh.points());
            assertThat(kept.refused()).isEqualTo(fresh.refused());
        }
        MappedRequest mapped = keeping.map(request(40));
        assertThat(mapped.points()).hasSize(8);
        assertThat(mapped.points()).extracting(Point::hostId).containsExactly("web-1", "web-1", "web-1", "web-2", "web-2", "web-2",
                "worker-1", "worker-2");
        assertThat(mapped.points().get(0).labels()).isEqualTo(Map.of("cpu", "0", "state", "user", "deployment.environment", "prod"));
        assertThat(mapped.points().get(2).name()).isEqualTo("http_requests");
        assertThat(mapped.points().get(2).kind()).isEqualTo(PointKind.CUMULATIVE);
        assertThat(mapped.points().get(6).labels()).isEqualTo(Map.of("queue", "a")); // the attribute that named the host is not a label
        assertThat(mapped.refused()).hasSize(1); // the point without a host, every time: refusals are never kept
        assertThat(keeping.keptSeries()).isEqualTo(8);
    }

    @Test
    void shouldHandTheSameSeriesAgainSoItsTableEntryIsFoundWithoutALookup() {
        OtlpMapper keeping = mapper(1_000);
        List<Point> first = keeping.map(request(10)).points();
        List<Point> second = keeping.map(request(20)).points();

        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).series()).isSameAs(first.get(i).series());
        }
    }

    @Test
    void shouldTellSeriesApartByAttributeValuesThatAreNotStrings() {
        OtlpMapper keeping = mapper(1_000);
        Metric cores = Metric.newBuilder().setName("cpu.frequency").setGauge(Gauge.newBuilder()
                .addDataPoints(point(10, 2.1, KeyValue.newBuilder().setKey("core").setValue(AnyValue.newBuilder().setIntValue(1)).build()))
                .addDataPoints(point(10, 2.4, KeyValue.newBuilder().setKey("core").setValue(AnyValue.newBuilder().setIntValue(2)).build()))
                .addDataPoints(point(10, 2.2, KeyValue.newBuilder().setKey("core").setValue(AnyValue.newBuilder().setStringValue("1")).build())))
                .build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("host.name", "db-1")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(cores))).build();

        keeping.map(request);
        List<Point> points = keeping.map(request).points();

        assertThat(points).extracting(point -> point.labels().get("core")).containsExactly("1", "2", "1");
        assertThat(points.get(0).series()).isNotSameAs(points.get(1).series());
        assertThat(points).isEqualTo(mapper(0).map(request).points());
    }

    @Test
    void shouldForgetEverySeriesAtItsBoundAndMapThemAgain() {
        OtlpMapper keeping = mapper(3);
        MappedRequest first = keeping.map(request(10));
        assertThat(keeping.keptSeries()).isLessThanOrEqualTo(3);

        MappedRequest again = keeping.map(request(10));

        assertThat(again.points()).isEqualTo(first.points());
        assertThat(keeping.keptSeries()).isLessThanOrEqualTo(3).isPositive();
    }
}
