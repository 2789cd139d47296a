package dev.vigil.schemas.serde;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryConfig;

/**
 * Makes the Avro serdes of every Vigil topic from one configuration map, sharing one registry client
 * (and so one cache) between them.
 *
 * <p>Setting {@value #SERDE_CLASS} to another {@link Serde} class, such as Confluent's
 * {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, swaps it in: it is built with its
 * no-argument constructor and configured with the same map plus {@code specific.avro.reader=true}.
 * Both write the same wire format, so a mixed fleet interoperates.
 */
public final class AvroSerdes implements AutoCloseable {

    /** Class name of a replacement Avro {@link Serde}; Vigil's own when absent. */
    public static final String SERDE_CLASS = "vigil.avro.serde.class";

    private final Map<String, Object> configs;
    private final SchemaRegistryClient registry;
    private final boolean ownsRegistry;
    private final boolean autoRegister;
    private final String replacementSerde;

    /**
     * @param configs registry settings ({@link SchemaRegistryConfig} keys), optionally {@value #SERDE_CLASS}
     * @throws ConfigException naming the key, when a setting is missing or malformed
     */
    public AvroSerdes(Map<String, ?> configs) {
        Objects.requireNonNull(configs, "configs can't be null");
        this.configs = Map.copyOf(configs);
        this.replacementSerde = (String) configs.get(SERDE_CLASS);
        SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);
        this.autoRegister = config.autoRegisterSchemas();
        this.ownsRegistry = replacementSerde == null;
        this.registry = ownsRegistry ? new RestSchemaRegistryClient(config) : null;
    }

    private AvroSerdes(SchemaRegistryClient registry) {
        this.configs = Map.of();
        this.replacementSerde = null;
        this.autoRegister = true;
        this.ownsRegistry = false;
        this.registry = Objects.requireNonNull(registry, "registry can't be null");
    }

    /**
     * Vigil's serdes on an existing registry client (which the caller keeps owning), registering schemas
     * on first use: for tests, benchmarks and offline tools with an {@link dev.vigil.schemas.registry.InMemorySchemaRegistryClient}.
     */
    public static AvroSerdes on(SchemaRegistryClient registry) {
        return new AvroSerdes(registry);
    }

    /** The serde for records of {@code type} as values (subject {@code <topic>-value}). */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return serde(type, false);
    }

    /** The serde for records of {@code type} as keys (subject {@code <topic>-key}). */
    public <T extends SpecificRecord> Serde<T> keySerde(Class<T> type) {
        return serde(type, true);
    }

    private <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
        if (replacementSerde != null) {
            return replacement(isKey);
        }
        return Serdes.serdeFrom(new AvroSerializer<>(registry, autoRegister, isKey), new AvroDeserializer<>(registry, type));
    }

    @SuppressWarnings("unchecked")
    private <T> Serde<T> replacement(boolean isKey) {
        Object serde;
        try {
            serde = Class.forName(replacementSerde).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ConfigException(SERDE_CLASS, replacementSerde, "class not found on the classpath");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(SERDE_CLASS, replacementSerde, "cannot be constructed: " + cause);
        }
        if (!(serde instanceof Serde<?> typed)) {
            throw new ConfigException(SERDE_CLASS, replacementSerde, "is not a " + Serde.class.getName());
        }
        Map<String, Object> withSpecific = new HashMap<>(configs);
        withSpecific.put("specific.avro.reader", true);
        typed.configure(withSpecific, isKey);
        return (Serde<T>) typed;
    }


    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }
}
