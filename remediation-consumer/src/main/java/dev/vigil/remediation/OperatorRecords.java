package dev.vigil.remediation;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.vigil.avro.Silence;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.Topic;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * What a person's action writes to and reads from Vigil's topics (approvals, silences, retirements), whether it comes from a
 * command ({@code vigil approve}, {@code vigil silence}, {@code vigil host}) or from the console: one implementation, so the
 * records are the same whoever makes them.
 */
public final class OperatorRecords {

    /** Why a silence change was refused, with the field of {@link SilenceContract} it concerns. */
    public static final class SilenceRefused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public SilenceRefused(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The field of the silence at fault ({@code silenceId}, {@code hosts}, ...), as {@link SilenceContract.Problem} names it. */
        public String field() {
            return field;
        }
    }

    private final Map<String, Object> kafka;
    private final Map<String, Object> registry;

    /**
     * @param kafka    client settings of the cluster (SASL and TLS included)
     * @param registry settings of the schema registry client
     */
    public OperatorRecords(Map<String, Object> kafka, Map<String, Object> registry) {
        this.kafka = Map.copyOf(Objects.requireNonNull(kafka, "kafka can't be null"));
        this.registry = Map.copyOf(Objects.requireNonNull(registry, "registry can't be null"));
    }

    /** On the cluster and registry of a service's settings. */
    public static OperatorRecords of(ConfigValues config) {
        return new OperatorRecords(CommonKeys.kafkaClient(config), CommonKeys.schemaRegistry(config));
    }

    /** Writes one record and returns once the broker has it. */
    public <V> void publish(Function<Topics, Topic<String, V>> which, String key, V value) {
        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroSerdes serdes = new AvroSerdes(registry)) {
            Topic<String, V> topic = which.apply(new Topics(serdes));
            try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), topic.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while writing to " + topic.name(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new KafkaException("cannot write to " + topic.name() + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        }
    }

    /** The values of every record of the topic, in order (for a compacted topic: the newest per key come last). */
    public <V> List<V> readAll(Function<Topics, Topic<String, V>> which) {
        try (AvroSerdes serdes = new AvroSerdes(registry)) {
            Topic<String, V> topic = which.apply(new Topics(serdes));
            return TopicContents.readAll(kafka, topic.name(), topic.valueSerde().deserializer()).stream().map(ConsumerRecord::value)
                    .filter(value -> value != null).toList();
        }
    }

    /** The newest version of each silence, in the order they were first written. */
    public List<Silence> silences() {
        return newest(readAll(Topics::silences));
    }

    /**
     * Publishes a new silence after {@link SilenceContract#problemsOfNew} and a check that its id is new.
     *
     * @throws SilenceRefused naming the first problem
     */
    public void addSilence(Silence silence, Instant now) {
        checkNew(silence, now);
        if (silences().stream().anyMatch(existing -> existing.getSilenceId().equals(silence.getSilenceId()))) {
            throw new SilenceRefused("silenceId", "a silence " + silence.getSilenceId() + " exists already");
        }
        publish(Topics::silences, silence.getSilenceId(), silence);
    }

    /**
     * Refuses a new silence that breaks {@link SilenceContract#problemsOfNew}, naming the first problem; needs no cluster, so a
     * command can say what is wrong before it connects.
     */
    public static void checkNew(Silence silence, Instant now) {
        List<SilenceContract.Problem> problems = SilenceContract.problemsOfNew(silence, now);
        if (!problems.isEmpty()) {
            throw new SilenceRefused(problems.get(0).field(), problems.get(0).message());
        }
    }

    /**
     * Ends silence {@code id} now, as {@code by}; returns the version written.
     *
     * @throws SilenceRefused when there is no such silence or it has ended
     */
    public Silence expireSilence(String id, String by, Instant now) {
        Silence silence = silences().stream().filter(s -> s.getSilenceId().equals(id)).findFirst()
                .orElseThrow(() -> new SilenceRefused("silenceId", "no silence " + id));
        if (SilenceContract.hasEnded(silence, now)) {
            throw new SilenceRefused("endsAt", "silence " + id + " has ended already, at " + silence.getEndsAt());
        }
        Silence expired = SilenceContract.expired(silence, by, now);
        publish(Topics::silences, id, expired);
        return expired;
    }

    /** The newest version of each silence, in the order they were first written. */
    public static List<Silence> newest(List<Silence> versions) {
        Map<String, Silence> newest = new LinkedHashMap<>();
        versions.forEach(silence -> newest.put(silence.getSilenceId(), silence));
        return List.copyOf(newest.values());
    }
}
