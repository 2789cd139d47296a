package dev.vigil.collectors.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.InjectedAnomaly;
import dev.vigil.avro.MetricBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/** The simulator into the real broker and registry: every batch lands, in order per host; truth in file and topic agree. */
@ExtendWith(LocalStackExtension.class)
class SimulationRunnerIT {

    @Test
    void shouldPublishEveryBatchInOrderPerHostAndTheSameTruthToFileAndTopic(StackEndpoints stack, @TempDir Path dir) throws Exception {
        String metricsTopic = "it-sim-" + UUID.randomUUID();
        String truthTopic = "it-sim-truth-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(metricsTopic, 3, (short) 1), new NewTopic(truthTopic, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        var options = new FleetSimulator.Options(20, 50, 5, Instant.parse("2026-11-20T00:00:00Z"), Duration.ofMinutes(1),
                Duration.ofHours(2), Duration.ZERO);
        Path truthFile = dir.resolve("truth.jsonl");

        SimulationRunner.Result result;
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()))) {
            Topics topics = new Topics(serdes);
            Map<String, Object> props = Map.of("bootstrap.servers", stack.kafkaBootstrapServers(), "acks", "all", "linger.ms", 10);
            try (var metrics = new KafkaProducer<>(props, new StringSerializer(), topics.metrics().valueSerde().serializer());
                 var truth = new KafkaProducer<>(props, new StringSerializer(), topics.simulatorTruth().valueSerde().serializer())) {
                result = SimulationRunner.run(new FleetSimulator(options), options.interval(),
                        new SimulationRunner.Settings(metricsTopic, 0, Optional.of(30L), Optional.of(truthFile), Optional.of(truthTopic)),
                        metrics, Optional.of(truth), () -> false);
            }

            List<MetricBatch> batches = consume(stack, metricsTopic, 600, topics.metrics().valueSerde().deserializer());
            List<InjectedAnomaly> truthRecords = consume(stack, truthTopic, (int) result.anomalies(),
                    topics.simulatorTruth().valueSerde().deserializer());

            assertThat(result.batches()).isEqualTo(600);
            assertThat(result.samples()).isEqualTo(30_000);
            assertThat(batches).hasSize(600);
            Map<String, List<Long>> sequencesByHost = batches.stream().collect(Collectors.groupingBy(MetricBatch::getHostId,
                    Collectors.mapping(MetricBatch::getSequence, Collectors.toList())));
            assertThat(sequencesByHost).hasSize(20).allSatisfy((host, sequences) ->
                    assertThat(sequences).isEqualTo(LongStream.rangeClosed(1, 30).boxed().toList()));
            assertThat(result.anomalies()).isPositive();
            assertThat(Files.readAllLines(truthFile)).hasSize((int) result.anomalies());
            assertThat(truthRecords).hasSize((int) result.anomalies());
            assertThat(Files.readAllLines(truthFile)).containsExactlyElementsOf(truthRecords.stream().map(SimulationRunner::toJson).toList());
        }
    }

    /** At least {@code expected} values, and whatever else arrives within half a second (duplicates). */
    private static <T> List<T> consume(StackEndpoints stack, String topic, int expected, Deserializer<T> deserializer) {
        return TopicReader.values(TopicReader.of(stack.kafkaBootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED,
                new StringDeserializer(), deserializer).readUntil(records -> records.size() >= expected, Duration.ofSeconds(30),
                Duration.ofMillis(500)));
    }
}
