package dev.vigil.gateway.publish;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Serializer;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.serde.AvroSerializer;
import dev.vigil.schemas.serde.WireFormat;

/**
 * One host's {@link MetricBatch} of one request, already in Avro binary ({@link MetricBatchEncoding}), behind room for
 * the registry's wire header.
 *
 * @param hostId  the batch's host: its Kafka key
 * @param samples how many samples it holds
 * @param record  the wire header's {@link WireFormat#HEADER_SIZE} bytes (zero until {@link #withSchemaId}), then the batch
 */
public record EncodedBatch(String hostId, int samples, byte[] record) {

    private static final SpecificDatumReader<MetricBatch> READER = new SpecificDatumReader<>(MetricBatch.getClassSchema());

    /** Turns an encoded batch into the value of a record of a topic. */
    @FunctionalInterface
    public interface Writer {
        byte[] value(String topic, EncodedBatch batch);

        /**
         * The writer for records {@code serializer} would write: Vigil's own {@link AvroSerializer} gives the schema id and
         * the bytes are used as they are; another serializer (a replacement serde) gets the decoded batch.
         */
        static Writer of(Serializer<MetricBatch> serializer) {
            if (serializer instanceof AvroSerializer<MetricBatch> avro) {
                return (topic, batch) -> batch.withSchemaId(avro.schemaId(topic, MetricBatch.getClassSchema()));
            }
            return (topic, batch) -> serializer.serialize(topic, batch.decode());
        }
    }

    /** The record in the registry's wire format, schema {@code schemaId}: this batch's array, its header filled in. */
    public byte[] withSchemaId(int schemaId) {
        WireFormat.writeHeader(record, schemaId);
        return record;
    }

    /** The batch as a {@link MetricBatch}, read back with Avro's own reader (tests, and a serializer other than Vigil's). */
    public MetricBatch decode() {
        try {
            return READER.read(null, DecoderFactory.get().binaryDecoder(record, WireFormat.HEADER_SIZE,
                    record.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException e) {
            throw new UncheckedIOException("an encoded batch of host " + hostId + " does not read back", e);
        }
    }
}
