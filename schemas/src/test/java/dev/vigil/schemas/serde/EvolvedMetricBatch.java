package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import dev.vigil.avro.MetricBatch;

/** A MetricBatch as a later release might write it, and the wire-format bytes of such a record. */
final class EvolvedMetricBatch {

    private EvolvedMetricBatch() {
    }

    /** MetricBatch as a later release might write it: one more field on the batch and on each sample. */
    static Schema schema() {
        String current = MetricBatch.getClassSchema().toString();
        String evolved = current
                .replace("{\"name\":\"sequence\"", "{\"name\":\"agentVersion\",\"type\":\"string\",\"default\":\"\"},{\"name\":\"sequence\"")
                .replace("{\"name\":\"unit\"", "{\"name\":\"quality\",\"type\":\"double\",\"default\":1.0},{\"name\":\"unit\"");
        Schema schema = new Schema.Parser().parse(evolved);
        assertThat(schema.getField("agentVersion")).isNotNull();
        assertThat(schema.getField("samples").schema().getElementType().getField("quality")).isNotNull();
        return schema;
    }

    static GenericRecord record(Schema evolved) {
        Schema sampleSchema = evolved.getField("samples").schema().getElementType();
        GenericRecord sample = new GenericData.Record(sampleSchema);
        sample.put("name", "system.cpu.utilization");
        sample.put("labels", Map.of("state", "user"));
        sample.put("value", 42.5);
        sample.put("quality", 0.9);
        sample.put("unit", "1");
        sample.put("kind", new GenericData.EnumSymbol(sampleSchema.getField("kind").schema(), "GAUGE"));
        sample.put("observedAt", null);
        GenericRecord batch = new GenericData.Record(evolved);
        batch.put("hostId", "host-evolved");
        batch.put("hostLabels", Map.of());
        batch.put("collectedAt", 1_700_000_000_000L);
        batch.put("agentVersion", "9.9.9");
        batch.put("sequence", 1L);
        batch.put("samples", List.of(sample));
        return batch;
    }

    static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
