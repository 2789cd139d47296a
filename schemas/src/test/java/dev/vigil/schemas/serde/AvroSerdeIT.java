package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.MetricBatches;
import dev.vigil.schemas.Topic;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryClient.Compatibility;
import dev.vigil.schemas.registry.SchemaRegistryConfig;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.schemas.serde.InvalidPayloadException.Reason;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/** Vigil's serdes and registry client against the real broker and the real Apicurio Registry. */
@ExtendWith(LocalStackExtension.class)
class AvroSerdeIT {

    @Test
    void shouldCarryMetricBatchesThroughTheBrokerAndTheRegistry(StackEndpoints stack) throws Exception {
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()))) {
            Topic<String, MetricBatch> metrics = new Topics(serdes).metrics();
            String topicName = createTopic(stack, "it-metrics-");
            List<MetricBatch> sent = new ArrayList<>();
            try (var producer = new KafkaProducer<>(producerProps(stack), metrics.keySerde().serializer(), metrics.valueSerde().serializer())) {
                for (int i = 0; i < 100; i++) {
                    MetricBatch batch = MetricBatches.batch("host-" + (i % 7), 50, i);
                    sent.add(batch);
                    producer.send(new ProducerRecord<>(topicName, batch.getHostId(), batch)).get(10, TimeUnit.SECONDS);
                }
            }

            List<MetricBatch> received = consume(stack, topicName, 100, metrics.valueSerde().deserializer());

            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void shouldWorkWhenKafkaBuildsTheSerdesFromTheirClassNames(StackEndpoints stack) throws Exception {
        String topicName = createTopic(stack, "it-by-name-");
        Map<String, Object> producerConfig = new HashMap<>(producerProps(stack));
        producerConfig.put("key.serializer", StringSerializer.class.getName());
        producerConfig.put("value.serializer", AvroSerializer.class.getName());
        producerConfig.put("schema.registry.url", stack.schemaRegistryUrl());
        MetricBatch batch = MetricBatches.batch("host-by-name", 5, 1);
        try (var producer = new KafkaProducer<String, MetricBatch>(producerConfig)) {
            producer.send(new ProducerRecord<>(topicName, batch.getHostId(), batch)).get(10, TimeUnit.SECONDS);
        }

        Map<String, Object> consumerConfig = consumerProps(stack);
        consumerConfig.put("key.deserializer", StringDeserializer.class.getName());
        consumerConfig.put("value.deserializer", AvroDeserializer.class.getName());
        consumerConfig.put("schema.registry.url", stack.schemaRegistryUrl());
        List<Object> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, Object>(consumerConfig)) {
            consumer.subscribe(List.of(topicName));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
            }
        }

        assertThat(received).containsExactly(batch);
    }

    @Test
    void shouldGetTheSameIdForTheSameSchemaAndFetchItBack(StackEndpoints stack) {
        String subject = "it-" + UUID.randomUUID() + "-value";
        int first;
        try (var client = registryClient(stack, Map.of())) {
            first = client.register(subject, MetricBatch.getClassSchema());
        }
        try (var fresh = registryClient(stack, Map.of())) {
            assertThat(fresh.register(subject, MetricBatch.getClassSchema())).isEqualTo(first);
            assertThat(fresh.idOf(subject, MetricBatch.getClassSchema())).isEqualTo(first);
            assertThat(fresh.schemaById(first)).isEqualTo(MetricBatch.getClassSchema());
        }
    }

    @Test
    void shouldRejectARecordNamingASchemaIdTheRegistryDoesNotKnow(StackEndpoints stack) {
        try (var client = registryClient(stack, Map.of())) {
            var serializer = new AvroSerializer<MetricBatch>(client, true, false);
            var deserializer = new AvroDeserializer<>(client, MetricBatch.class);
            byte[] bytes = serializer.serialize("it-unknown-id", MetricBatches.batch("h", 1, 1));
            ByteBuffer.wrap(bytes).putInt(1, 987_654);

            assertThatThrownBy(() -> deserializer.deserialize("it-unknown-id", bytes))
                    .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID))
                    .hasMessageContaining("987654");
        }
    }

    @Test
    void shouldReadRecordsAProducerWroteWithANewerSchema(StackEndpoints stack) throws Exception {
        String topicName = createTopic(stack, "it-evolved-");
        Schema evolved = EvolvedMetricBatch.schema();
        byte[] payload;
        try (var client = registryClient(stack, Map.of())) {
            int current = client.register(topicName + "-value", MetricBatch.getClassSchema());
            int newer = client.register(topicName + "-value", evolved);
            assertThat(newer).isNotEqualTo(current);
            payload = EvolvedMetricBatch.wireFormat(newer, evolved, EvolvedMetricBatch.record(evolved));
        }
        try (var producer = new KafkaProducer<>(producerProps(stack), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topicName, "host-evolved", payload)).get(10, TimeUnit.SECONDS);
        }

        try (var client = registryClient(stack, Map.of())) {
            List<MetricBatch> received = consume(stack, topicName, 1, new AvroDeserializer<>(client, MetricBatch.class));

            assertThat(received).singleElement().satisfies(batch -> {
                assertThat(batch.getHostId()).isEqualTo("host-evolved");
                assertThat(batch.getSamples().get(0).getValue()).isEqualTo(42.5);
            });
        }
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWhenTheSubjectIsBackwardCompatible(StackEndpoints stack) {
        String subject = "it-" + UUID.randomUUID() + "-value";
        Schema incompatible = new Schema.Parser().parse(MetricBatch.getClassSchema().toString()
                .replace("{\"name\":\"sequence\"", "{\"name\":\"region\",\"type\":\"string\"},{\"name\":\"sequence\""));
        try (var client = registryClient(stack, Map.of())) {
            client.register(subject, MetricBatch.getClassSchema());
            client.setCompatibility(subject, Compatibility.BACKWARD);

            assertThat(client.isCompatible(subject, EvolvedMetricBatch.schema())).isTrue();
            assertThat(client.isCompatible(subject, incompatible)).isFalse();
            assertThatThrownBy(() -> client.register(subject, incompatible))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
        }
    }

    @Test
    void shouldExplainAMissingSchemaWhenAutoRegistrationIsOff(StackEndpoints stack) {
        try (var client = registryClient(stack, Map.of("auto.register.schemas", false))) {
            var serializer = new AvroSerializer<MetricBatch>(client, false, false);

            assertThatThrownBy(() -> serializer.serialize("it-never-registered", MetricBatches.batch("h", 1, 1)))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue())
                    .hasMessageContaining("it-never-registered-value");
        }
    }

    private static RestSchemaRegistryClient registryClient(StackEndpoints stack, Map<String, Object> extra) {
        Map<String, Object> configs = new HashMap<>(extra);
        configs.put("schema.registry.url", stack.schemaRegistryUrl());
        return new RestSchemaRegistryClient(SchemaRegistryConfig.from(configs));
    }

    private static String createTopic(StackEndpoints stack, String prefix) throws Exception {
        String name = prefix + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    private static Map<String, Object> producerProps(StackEndpoints stack) {
        return Map.of("bootstrap.servers", stack.kafkaBootstrapServers(), "acks", "all", "enable.idempotence", true);
    }

    private static Map<String, Object> consumerProps(StackEndpoints stack) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", stack.kafkaBootstrapServers());
        props.put("group.id", "it-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        return props;
    }

    private static <T> List<T> consume(StackEndpoints stack, String topic, int expected, Deserializer<T> deserializer) {
        List<T> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(consumerProps(stack), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(deserializer.deserialize(topic, record.value())));
            }
        }
        return records;
    }
}
