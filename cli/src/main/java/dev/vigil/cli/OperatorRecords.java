package dev.vigil.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

import dev.vigil.remediation.RemediationKeys;
import dev.vigil.remediation.TopicContents;
import dev.vigil.runtime.config.CommonKeys;
import dev.vigil.runtime.config.ConfigValues;
import dev.vigil.schemas.Topic;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * What a person's command writes to and reads from Vigil's topics (approvals, silences, retirements), on the cluster and
 * registry of the remediation consumer's settings file ({@link ClientSettings}; its SASL and TLS settings included).
 */
final class OperatorRecords {

    private final Map<String, Object> kafka;
    private final Map<String, Object> registry;

    OperatorRecords(ClientSettings settings) {
        ConfigValues config = RemediationKeys.DEFINITION.read(settings.load());
        this.kafka = CommonKeys.kafkaClient(config);
        this.registry = CommonKeys.schemaRegistry(config);
    }

    /** Writes one record and returns once the broker has it. */
    <V> void publish(Function<Topics, Topic<String, V>> which, String key, V value) {
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
    <V> List<V> readAll(Function<Topics, Topic<String, V>> which) {
        try (AvroSerdes serdes = new AvroSerdes(registry)) {
            Topic<String, V> topic = which.apply(new Topics(serdes));
            return TopicContents.readAll(kafka, topic.name(), topic.valueSerde().deserializer()).stream().map(ConsumerRecord::value)
                    .filter(value -> value != null).toList();
        }
    }
}
