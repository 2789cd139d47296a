package dev.vigil.collectors.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.sensors.Sensor;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.registry.RestSchemaRegistryClient;
import dev.vigil.schemas.registry.SchemaRegistryConfig;
import dev.vigil.schemas.serde.AvroDeserializer;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/** The agent against the real broker and registry: real readings, a Kafka outage, pushes, a full spool. */
@ExtendWith(LocalStackExtension.class)
class CollectorAgentIT {

    /** Each agent gets its own spool under here; JUnit deletes it when the class is done. */
    @TempDir
    static Path spools;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A sensor that costs nothing and counts its reads, for tests about delivery rather than readings. */
    private static final class TickSensor implements Sensor {
        private final AtomicLong reads = new AtomicLong();

        @Override
        public String name() {
            return "tick";
        }

        @Override
        public void read(SampleSink sink) {
            sink.gauge("test.tick", "1", reads.incrementAndGet(), Map.of());
        }
    }

    @Test
    void shouldPublishThisMachinesReadingsThatDecodeToSaneValues(StackEndpoints stack) throws Exception {
        String topic = createTopic(stack);
        CollectorAgent agent = CollectorAgent.start(config(stack, topic, "1s", Map.of()));
        try {
            List<MetricBatch> batches = consume(stack, topic, 3, Duration.ofSeconds(60));

            assertThat(batches).extracting(MetricBatch::getSequence)
                    .isEqualTo(LongStream.rangeClosed(1, batches.size()).boxed().toList()).startsWith(1L, 2L, 3L);
            MetricBatch third = batches.get(2);
            assertThat(third.getHostLabels()).containsEntry("datacenter", "it");
            assertThat(value(third, "system.cpu.utilization", "state", "total")).isBetween(0.0, 1.0);
            assertThat(value(third, "system.memory.usage", "state", "used")).isPositive()
                    .isLessThanOrEqualTo(value(third, "system.memory.limit", null, null));
            assertThat(third.getSamples()).filteredOn(s -> s.getName().equals("system.filesystem.utilization")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getValue()).isBetween(0.0, 1.0));
            assertThat(third.getSamples()).filteredOn(s -> s.getName().equals("system.network.io")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getValue()).isGreaterThanOrEqualTo(0.0));
            assertThat(batches.get(0).getSamples()).as("no rate on the first tick")
                    .noneMatch(s -> s.getName().equals("system.network.io"));
        } finally {
            agent.close();
        }
    }

    @Test
    void shouldDeliverEveryBatchExactlyOnceAndInOrderAcrossAKafkaOutage(LocalStack stack) throws Exception {
        String topic = createTopic(stack.endpoints());
        AgentConfig config = config(stack.endpoints(), topic, "200ms", Map.of());
        long remainingInSpool;
        long lastSequence;
        CollectorAgent agent = CollectorAgent.start(config, Map.of(new TickSensor(), Duration.ofMillis(200)));
        try {
            await(() -> agent.shipper().shipped() >= 5, Duration.ofSeconds(30));

            stack.kafka().stop();
            long shippedBeforeOutage = agent.shipper().shipped();
            TimeUnit.SECONDS.sleep(3);
            assertThat(agent.spool().size()).as("batches wait in the spool while Kafka is away").isGreaterThan(5);
            stack.kafka().start();

            await(() -> agent.shipper().shipped() > shippedBeforeOutage + 15 && agent.spool().size() < 3, Duration.ofSeconds(60));
        } finally {
            agent.close();
        }
        remainingInSpool = agent.spool().size();
        lastSequence = agent.spool().nextSequence() - 1;

        List<MetricBatch> received = consume(stack.endpoints(), topic, (int) (lastSequence - remainingInSpool), Duration.ofSeconds(30));
        List<Long> sequences = received.stream().map(MetricBatch::getSequence).toList();
        assertThat(sequences).as("1..n, each once, in order").isEqualTo(LongStream.rangeClosed(1, lastSequence - remainingInSpool).boxed().toList());
    }

    @Test
    void shouldRefuseBadPushesWith4xxAndCarryGoodOnesInTheNextBatch(StackEndpoints stack) throws Exception {
        String topic = createTopic(stack);
        try (CollectorAgent agent = CollectorAgent.start(config(stack, topic, "300ms", Map.of()), Map.of(new TickSensor(), Duration.ofMillis(300)))) {
            String base = "http://127.0.0.1:" + agent.httpPort();

            HttpResponse<String> badValue = post(base, "application/json", "{\"samples\":[{\"name\":\"it.bad\",\"value\":\"NaN\"}]}");
            HttpResponse<String> notJson = post(base, "text/plain", "loss=0.3");
            HttpResponse<String> reserved = post(base, "application/json", "{\"samples\":[{\"name\":\"system.cpu.utilization\",\"value\":1}]}");
            HttpResponse<String> good = post(base, "application/json",
                    "{\"samples\":[{\"name\":\"it.training.loss\",\"value\":0.25,\"labels\":{\"job\":\"resnet\"}}]}");

            assertThat(badValue.statusCode()).isEqualTo(400);
            assertThat(badValue.body()).contains("samples[0].value: must be a finite number");
            assertThat(notJson.statusCode()).isEqualTo(415);
            assertThat(reserved.statusCode()).isEqualTo(400);
            assertThat(good.statusCode()).isEqualTo(202);
            List<MetricBatch> batches = consumeUntil(stack, topic, list -> list.stream().anyMatch(b -> has(b, "it.training.loss")),
                    Duration.ofSeconds(30));
            assertThat(batches).noneMatch(b -> has(b, "it.bad"));
            Sample loss = batches.stream().flatMap(b -> b.getSamples().stream()).filter(s -> s.getName().equals("it.training.loss"))
                    .findFirst().orElseThrow();
            assertThat(loss.getValue()).isEqualTo(0.25);
            assertThat(loss.getLabels()).containsEntry("job", "resnet");
            assertThat(loss.getObservedAt()).isNotNull();

            String metrics = get(base + "/metrics").body();
            assertThat(metrics).contains("vigil_collector_ingest_rejected_total{reason=\"invalid_value\"} 1.0")
                    .contains("vigil_collector_ingest_requests_total{status=\"415\"} 1.0")
                    .contains("vigil_collector_batches_shipped");
            HttpResponse<String> health = get(base + "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void shouldDropTheOldestBatchesAndCountThemWhenKafkaIsUnreachableAndTheSpoolFull(StackEndpoints stack) throws Exception {
        AgentConfig config = config(stack, "it-unreachable", "100ms", Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:1", "spool.max.bytes", "2KiB"));
        try (CollectorAgent agent = CollectorAgent.start(config, Map.of(new TickSensor(), Duration.ofMillis(100)))) {
            await(() -> agent.spool().dropped() >= 10, Duration.ofSeconds(30));

            assertThat(agent.spool().bytes()).isLessThanOrEqualTo(2048);
            assertThat(agent.spool().oldest()).hasValueSatisfying(oldest -> assertThat(oldest).isGreaterThan(10L));
            assertThat(get("http://127.0.0.1:" + agent.httpPort() + "/metrics").body()).containsPattern("vigil_collector_spool_dropped [1-9]");
        }
    }

    private static AgentConfig config(StackEndpoints stack, String topic, String interval, Map<String, String> overrides) throws IOException {
        Path spool = Files.createTempDirectory(spools, "spool-");
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap.servers", stack.kafkaBootstrapServers());
        values.put("schema.registry.url", stack.schemaRegistryUrl());
        values.put("host.id", "it-" + UUID.randomUUID().toString().substring(0, 8));
        values.put("host.labels.datacenter", "it");
        values.put("interval", interval);
        values.put("topic", topic);
        values.put("spool.dir", spool.toString());
        values.put("http.port", "0");
        values.putAll(overrides);
        return AgentConfig.from(ConfigSource.of(values));
    }

    private static String createTopic(StackEndpoints stack) throws Exception {
        String name = "it-agent-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    private static List<MetricBatch> consume(StackEndpoints stack, String topic, int atLeast, Duration timeout) {
        return consumeUntil(stack, topic, list -> list.size() >= atLeast, timeout);
    }

    /** Reads the whole topic until {@code done}, then a little longer to catch anything extra (duplicates). */
    private static List<MetricBatch> consumeUntil(StackEndpoints stack, String topic, Predicate<List<MetricBatch>> done,
                                                  Duration timeout) {
        var registry = new RestSchemaRegistryClient(SchemaRegistryConfig.forUrl(stack.schemaRegistryUrl()));
        return TopicReader.values(TopicReader.of(stack.kafkaBootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED,
                new StringDeserializer(), new AvroDeserializer<>(registry, MetricBatch.class))
                .readUntil(records -> done.test(TopicReader.values(records)), timeout, Duration.ofSeconds(1)));
    }

    private static boolean has(MetricBatch batch, String name) {
        return batch.getSamples().stream().anyMatch(s -> s.getName().equals(name));
    }

    private static double value(MetricBatch batch, String name, String label, String labelValue) {
        return batch.getSamples().stream()
                .filter(s -> s.getName().equals(name) && (label == null || labelValue.equals(s.getLabels().get(label))))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in batch " + batch.getSequence())).getValue();
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static HttpResponse<String> post(String base, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/metrics")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
