package dev.vigil.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertEvidence;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AnomalyReason;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.avro.Severity;
import dev.vigil.schemas.MetricBatches;
import dev.vigil.schemas.Topic;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.deadletter.DeadLetterReason;
import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryClient.Compatibility;
import dev.vigil.schemas.registry.SchemaRegistryConfig;
import dev.vigil.schemas.registry.SchemaRegistryException;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

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
                    .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID))
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
    void shouldRegisterTheScoresWithReasonsAfterTheOldScoresAndReadWhatTheOldProducerWrote(StackEndpoints stack) throws Exception {
        ScoreBatch sent = ScoreBatch.newBuilder().setHostId("host-1").setScores(List.of(
                AnomalyScore.newBuilder().setHostId("host-1").setMetric("system.cpu.utilization").setLabels(Map.of("cpu", "0"))
                        .setSeriesId("s-1").setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L)).setValue(0.364)
                        .setExpected(0.41).setLower(0.3).setUpper(0.52).setScore(0.85).setLearning(false)
                        .setReason(AnomalyReason.STUCK).setReasonObserved(14.0).setReasonUsualLow(0.0).setReasonUsualHigh(3.0)
                        .setReasonBasisDays(6.5).build())).build();

        List<ScoreBatch> received = registerOldThenNewAndRead(stack, ScoreBatch.class, sent);

        assertThat(received.get(0)).as("written with v1").usingRecursiveComparison()
                .ignoringFields("scores.reason", "scores.reasonObserved", "scores.reasonUsualLow", "scores.reasonUsualHigh",
                        "scores.reasonBasisDays").isEqualTo(sent);
        assertThat(received.get(0).getScores()).singleElement().satisfies(score -> {
            assertThat(score.getReason()).isNull();
            assertThat(score.getReasonObserved()).isNull();
            assertThat(score.getReasonBasisDays()).isNull();
        });
        assertThat(received.get(1)).as("written with the current schema").isEqualTo(sent);
    }

    @Test
    void shouldRegisterTheAlertsWithReasonsAfterTheOldAlertsAndReadWhatTheOldProducerWrote(StackEndpoints stack) throws Exception {
        Instant since = Instant.ofEpochMilli(1_700_000_000_000L);
        AlertEvidence evidence = AlertEvidence.newBuilder().setSeriesId("s-1").setMetric("system.cpu.utilization").setLabels(Map.of("cpu", "0"))
                .setValue(0.364).setExpected(0.41).setLower(0.3).setUpper(0.52).setScore(0.85).setSince(since)
                .setReason(AnomalyReason.STUCK).setReasonObserved(14.0).setReasonUsualLow(0.0).setReasonUsualHigh(3.0)
                .setReasonBasisDays(6.5).setReasonText("stuck at 0.364 for 14 samples (longest run before: 3)").build();
        Alert sent = Alert.newBuilder().setAlertId("s-1-1700000000000").setFingerprint("s-1").setEvent(AlertEvent.OPENED)
                .setScope(AlertScope.SERIES).setSeverity(Severity.WARNING).setHostId("host-1").setHostLabels(Map.of("role", "web"))
                .setMetric("system.cpu.utilization").setLabels(Map.of("cpu", "0")).setStartedAt(since).setEventTime(since)
                .setResolvedAt(null).setValue(0.364).setExpected(0.41).setLower(0.3).setUpper(0.52).setPeakScore(0.85).setLastScore(0.85)
                .setReason(AnomalyReason.STUCK).setReasonObserved(14.0).setReasonUsualLow(0.0).setReasonUsualHigh(3.0)
                .setReasonBasisDays(6.5).setReasonText(evidence.getReasonText()).setEvidence(List.of(evidence))
                .setSummary("system.cpu.utilization{cpu=0} on host-1: " + evidence.getReasonText()).setLinks(Map.of()).build();

        List<Alert> received = registerOldThenNewAndRead(stack, Alert.class, sent);

        assertThat(received.get(0)).as("written with v1").usingRecursiveComparison()
                .ignoringFields("reason", "reasonObserved", "reasonUsualLow", "reasonUsualHigh", "reasonBasisDays", "reasonText",
                        "evidence.reason", "evidence.reasonObserved", "evidence.reasonUsualLow", "evidence.reasonUsualHigh",
                        "evidence.reasonBasisDays", "evidence.reasonText").isEqualTo(sent);
        assertThat(received.get(0).getReason()).isNull();
        assertThat(received.get(0).getReasonObserved()).isNull();
        assertThat(received.get(0).getReasonText()).isEmpty();
        assertThat(received.get(0).getEvidence()).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isNull();
            assertThat(e.getReasonText()).isEmpty();
        });
        assertThat(received.get(1)).as("written with the current schema").isEqualTo(sent);
    }

    /**
     * Registers the released v1 of the record's schema under a fresh topic's subject, sets the subject BACKWARD, has the
     * registry accept the current schema as the next version, then sends {@code sent} twice through the broker: as the
     * old producer wrote it (v1, its fields only) and as the current one does. Returns both, read with the current schema.
     */
    private static <T extends SpecificRecord> List<T> registerOldThenNewAndRead(StackEndpoints stack, Class<T> type, T sent)
            throws Exception {
        Schema current = sent.getSchema();
        Schema released = releasedV1(current.getName());
        String topicName = createTopic(stack, "it-reasons-");
        byte[] old;
        byte[] now;
        try (var client = registryClient(stack, Map.of())) {
            int oldId = client.register(topicName + "-value", released);
            client.setCompatibility(topicName + "-value", Compatibility.BACKWARD);
            assertThat(client.isCompatible(topicName + "-value", current)).as("current %s BACKWARD compatible with v1", current.getName()).isTrue();
            int newId = client.register(topicName + "-value", current);
            assertThat(newId).isNotEqualTo(oldId);
            old = EvolvedMetricBatch.wireFormat(oldId, released, asWrittenWith(released, sent));
            now = new AvroSerializer<T>(client, false, false).serialize(topicName, sent);
            assertThat(ByteBuffer.wrap(now).getInt(1)).isEqualTo(newId);
        }
        try (var producer = new KafkaProducer<>(producerProps(stack), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topicName, "host-1", old)).get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(topicName, "host-1", now)).get(10, TimeUnit.SECONDS);
        }
        try (var client = registryClient(stack, Map.of())) {
            List<T> received = consume(stack, topicName, 2, new AvroDeserializer<>(client, type));
            assertThat(received).hasSize(2);
            return received;
        }
    }

    private static Schema releasedV1(String name) throws IOException {
        try (InputStream in = AvroSerdeIT.class.getResourceAsStream("/schema-history/" + name + "/v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    /** The record as a producer on {@code released} wrote it: the current record projected onto the released schema's fields. */
    private static GenericRecord asWrittenWith(Schema released, SpecificRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(record.getSchema(), released)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
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

    /** Reads raw bytes and decodes them here, so that the consumer's close does not close the serdes under test. */
    private static <T> List<T> consume(StackEndpoints stack, String topic, int expected, Deserializer<T> deserializer) {
        return TopicReader.of(stack.kafkaBootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED, new StringDeserializer(),
                new ByteArrayDeserializer()).valuesAtLeast(expected, Duration.ofSeconds(30)).stream()
                .map(bytes -> deserializer.deserialize(topic, bytes)).toList();
    }
}
