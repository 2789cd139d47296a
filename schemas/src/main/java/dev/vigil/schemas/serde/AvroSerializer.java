package dev.vigil.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryConfig;

/**
 * Writes Avro specific records in the Confluent wire format: magic byte, schema id, Avro binary.
 *
 * <p>The writer schema is registered (or, with {@code auto.register.schemas=false}, looked up) under the
 * topic's subject ({@code <topic>-value} or {@code <topic>-key}) on first use; after that the id comes
 * from memory. Safe for concurrent use, as a producer shared by threads requires.
 *
 * <p>Built directly with a shared {@link SchemaRegistryClient}, or by Kafka from its class name, in which
 * case {@link #configure} creates a client from the {@link SchemaRegistryConfig} keys.
 *
 * @param <T> the generated record type
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    /** Big enough for a 50-sample batch without regrowing, small enough to not matter. */
    private static final int INITIAL_BUFFER = 4096;

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<String, WriterFor> writersByTopic = new ConcurrentHashMap<>();
    /**
     * Reused across calls under {@code this}'s lock: a serializer usually has one caller (a producer's or a
     * stream thread), so the lock costs nothing, and reuse saves a buffer and an encoder per record.
     */
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(INITIAL_BUFFER);
    private BinaryEncoder encoder;

    /** The schema a topic's records were last written with, its id and its writer. */
    private record WriterFor(Schema schema, int id, DatumWriter<Object> writer) {
    }

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    /**
     * A serializer on a shared registry client.
     *
     * @param autoRegister register unknown schemas, or only look them up
     * @param isKey        whether this serializes record keys (subject {@code <topic>-key})
     */
    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        this.registry = Objects.requireNonNull(registry, "registry can't be null");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);
            this.registry = new RestSchemaRegistryClient(config);
            this.ownsRegistry = true;
            this.autoRegister = config.autoRegisterSchemas();
        }
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        WriterFor writer = writerFor(topic, record.getSchema());
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(header, writer.id());
        synchronized (this) {
            buffer.reset();
            buffer.writeBytes(header);
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            try {
                writer.writer().write(record, encoder);
                encoder.flush();
            } catch (IOException | RuntimeException e) {
                encoder = null; // may hold part of the failed record
                throw new SerializationException("Cannot serialize " + record.getSchema().getFullName() + " for topic " + topic
                        + ": " + e.getMessage(), e);
            }
            return buffer.toByteArray();
        }
    }

    /**
     * The registry's id of {@code schema} under {@code topic}'s subject, registered or looked up as {@link #serialize}
     * does on first use: for a writer that encodes records itself (the gateway's batches) and adds the header.
     */
    public int schemaId(String topic, Schema schema) {
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        return writerFor(topic, schema).id();
    }

    private WriterFor writerFor(String topic, Schema schema) {
        WriterFor cached = writersByTopic.get(topic);
        // Identity: a generated class hands out the same Schema instance every time.
        if (cached != null && cached.schema() == schema) {
            return cached;
        }
        String subject = WireFormat.subject(topic, isKey);
        int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
        WriterFor fresh = new WriterFor(schema, id, new SpecificDatumWriter<>(schema));
        writersByTopic.put(topic, fresh);
        return fresh;
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
