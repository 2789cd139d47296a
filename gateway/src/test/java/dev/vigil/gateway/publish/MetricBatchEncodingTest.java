package dev.vigil.gateway.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.schemas.serde.WireFormat;

/** {@link MetricBatchEncoding} writes the very bytes Avro's {@code SpecificDatumWriter} writes for the same batch. */
class MetricBatchEncodingTest {

    private static byte[] avro(MetricBatch batch) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<MetricBatch>(MetricBatch.getClassSchema()).write(batch, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void shouldWriteWhatAvrosOwnWriterWrites() throws Exception {
        List<Sample> samples = List.of(
                new Sample("system.cpu.utilization", new TreeMap<>(Map.of("cpu", "0", "state", "user")), 0.25, "1", MetricKind.GAUGE,
                        Instant.ofEpochMilli(1_700_000_000_123L)),
                new Sample("node_network_receive_bytes_total", new TreeMap<>(Map.of("device", "eth0", "ünïcode", "välue ✓")), 1.5e9, "By/s",
                        MetricKind.COUNTER, Instant.ofEpochMilli(-5)),
                new Sample("up", Map.of(), -0.0, "", MetricKind.GAUGE, Instant.ofEpochMilli(0)));
        MetricBatch expected = MetricBatch.newBuilder().setHostId("web-01.example").setHostLabels(Map.of())
                .setCollectedAt(Instant.ofEpochMilli(1_700_000_001_000L)).setSequence(0).setSamples(samples).build();

        MetricBatchEncoding.HostBatch batch = new MetricBatchEncoding.HostBatch("web-01.example");
        for (Sample sample : samples) {
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) (Map<?, ?>) sample.getLabels();
            batch.add(MetricBatchEncoding.seriesPart(sample.getName().toString(), labels), sample.getValue(),
                    MetricBatchEncoding.unitPart(sample.getUnit().toString()), sample.getKind(), sample.getObservedAt().toEpochMilli());
        }
        EncodedBatch encoded = batch.finish(1_700_000_001_000L);

        assertThat(encoded.samples()).isEqualTo(3);
        assertThat(Arrays.copyOfRange(encoded.record(), WireFormat.HEADER_SIZE, encoded.record().length)).isEqualTo(avro(expected));
        MetricBatch decoded = encoded.decode();
        assertThat(decoded.getHostId().toString()).isEqualTo("web-01.example");
        assertThat(decoded.getSamples()).extracting(sample -> sample.getName().toString(), Sample::getValue, Sample::getKind, Sample::getObservedAt)
                .containsExactly(samples.stream().map(sample -> org.assertj.core.groups.Tuple.tuple(sample.getName(), sample.getValue(),
                        sample.getKind(), sample.getObservedAt())).toArray(org.assertj.core.groups.Tuple[]::new));
        byte[] record = encoded.withSchemaId(0x01020304);
        assertThat(Arrays.copyOf(record, WireFormat.HEADER_SIZE)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void shouldWriteAnEmptyBatchAsAvroDoes() throws Exception {
        MetricBatch expected = MetricBatch.newBuilder().setHostId("h").setHostLabels(Map.of()).setCollectedAt(Instant.ofEpochMilli(7))
                .setSequence(0).setSamples(List.of()).build();

        EncodedBatch encoded = new MetricBatchEncoding.HostBatch("h").finish(7);

        assertThat(Arrays.copyOfRange(encoded.record(), WireFormat.HEADER_SIZE, encoded.record().length)).isEqualTo(avro(expected));
    }
}
