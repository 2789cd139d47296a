package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.MetricBatches;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.InvalidPayloadException.Reason;

class AvroSerdeTest {

    private static final String TOPIC = "vigil.metrics";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerializer<MetricBatch> serializer = new AvroSerializer<>(registry, true, false);
    private final AvroDeserializer<MetricBatch> deserializer = new AvroDeserializer<>(registry, MetricBatch.class);

    @Test
    void shouldRoundTripAMetricBatch() {
        MetricBatch batch = MetricBatches.batch("host-1", 50, 7);

        MetricBatch read = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, batch));

        assertThat(read).isEqualTo(batch);
    }

    @Test
    void shouldWriteMagicByteAndBigEndianSchemaIdRegisteredUnderTheValueSubject() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 1, 1));

        int id = registry.idOf("vigil.metrics-value", MetricBatch.getClassSchema());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldRegisterKeysUnderTheKeySubject() {
        var keySerializer = new AvroSerializer<MetricBatch>(registry, true, true);

        keySerializer.serialize(TOPIC, MetricBatches.batch("host-1", 1, 1));

        assertThat(registry.idOf("vigil.metrics-key", MetricBatch.getClassSchema())).isPositive();
    }

    @Test
    void shouldPassNullThroughAsATombstone() {
        assertThat(serializer.serialize(TOPIC, null)).isNull();
        assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldRejectAWrongMagicByteNamingIt() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 3, 1));
        bytes[0] = 5;

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC_BYTE))
                .hasMessageContaining("0x05").hasMessageContaining(TOPIC);
    }

    @Test
    void shouldSayWhenAPayloadLooksLikeJson() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"hostId\":\"h\"}".getBytes()))
                .hasMessageContaining("looks like JSON");
    }

    @Test
    void shouldRejectAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_HEADER))
                .hasMessageContaining("3 byte(s)");
    }

    @Test
    void shouldRejectAnEmptyPayload() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY));
    }

    @Test
    void shouldRejectATruncatedBody() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 50, 1));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_BODY))
                .hasMessageContaining("ends before");
    }

    @Test
    void shouldRejectTrailingBytesAfterTheRecord() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 2, 1));
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, padded))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES));
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 2, 1));
        ByteBuffer.wrap(bytes).putInt(1, 4242);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("schema id 4242");
    }

    @Test
    void shouldReadARecordWrittenWithANewerSchemaIntoTheCurrentClass() throws IOException {
        Schema evolved = evolvedMetricBatchSchema();
        int evolvedId = registry.register("vigil.metrics-value", evolved);
        GenericRecord record = genericBatch(evolved);

        MetricBatch read = deserializer.deserialize(TOPIC, wireFormat(evolvedId, evolved, record));

        assertThat(read.getHostId()).isEqualTo("host-evolved");
        assertThat(read.getSamples()).hasSize(1);
        assertThat(read.getSamples().get(0).getValue()).isEqualTo(42.5);
    }

    @Test
    void shouldRejectAWriterSchemaTheReaderCannotRead() throws IOException {
        Schema unrelated = new Schema.Parser().parse("""
                {"type":"record","name":"MetricBatch","namespace":"dev.vigil.avro",
                 "fields":[{"name":"somethingElse","type":"int"}]}""");
        int id = registry.register("unrelated-value", unrelated);
        GenericRecord record = new GenericData.Record(unrelated);
        record.put("somethingElse", 1);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, wireFormat(id, unrelated, record)))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("hostId");
    }

    /** MetricBatch as a later release might write it: one more field on the batch and on each sample. */
    static Schema evolvedMetricBatchSchema() {
        String current = MetricBatch.getClassSchema().toString();
        String evolved = current
                .replace("{\"name\":\"sequence\"", "{\"name\":\"agentVersion\",\"type\":\"string\",\"default\":\"\"},{\"name\":\"sequence\"")
                .replace("{\"name\":\"unit\"", "{\"name\":\"quality\",\"type\":\"double\",\"default\":1.0},{\"name\":\"unit\"");
        Schema schema = new Schema.Parser().parse(evolved);
        assertThat(schema.getField("agentVersion")).isNotNull();
        assertThat(schema.getField("samples").schema().getElementType().getField("quality")).isNotNull();
        return schema;
    }

    static GenericRecord genericBatch(Schema evolved) {
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
