package dev.vigil.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryConfig;
import dev.vigil.schemas.registry.SchemaRegistryException;

/**
 * Reads Confluent-wire-format Avro records into generated classes, resolving the writer's schema (fetched
 * by id from the registry, then cached) against the reader's, so records written by a newer or older
 * producer read correctly as long as the schemas are compatible.
 *
 * <p>Damaged bytes raise {@link InvalidPayloadException} with a {@link DeadLetterReason}; a registry that cannot be
 * reached raises {@link SchemaRegistryException} after the client's retries, which callers should treat
 * as an outage, not as a bad record. A {@code null} value (a tombstone) reads as {@code null}.
 *
 * @param <T> the generated record type to read into
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private final Class<T> type;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    /**
     * For Kafka's reflective construction ({@link #configure} must follow): each record is read into the
     * generated class named by its writer schema, which must be on the classpath.
     */
    public AvroDeserializer() {
        this.type = null;
    }

    /** A deserializer into {@code type} on a shared registry client. */
    public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = Objects.requireNonNull(registry, "registry can't be null");
        this.type = Objects.requireNonNull(type, "type can't be null");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            this.registry = new RestSchemaRegistryClient(SchemaRegistryConfig.from(configs));
            this.ownsRegistry = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length == 0) {
            throw new InvalidPayloadException(DeadLetterReason.EMPTY, "empty record on topic " + topic);
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new InvalidPayloadException(DeadLetterReason.BAD_MAGIC_BYTE, String.format(
                    "record on topic %s starts with byte 0x%02x, expected 0x00 (Confluent wire format)%s",
                    topic, data[0] & 0xff, data[0] == '{' ? "; it looks like JSON" : ""));
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new InvalidPayloadException(DeadLetterReason.TRUNCATED_HEADER, "record of " + data.length + " byte(s) on topic "
                    + topic + " is shorter than the " + WireFormat.HEADER_SIZE + "-byte wire-format header");
        }
        int schemaId = WireFormat.readSchemaId(data);
        DatumReader<T> reader = readersBySchemaId.get(schemaId);
        if (reader == null) {
            reader = newReader(topic, schemaId);
            readersBySchemaId.put(schemaId, reader);
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new InvalidPayloadException(DeadLetterReason.TRUNCATED_BODY, "record of " + data.length + " byte(s) on topic "
                    + topic + " ends before its schema id " + schemaId + " says it should", e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException(DeadLetterReason.MALFORMED_BODY, "record on topic " + topic + " does not decode with schema id "
                    + schemaId + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new InvalidPayloadException(DeadLetterReason.TRAILING_BYTES, "record on topic " + topic
                        + " has bytes left after decoding with schema id " + schemaId + "; the header names the wrong schema");
            }
        } catch (IOException e) {
            throw new SerializationException("Cannot check the end of a record on topic " + topic, e);
        }
        return record;
    }

    private DatumReader<T> newReader(String topic, int schemaId) {
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new InvalidPayloadException(DeadLetterReason.UNKNOWN_SCHEMA_ID, "record on topic " + topic + " names schema id "
                        + schemaId + ", which the schema registry does not know", e);
            }
            throw e;
        }
        Schema reader = readerSchema(topic, writer);
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
            throw new InvalidPayloadException(DeadLetterReason.INCOMPATIBLE_SCHEMA, "record on topic " + topic + " was written with schema id "
                    + schemaId + " (" + writer.getFullName() + "), which cannot be read as " + reader.getFullName() + ": "
                    + compatibility.getResult().getIncompatibilities(), null);
        }
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    private Schema readerSchema(String topic, Schema writer) {
        if (type != null) {
            return SpecificData.get().getSchema(type);
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
            throw new InvalidPayloadException(DeadLetterReason.INCOMPATIBLE_SCHEMA, "record on topic " + topic + " is a "
                    + writer.getFullName() + ", for which no generated class is on the classpath");
        }
        return SpecificData.get().getSchema(generated);
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
