package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.MetricBatches;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;

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
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.BAD_MAGIC_BYTE))
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
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_HEADER))
                .hasMessageContaining("3 byte(s)");
    }

    @Test
    void shouldRejectAnEmptyPayload() {
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.EMPTY));
    }

    @Test
    void shouldRejectATruncatedBody() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 50, 1));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_BODY))
                .hasMessageContaining("ends before");
    }

    @Test
    void shouldRejectTrailingBytesAfterTheRecord() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 2, 1));
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, padded))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TRAILING_BYTES));
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = serializer.serialize(TOPIC, MetricBatches.batch("host-1", 2, 1));
        ByteBuffer.wrap(bytes).putInt(1, 4242);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("schema id 4242");
    }

    @Test
    void shouldReadARecordWrittenWithANewerSchemaIntoTheCurrentClass() throws IOException {
        Schema evolved = EvolvedMetricBatch.schema();
        int evolvedId = registry.register("vigil.metrics-value", evolved);
        GenericRecord record = EvolvedMetricBatch.record(evolved);

        MetricBatch read = deserializer.deserialize(TOPIC, EvolvedMetricBatch.wireFormat(evolvedId, evolved, record));

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

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, EvolvedMetricBatch.wireFormat(id, unrelated, record)))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("hostId");
    }
}
