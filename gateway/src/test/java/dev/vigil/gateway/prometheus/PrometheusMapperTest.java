package dev.vigil.gateway.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.model.RefusedPoints;
import dev.vigil.gateway.model.Refusals;
import dev.vigil.gateway.publish.BatchAssembler;

/** {@link PrometheusMapper}: host identity, kinds, dropped buckets, quantiles and refusals; rates through the core's assembler. */
class PrometheusMapperTest {

    private static final List<String> HOST_LABELS = List.of("host.name", "service.instance.id", "instance");
    private static final Map<String, PromType> NO_METADATA = Map.of();

    private final PrometheusMapper mapper = new PrometheusMapper(new HostIdentity(HOST_LABELS, true));

    @Test
    void shouldTakeTheHostFromInstanceWithOrWithoutAPortAndNotKeepItAsALabel() {
        MappedRequest mapped = mapper.map(List.of(
                sample("node_load1", Map.of("instance", "web-1:9100", "job", "node"), 0.5, 1_000),
                sample("node_load1", Map.of("instance", "web-2", "job", "node"), 0.7, 1_000),
                sample("node_load1", Map.of("instance", "[fe80::1]:9100", "job", "node"), 0.9, 1_000)), NO_METADATA::get);

        assertThat(mapped.refused()).isEmpty();
        assertThat(mapped.points()).extracting(Point::hostId, Point::labels)
                .containsExactly(tuple("web-1", Map.of("job", "node")), tuple("web-2", Map.of("job", "node")),
                        tuple("fe80::1", Map.of("job", "node")));
        PrometheusMapper keepingPorts = new PrometheusMapper(new HostIdentity(HOST_LABELS, false));
        assertThat(keepingPorts.map(List.of(sample("node_load1", Map.of("instance", "web-1:9100"), 0.5, 1_000)), NO_METADATA::get).points())
                .extracting(Point::hostId).containsExactly("web-1:9100");
    }

    @Test
    void shouldPreferAnEarlierHostLabelAndDropPrometheusInternalLabels() {
        MappedRequest mapped = mapper.map(List.of(sample("app_up", Map.of("host.name", "db-2", "instance", "10.0.0.9:8080",
                "__scheme__", "http", "env", "prod"), 1, 1_000)), NO_METADATA::get);

        assertThat(mapped.points()).singleElement().satisfies(point -> {
            assertThat(point.hostId()).isEqualTo("db-2");
            assertThat(point.labels()).as("instance is kept when it did not name the host").isEqualTo(Map.of("instance", "10.0.0.9:8080", "env", "prod"));
        });
    }

    @Test
    void shouldMapCountersToCumulativePointsWhoseRatesRestartAfterAReset() {
        Map<String, PromType> types = Map.of("node_cpu_seconds_total", PromType.COUNTER);
        Map<String, String> labels = Map.of("instance", "web-1:9100", "job", "node", "cpu", "0", "mode", "idle");
        List<Point> points = new ArrayList<>();
        double[] totals = {100, 102, 1, 4};
        for (int i = 0; i < totals.length; i++) {
            MappedRequest mapped = mapper.map(List.of(sample("node_cpu_seconds_total", labels, totals[i], 10_000 + i * 1_000L)), types::get);
            points.addAll(mapped.points());
        }
        assertThat(points).extracting(Point::kind).containsOnly(PointKind.CUMULATIVE);
        assertThat(points).extracting(Point::timeNanos).containsExactly(10_000_000_000L, 11_000_000_000L, 12_000_000_000L, 13_000_000_000L);

        BatchAssembler assembler = new BatchAssembler(1_000, 1_000, Duration.ofMinutes(10));
        List<Double> rates = new ArrayList<>();
        for (Point point : points) {
            BatchAssembler.Assembled assembled = assembler.assemble(List.of(point), 20_000, new Refusals());
            assertThat(assembled.acceptedPoints()).isEqualTo(1);
            assembled.batches().stream().flatMap(batch -> batch.decode().getSamples().stream()).forEach(sample -> {
                assertThat(sample.getKind()).isEqualTo(MetricKind.COUNTER);
                assertThat(sample.getUnit().toString()).isEqualTo("1/s");
                rates.add(sample.getValue());
            });
        }
        assertThat(rates).as("no rate from the first point, none from the reset (102 -> 1), then 3/s").containsExactly(2.0, 3.0);
    }

    @Test
    void shouldKeepGaugesAsTheyAre() {
        Map<String, PromType> types = Map.of("node_memory_MemAvailable_bytes", PromType.GAUGE);
        MappedRequest mapped = mapper.map(List.of(sample("node_memory_MemAvailable_bytes", Map.of("instance", "web-1:9100"), 8.5e9, 1_000)),
                types::get);

        assertThat(mapped.points()).singleElement().satisfies(point -> {
            assertThat(point.kind()).isEqualTo(PointKind.GAUGE);
            assertThat(point.value()).isEqualTo(8.5e9);
            assertThat(point.timeNanos()).isEqualTo(1_000_000_000L);
        });
        MetricBatch batch = new BatchAssembler(1_000, 1_000, Duration.ofMinutes(10)).assemble(mapped.points(), 2_000, new Refusals())
                .batches().get(0).decode();
        assertThat(batch.getHostId().toString()).isEqualTo("web-1");
        assertThat(batch.getSamples()).extracting(Sample::getKind, Sample::getValue).containsExactly(tuple(MetricKind.GAUGE, 8.5e9));
    }

    @Test
    void shouldDropHistogramBucketsAndRateTheirCountAndSum() {
        Map<String, PromType> types = Map.of("http_request_duration_seconds", PromType.HISTOGRAM);
        Map<String, String> labels = Map.of("instance", "web-1:8080", "handler", "/");
        MappedRequest mapped = mapper.map(List.of(
                sample("http_request_duration_seconds_bucket", with(labels, "le", "0.1"), 5, 1_000),
                sample("http_request_duration_seconds_bucket", with(labels, "le", "+Inf"), 7, 1_000),
                sample("http_request_duration_seconds_count", labels, 7, 1_000),
                sample("http_request_duration_seconds_sum", labels, 0.42, 1_000)), types::get);

        assertThat(mapped.refused()).as("dropped, not refused").isEmpty();
        assertThat(mapped.points()).extracting(Point::name, Point::kind).containsExactly(
                tuple("http_request_duration_seconds_count", PointKind.CUMULATIVE),
                tuple("http_request_duration_seconds_sum", PointKind.CUMULATIVE));
    }

    @Test
    void shouldKeepSummaryQuantilesAsGaugesWithTheirQuantileLabel() {
        Map<String, PromType> types = Map.of("rpc_duration_seconds", PromType.SUMMARY);
        Map<String, String> labels = Map.of("instance", "web-1:8080");
        MappedRequest mapped = mapper.map(List.of(
                sample("rpc_duration_seconds", with(labels, "quantile", "0.5"), 0.01, 1_000),
                sample("rpc_duration_seconds", with(labels, "quantile", "0.99"), 0.2, 1_000),
                sample("rpc_duration_seconds_count", labels, 100, 1_000)), types::get);

        assertThat(mapped.points()).extracting(Point::name, Point::kind, Point::labels).containsExactly(
                tuple("rpc_duration_seconds", PointKind.GAUGE, Map.of("quantile", "0.5")),
                tuple("rpc_duration_seconds", PointKind.GAUGE, Map.of("quantile", "0.99")),
                tuple("rpc_duration_seconds_count", PointKind.CUMULATIVE, Map.of()));
    }

    @Test
    void shouldRefuseNotFiniteAndHostlessSamplesAndSkipStalenessMarkers() {
        double stale = Double.longBitsToDouble(PromSample.STALE_NAN_BITS);
        MappedRequest mapped = mapper.map(List.of(
                sample("a", Map.of("instance", "web-1:9100"), Double.NaN, 1_000),
                sample("b", Map.of("instance", "web-1:9100"), Double.NEGATIVE_INFINITY, 1_000),
                sample("c", Map.of("instance", "web-1:9100"), stale, 1_000),
                sample("d", Map.of("job", "node"), 1, 1_000),
                sample("e", Map.of("instance", "not a host!"), 1, 1_000),
                sample("f", Map.of("instance", "web-1:9100"), 1, 1_000)), NO_METADATA::get);

        assertThat(mapped.points()).extracting(Point::name).containsExactly("f");
        assertThat(mapped.refused()).extracting(RefusedPoints::reason, RefusedPoints::points).containsExactly(
                tuple(RefusalReason.NO_HOST, 1), tuple(RefusalReason.INVALID_HOST, 1), tuple(RefusalReason.NOT_FINITE, 2));
        assertThat(mapped.totalPoints()).as("the staleness marker is neither").isEqualTo(5);
    }

    private static PromSample sample(String name, Map<String, String> labels, double value, long millis) {
        return new PromSample(name, labels, value, millis);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(labels);
        copy.put(name, value);
        return copy;
    }
}
