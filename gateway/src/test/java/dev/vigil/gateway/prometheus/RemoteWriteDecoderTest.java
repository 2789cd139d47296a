package dev.vigil.gateway.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import dev.vigil.gateway.prometheus.prompb.Remote.WriteRequest;
import dev.vigil.gateway.prometheus.prompb.Types;

class RemoteWriteDecoderTest {

    static WriteRequest nodeCpu(double value) {
        return WriteRequest.newBuilder()
                .addTimeseries(Types.TimeSeries.newBuilder()
                        .addLabels(label("__name__", "node_cpu_seconds_total"))
                        .addLabels(label("cpu", "0"))
                        .addLabels(label("instance", "web-1:9100"))
                        .addLabels(label("job", "node"))
                        .addLabels(label("mode", "idle"))
                        .addSamples(Types.Sample.newBuilder().setValue(value).setTimestamp(1_700_000_000_000L)))
                .addMetadata(Types.MetricMetadata.newBuilder().setMetricFamilyName("node_cpu_seconds_total")
                        .setType(Types.MetricMetadata.MetricType.COUNTER))
                .build();
    }

    static Types.Label label(String name, String value) {
        return Types.Label.newBuilder().setName(name).setValue(value).build();
    }

    @Test
    void shouldDecompressASnappyBlockIntoTheWriteRequestPrometheusSent() throws Exception {
        // given
        WriteRequest sent = nodeCpu(1234.5);

        // when
        byte[] decoded = new RemoteWriteDecoder(1 << 20).uncompress(Snappy.compress(sent.toByteArray()));

        // then
        assertThat(WriteRequest.parseFrom(decoded)).isEqualTo(sent);
    }

    @Test
    void shouldRefuseABodyThatIsNotSnappyAsMalformed() {
        assertThatThrownBy(() -> new RemoteWriteDecoder(1 << 20).uncompress("garbage, not snappy".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RemoteWriteException.class, e -> assertThat(e.kind().status()).isEqualTo(400))
                .hasMessageContaining("snappy");
    }

    @Test
    void shouldRefuseARequestThatDecompressesBeyondTheLimitBeforeDecompressingIt() throws IOException {
        // given: 1 MiB of zeros compresses to a few KiB
        byte[] bomb = Snappy.compress(new byte[1 << 20]);

        // then
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> new RemoteWriteDecoder(64 * 1024).uncompress(bomb))
                .isInstanceOfSatisfying(RemoteWriteException.class, e -> assertThat(e.kind().status()).isEqualTo(413))
                .hasMessageContaining("1048576 bytes, at most 65536");
    }

    @Test
    void shouldRecogniseTheStalenessMarkerButNotAnOrdinaryNaN() {
        assertThat(new PromSample("up", java.util.Map.of(), Double.longBitsToDouble(PromSample.STALE_NAN_BITS), 0).isStale()).isTrue();
        assertThat(new PromSample("up", java.util.Map.of(), Double.NaN, 0).isStale()).isFalse();
    }
}
