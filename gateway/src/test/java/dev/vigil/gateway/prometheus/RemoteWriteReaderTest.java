package dev.vigil.gateway.prometheus;

import static dev.vigil.gateway.prometheus.RemoteWriteDecoderTest.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.vigil.gateway.model.MappedRequest;
import dev.vigil.gateway.model.Point;
import dev.vigil.gateway.model.PointKind;
import dev.vigil.gateway.model.RefusalReason;
import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;

/**
 * {@link RemoteWriteReader} against the generated parser: the same points and refusals as parsing the whole request with
 * {@link WriteRequest#parseFrom} and mapping its samples, whether a series is seen for the first time or found again.
 */
class RemoteWriteReaderTest {

    private static final PrometheusMapper MAPPER = new PrometheusMapper(new HostIdentity(List.of("host.name", "instance"), true));

    private final RemoteWriteReader reader = new RemoteWriteReader(MAPPER, 1_000);

    private static WriteRequest mixed(long millis) {
        return WriteRequest.newBuilder()
                .addTimeseries(series(new String[] {"__name__", "node_cpu_seconds_total", "cpu", "0", "instance", "web-1:9100", "mode", "idle"},
                        sample(1234.5, millis), sample(1240.5, millis + 15_000)))
                .addTimeseries(series(new String[] {"__name__", "node_load1", "instance", "web-2:9100", "job", "node"}, sample(0.25, millis)))
                .addTimeseries(series(new String[] {"__name__", "node_load5", "instance", "web-2:9100"},
                        sample(Double.longBitsToDouble(PromSample.STALE_NAN_BITS), millis), sample(Double.NaN, millis + 1)))
                .addTimeseries(series(new String[] {"__name__", "http_duration_seconds_bucket", "instance", "web-3", "le", "0.5"},
                        sample(7, millis)))
                .addTimeseries(series(new String[] {"__name__", "orphan", "job", "batch"}, sample(1, millis)))
                .addTimeseries(series(new String[] {"__name__", "app_ratio", "instance", "web-3", "ünïcode", "välue"}, sample(0.5, millis)))
                .addMetadata(Types.MetricMetadata.newBuilder().setMetricFamilyName("node_load1").setType(Types.MetricMetadata.MetricType.GAUGE))
                .build();
    }

    private static Types.TimeSeries.Builder series(String[] labels, Types.Sample... samples) {
        Types.TimeSeries.Builder series = Types.TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            series.addLabels(label(labels[i], labels[i + 1]));
        }
        for (Types.Sample sample : samples) {
            series.addSamples(sample);
        }
        return series;
    }

    private static Types.Sample sample(double value, long millis) {
        return Types.Sample.newBuilder().setValue(value).setTimestamp(millis).build();
    }

    /** The reference: the generated parser's request, every sample mapped on its own. */
    private static MappedRequest reference(WriteRequest request, Map<String, PromType> types) {
        List<PromSample> samples = new ArrayList<>();
        for (Types.TimeSeries series : request.getTimeseriesList()) {
            Map<String, String> labels = new HashMap<>();
            series.getLabelsList().forEach(label -> labels.put(label.getName(), label.getValue()));
            String name = labels.remove(RemoteWriteReader.NAME_LABEL);
            series.getSamplesList().forEach(sample -> samples.add(new PromSample(name, labels, sample.getValue(), sample.getTimestamp())));
        }
        return MAPPER.map(samples, types::get);
    }

    private static List<String> described(List<Point> points) {
        return points.stream().map(point -> point.seriesKey() + " " + point.kind() + " " + point.value() + " @" + point.timeNanos()).toList();
    }

    @Test
    void shouldReadThePointsTheGeneratedParserGivesTheFirstTimeAndAgain() throws Exception {
        WriteRequest first = mixed(1_700_000_000_000L);
        WriteRequest second = mixed(1_700_000_030_000L);
        Map<String, PromType> types = RemoteWriteReader.familyTypes(first.toByteArray());
        assertThat(types).containsExactly(Map.entry("node_load1", PromType.GAUGE));

        RemoteWriteReader.Read once = reader.read(first.toByteArray(), types::get);
        assertThat(reader.knownSeries()).as("every series kept, dropped and refused ones too").isEqualTo(6);
        RemoteWriteReader.Read again = reader.read(second.toByteArray(), types::get);

        for (var pair : List.of(Map.entry(once, first), Map.entry(again, second))) {
            MappedRequest expected = reference(pair.getValue(), types);
            RemoteWriteReader.Read read = pair.getKey();
            assertThat(read.problems()).isEmpty();
            assertThat(described(read.mapped().points())).isEqualTo(described(expected.points())).hasSize(4);
            assertThat(read.mapped().refused()).isEqualTo(expected.refused());
            assertThat(read.mapped().refused()).extracting(r -> r.reason()).containsExactly(RefusalReason.NO_HOST, RefusalReason.NOT_FINITE);
        }
        assertThat(again.mapped().points().get(0).series()).as("a series found again is the same instance")
                .isSameAs(once.mapped().points().get(0).series());
        assertThat(again.mapped().points().get(0).labels()).isEqualTo(Map.of("cpu", "0", "mode", "idle"));
        assertThat(again.mapped().points()).extracting(Point::kind)
                .containsExactly(PointKind.CUMULATIVE, PointKind.CUMULATIVE, PointKind.GAUGE, PointKind.GAUGE);
    }

    @Test
    void shouldMapAKeptSeriesAnewOnceItsFamilyTypeIsKnown() throws Exception {
        byte[] request = WriteRequest.newBuilder()
                .addTimeseries(series(new String[] {"__name__", "jobs_done", "instance", "web-1"}, sample(5, 1_000))).build().toByteArray();
        assertThat(reader.read(request, name -> null).mapped().points()).extracting(Point::kind).containsExactly(PointKind.GAUGE);

        reader.forgetSeries();

        assertThat(reader.read(request, Map.of("jobs_done", PromType.COUNTER)::get).mapped().points()).extracting(Point::kind)
                .containsExactly(PointKind.CUMULATIVE);
    }

    @Test
    void shouldReadSeriesWhoseLabelsAreNotTogetherWithoutKeepingThem() throws Exception {
        // A label after a sample: valid protobuf, though no sender writes it so; encoded field by field.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream series = CodedOutputStream.newInstance(bytes);
        series.writeMessage(Types.TimeSeries.LABELS_FIELD_NUMBER, label("__name__", "up"));
        series.writeMessage(Types.TimeSeries.SAMPLES_FIELD_NUMBER, sample(1, 1_000));
        series.writeMessage(Types.TimeSeries.LABELS_FIELD_NUMBER, label("instance", "web-1"));
        series.flush();
        WriteRequest request = WriteRequest.newBuilder().addTimeseries(Types.TimeSeries.parseFrom(bytes.toByteArray())).build();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(whole);
        out.writeByteArray(WriteRequest.TIMESERIES_FIELD_NUMBER, bytes.toByteArray());
        out.flush();

        RemoteWriteReader.Read read = reader.read(whole.toByteArray(), name -> null);

        assertThat(described(read.mapped().points())).isEqualTo(described(reference(request, Map.of()).points())).hasSize(1);
        assertThat(reader.knownSeries()).isZero();
    }

    @Test
    void shouldSayWhatIsWrongWithASeriesAndSkipUnknownFields() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series(new String[] {"__name__", "up", "instance", "a", "instance", "b"}, sample(1, 1_000)))
                .addTimeseries(series(new String[] {"job", "node"}, sample(1, 1_000)))
                .addTimeseries(series(new String[] {"job", "no samples, no name: ignored"}))
                .addTimeseries(series(new String[] {"__name__", "up", "instance", "c"}, sample(1, 1_000))
                        .addExemplars(Types.Exemplar.newBuilder().addLabels(label("trace_id", "abc")).setValue(1).setTimestamp(1_000))
                        .addHistograms(Types.Histogram.newBuilder().setSum(1)))
                .build();

        RemoteWriteReader.Read read = reader.read(request.toByteArray(), name -> null);

        assertThat(read.problems()).containsExactly("timeseries[0]: label 'instance' twice", "timeseries[1]: no __name__ label");
        assertThat(read.nativeHistograms()).isEqualTo(1);
        assertThat(read.mapped().points()).extracting(Point::hostId).containsExactly("c");
    }

    @Test
    void shouldRefuseWhatIsNotAWriteRequest() {
        assertThatThrownBy(() -> reader.read(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02}, name -> null))
                .isInstanceOf(InvalidProtocolBufferException.class);
        byte[] truncated = mixed(1_000).toByteArray();
        assertThatThrownBy(() -> reader.read(java.util.Arrays.copyOf(truncated, truncated.length - 3), name -> null))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void shouldForgetEverySeriesOnceItKeepsItsMost() throws Exception {
        RemoteWriteReader small = new RemoteWriteReader(MAPPER, 2);
        for (int i = 0; i < 5; i++) {
            small.read(WriteRequest.newBuilder().addTimeseries(series(new String[] {"__name__", "m" + i, "instance", "web-1"}, sample(i, 1_000)))
                    .build().toByteArray(), name -> null);
            assertThat(small.knownSeries()).isBetween(1, 2);
        }
    }
}
