package dev.vigil.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;

/** The wire reader must give exactly what the generated parser and the mapper give, fresh and kept, whatever the field order. */
class OtlpWireReaderTest {

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue attribute(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static NumberDataPoint point(long time, double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(time).setStartTimeUnixNano(1).setAsDouble(value)
                .addAllAttributes(List.of(attributes)).build();
    }

    private static Sum sum(AggregationTemporality temporality, boolean monotonic, NumberDataPoint... points) {
        return Sum.newBuilder().setAggregationTemporality(temporality).setIsMonotonic(monotonic).addAllDataPoints(List.of(points)).build();
    }

    private static OtlpMapper mapper(int maxKeptSeries) {
        return new OtlpMapper(List.of("host.name"), List.of("deployment.environment"), new HistogramQuantiles(16), maxKeptSeries);
    }

    /** Every kind of metric and point the mapper knows, over two resources and one that names its hosts on its points. */
    private static ExportMetricsServiceRequest request(long time) {
        Metric gauge = Metric.newBuilder().setName("system.cpu.utilization").setUnit("1").setDescription("busy").setGauge(Gauge.newBuilder()
                .addDataPoints(point(time, 0.5, attribute("cpu", "0"), attribute("state", "user")))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsInt(7).addAttributes(attribute("cpu", 1)))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).addAttributes(attribute("cpu", "none"))) // no value
                .addDataPoints(point(time, 0.125))).build();
        Metric counter = Metric.newBuilder().setName("http requests").setUnit("{request}")
                .setSum(sum(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true, point(time, 100 + time, attribute("route", "/api"))))
                .build();
        Metric delta = Metric.newBuilder().setName("jobs.done")
                .setSum(sum(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, true, point(time, 3, attribute("queue", "a")))).build();
        Metric upDown = Metric.newBuilder().setName("connections")
                .setSum(sum(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, false, point(time, 12))).build();
        Metric histogram = Metric.newBuilder().setName("latency").setUnit("s").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(time).setStartTimeUnixNano(1).setCount(time).setSum(time * 0.1)
                        .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(time / 2, time / 2, 0L)))).build();
        Metric summary = Metric.newBuilder().setName("gc.pause").setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
                .setTimeUnixNano(time).setCount(time).setSum(time).addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                        .setQuantile(0.99).setValue(0.5)))).build();
        Metric empty = Metric.newBuilder().setName("nothing").build();
        Metric pointHosts = Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                .addDataPoints(point(time, 3, attribute("host.name", "worker-1"), attribute("queue", "a")))
                .addDataPoints(point(time, 5, attribute("queue", "no-host")))).build();
        ScopeMetrics all = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.example"))
                .addAllMetrics(List.of(gauge, counter, delta, upDown, histogram, summary, empty)).build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", "web-1"))
                        .addAttributes(attribute("deployment.environment", "prod"))).addScopeMetrics(all))
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAttributes(attribute("host.name", "web-2")))
                        .addScopeMetrics(all).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge)))
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(pointHosts)))
                .build();
    }

    /** Reads {@code bytes} three times with a keeping mapper and checks each against the parsed request mapped afresh. */
    private static List<Point> assertReadAsParsed(byte[]... requests) throws InvalidProtocolBufferException {
        OtlpMapper keeping = mapper(1_000);
        OtlpMapper parsed = mapper(0);
        MappedRequest read = null;
        for (byte[] bytes : requests) {
            read = keeping.map(bytes);
            MappedRequest expected = parsed.map(ExportMetricsServiceRequest.parseFrom(bytes));
            assertThat(read.points()).isEqualTo(expected.points());
            assertThat(read.points()).extracting(Point::kind).isEqualTo(expected.points().stream().map(Point::kind).toList());
            assertThat(read.points()).extracting(Point::unit).isEqualTo(expected.points().stream().map(Point::unit).toList());
            assertThat(read.refused()).isEqualTo(expected.refused());
        }
        return read.points();
    }

    @Test
    void shouldReadEveryKindOfMetricAsTheParsedRequestIsMappedFreshAndKept() throws InvalidProtocolBufferException {
        List<Point> points = assertReadAsParsed(request(10).toByteArray(), request(20).toByteArray(), request(30).toByteArray());

        assertThat(points).extracting(Point::kind).contains(PointKind.GAUGE, PointKind.CUMULATIVE, PointKind.DELTA);
        assertThat(points).extracting(Point::name).contains("latency_p50", "gc.pause_p99", "connections", "queue.depth");
    }

    @Test
    void shouldHandAKeptSeriesAgainReadOnlyFromTheWire() throws InvalidProtocolBufferException {
        OtlpMapper keeping = mapper(1_000);
        List<Point> first = keeping.map(request(10).toByteArray()).points();
        int kept = keeping.keptSeries();
        List<Point> second = keeping.map(request(20).toByteArray()).points();

        assertThat(kept).isEqualTo(15); // 4 gauge and 3 sum series on each of web-1 and web-2, and worker-1's
        assertThat(second.get(0).series()).isSameAs(first.get(0).series());
        assertThat(second.get(0).timeNanos()).isEqualTo(20);
        assertThat(keeping.keptSeries()).isEqualTo(kept);
    }

    @Test
    void shouldReadFieldsInAnyOrderAsTheGeneratedParserDoes() throws IOException {
        // A resource after its metrics, a sum's temporality before its points, attributes around the point's time.
        byte[] attributeA = attribute("cpu", "0").toByteArray();
        byte[] attributeB = attribute("state", "idle").toByteArray();
        byte[] splitPoint = message(out -> {
            out.writeByteArray(NumberDataPoint.ATTRIBUTES_FIELD_NUMBER, attributeA);
            out.writeFixed64(NumberDataPoint.TIME_UNIX_NANO_FIELD_NUMBER, 10);
            out.writeByteArray(NumberDataPoint.ATTRIBUTES_FIELD_NUMBER, attributeB);
            out.writeDouble(NumberDataPoint.AS_DOUBLE_FIELD_NUMBER, 0.75);
            out.writeFixed64(99, 12345); // unknown: skipped
        });
        byte[] sum = message(out -> {
            out.writeEnum(Sum.AGGREGATION_TEMPORALITY_FIELD_NUMBER, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA_VALUE);
            out.writeByteArray(Sum.DATA_POINTS_FIELD_NUMBER, point(10, 4, attribute("queue", "b")).toByteArray());
            out.writeBool(Sum.IS_MONOTONIC_FIELD_NUMBER, true);
        });
        byte[] gauge = message(out -> out.writeByteArray(Gauge.DATA_POINTS_FIELD_NUMBER, splitPoint));
        byte[] metrics = message(out -> {
            out.writeByteArray(Metric.SUM_FIELD_NUMBER, sum);
            out.writeString(Metric.NAME_FIELD_NUMBER, "late.name");
        });
        byte[] gaugeMetric = message(out -> {
            out.writeByteArray(Metric.GAUGE_FIELD_NUMBER, gauge);
            out.writeString(Metric.UNIT_FIELD_NUMBER, "1");
            out.writeString(Metric.NAME_FIELD_NUMBER, "cpu");
        });
        byte[] scope = message(out -> {
            out.writeByteArray(ScopeMetrics.METRICS_FIELD_NUMBER, metrics);
            out.writeByteArray(ScopeMetrics.METRICS_FIELD_NUMBER, gaugeMetric);
        });
        byte[] resourceMetrics = message(out -> {
            out.writeByteArray(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, scope);
            out.writeByteArray(ResourceMetrics.RESOURCE_FIELD_NUMBER, Resource.newBuilder().addAttributes(attribute("host.name", "db-1"))
                    .build().toByteArray());
        });
        byte[] request = message(out -> out.writeByteArray(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER, resourceMetrics));

        List<Point> points = assertReadAsParsed(request, request);

        assertThat(points).hasSize(2);
        assertThat(points.get(0).hostId()).isEqualTo("db-1");
        assertThat(points.get(0).kind()).isEqualTo(PointKind.DELTA);
        assertThat(points.get(1).labels()).containsEntry("state", "idle").containsEntry("cpu", "0");
    }

    @Test
    void shouldMergeAResourceGivenTwiceAsTheGeneratedParserDoes() throws IOException {
        byte[] scope = ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder()
                .addDataPoints(point(10, 1)))).build().toByteArray();
        byte[] resourceMetrics = message(out -> {
            out.writeByteArray(ResourceMetrics.RESOURCE_FIELD_NUMBER, Resource.newBuilder().addAttributes(attribute("deployment.environment", "dev"))
                    .build().toByteArray());
            out.writeByteArray(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, scope);
            out.writeByteArray(ResourceMetrics.RESOURCE_FIELD_NUMBER, Resource.newBuilder().addAttributes(attribute("host.name", "db-2"))
                    .build().toByteArray());
        });
        byte[] request = message(out -> out.writeByteArray(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER, resourceMetrics));

        List<Point> points = assertReadAsParsed(request, request);

        assertThat(points).singleElement().satisfies(point -> {
            assertThat(point.hostId()).isEqualTo("db-2");
            assertThat(point.labels()).containsEntry("deployment.environment", "dev");
        });
    }

    @Test
    void shouldRefuseWhatTheGeneratedParserRefuses() throws IOException {
        byte[] whole = request(10).toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        assertThatThrownBy(() -> ExportMetricsServiceRequest.parseFrom(truncated)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> mapper(1_000).map(truncated)).isInstanceOf(InvalidProtocolBufferException.class);

        byte[] notUtf8 = message(out -> out.writeByteArray(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER,
                message(resource -> resource.writeByteArray(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER,
                        message(scope -> scope.writeByteArray(ScopeMetrics.METRICS_FIELD_NUMBER,
                                message(metric -> metric.writeByteArray(Metric.NAME_FIELD_NUMBER, new byte[] {'a', (byte) 0xff}))))))));
        assertThatThrownBy(() -> ExportMetricsServiceRequest.parseFrom(notUtf8)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> mapper(1_000).map(notUtf8)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldReadTheSameWithoutKeepingAnything() throws InvalidProtocolBufferException {
        byte[] bytes = request(10).toByteArray();
        assertThat(mapper(0).map(bytes).points()).isEqualTo(mapper(0).map(ExportMetricsServiceRequest.parseFrom(bytes)).points());
    }

    /** What writes a message's fields. */
    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    /** A message's bytes, its fields written in the order {@code fields} writes them. */
    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
