package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.FileTrees;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * A simulated leak on a bounded series, on the real stack: the streams application and the sink each in its own JVM,
 * a host whose root filesystem has a small daily swing for two and a half days and then fills at 0.1 an hour. The
 * PREDICTED alert must reach {@code vigil.alerts} before the filesystem is full, with its expected exhaustion, land in
 * ClickHouse with it, and the query API must tell the time to exhaustion.
 */
@ExtendWith(LocalStackExtension.class)
class PredictedAlertIT {

    private static final String HOST = "db-leak-01";
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Its own database, and the pipeline's topics emptied before and after ({@link SharedStack#PIPELINE_TOPICS}). */
    private static final String DATABASE = "vigil_predicted_it";

    @Test
    void shouldWarnBeforeASimulatedLeakFillsTheRootFilesystemInTheAlertsTopicClickHouseAndTheQueryApi(StackEndpoints stack)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(3), (short) 1);
        }
        Path work = Path.of("target", "it-predicted-alert");
        FileTrees.delete(work);
        Files.createDirectories(work);
        // Sample times in the past, a minute apart: 60 h of history, then 2 h of leak that ends at 0.7, an hour before now.
        Instant leak = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        Instant start = leak.minus(Duration.ofHours(60));
        Instant end = leak.plus(Duration.ofHours(2));
        List<MetricBatch> batches = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(5);
        long sequence = 0;
        for (Instant time = start; time.isBefore(end); time = time.plus(MINUTE)) {
            double hours = Duration.between(start, time).toMinutes() / 60.0;
            double value = 0.5 + 0.01 * Math.sin(2 * Math.PI * hours / 24) + 0.0005 * random.nextGaussian()
                    + (time.isBefore(leak) ? 0 : 0.1 * Duration.between(leak, time).toMinutes() / 60.0);
            Sample root = Sample.newBuilder().setName("system.filesystem.utilization").setLabels(Map.of("mountpoint", "/"))
                    .setUnit("1").setKind(MetricKind.GAUGE).setValue(value).setObservedAt(null).build();
            batches.add(MetricBatch.newBuilder().setHostId(HOST).setHostLabels(Map.of("role", "db")).setCollectedAt(time)
                    .setSequence(++sequence).setSamples(List.of(root)).build());
        }

        SharedStack.empty(stack, SharedStack.PIPELINE_TOPICS); // what tests before left there is not this test's to read
        try {
            warnAndCheck(stack, work, batches, leak);
        } finally {
            SharedStack.empty(stack, SharedStack.PIPELINE_TOPICS);
        }
    }

    private static void warnAndCheck(StackEndpoints stack, Path work, List<MetricBatch> batches, Instant leak) throws Exception {
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             ServiceProcess streams = ServiceProcess.streams(work, stack, Map.of("application.id", "vigil-predicted-it")).start();
             ServiceProcess sink = ServiceProcess.sink(work, stack, stack.clickHouseHttpUrl(), Map.of("clickhouse.database", DATABASE,
                     "group.id", "vigil-predicted-it-sink")).start();
             ClickHouse clickHouse = new ClickHouse(stack.clickHouseHttpUrl(), "default", "", DATABASE, Duration.ofSeconds(30))) {
            Topics topics = new Topics(serdes);
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", stack.kafkaBootstrapServers(),
                    "enable.idempotence", true, "linger.ms", 20), new StringSerializer(), topics.metrics().valueSerde().serializer())) {
                batches.forEach(batch -> producer.send(new ProducerRecord<>(Topics.METRICS.name(), HOST, batch)));
            }

            Predicate<List<ConsumerRecord<String, Alert>>> warned = records -> records.stream()
                    .anyMatch(record -> record.value().getKind() == AlertKind.PREDICTED && record.value().getEvent() == AlertEvent.OPENED);
            TopicReader<String, Alert> reader = TopicReader.of(stack.kafkaBootstrapServers(), Topics.ALERTS.name(),
                    IsolationLevel.READ_COMMITTED, new StringDeserializer(), topics.alerts().valueSerde().deserializer());
            reader.readUntil(warned, Duration.ofMinutes(3), Duration.ZERO);
            List<Alert> predicted = TopicReader.values(reader.readUntilQuiet(Duration.ofSeconds(10))).stream()
                    .filter(alert -> alert.getKind() == AlertKind.PREDICTED).toList();

            assertThat(predicted).as("streams log: %s", streams.currentOutput()).isNotEmpty();
            Alert opened = predicted.get(0);
            assertThat(opened.getEvent()).isEqualTo(AlertEvent.OPENED);
            assertThat(opened.getHostId()).isEqualTo(HOST);
            Instant full = leak.plus(Duration.ofHours(5));
            assertThat(opened.getEventTime()).as("warned hours before it is full").isBefore(full.minus(Duration.ofHours(3)));
            assertThat(opened.getSummary()).startsWith("/ on " + HOST + " full in about ");
            Alert latest = predicted.get(predicted.size() - 1);
            assertThat(latest.getEvent()).as("still filling when the data ends").isNotEqualTo(AlertEvent.RESOLVED);
            assertThat(Duration.between(latest.getExhaustion().getAt(), full).abs()).as("the latest estimate").isLessThan(Duration.ofMinutes(15));

            String alertId = opened.getAlertId();
            Eventually.await(Duration.ofMinutes(2), "the PREDICTED alert in ClickHouse", () -> !clickHouse.lines(
                    "SELECT 1 FROM " + DATABASE + ".vigil_alerts WHERE alert_id = '" + alertId + "' AND event = 'OPENED'").isEmpty());
            List<String> row = clickHouse.lines("SELECT kind, host_id, toUnixTimestamp(exhaustion_at), toUnixTimestamp(exhaustion_earliest), "
                    + "toUnixTimestamp(exhaustion_latest), exhaustion_ceiling FROM " + DATABASE + ".vigil_alerts WHERE alert_id = '" + alertId
                    + "' AND event = 'OPENED'");
            assertThat(row).containsExactly(String.join("\t", "PREDICTED", HOST,
                    Long.toString(opened.getExhaustion().getAt().getEpochSecond()),
                    Long.toString(opened.getExhaustion().getEarliest().getEpochSecond()),
                    Long.toString(opened.getExhaustion().getLatest().getEpochSecond()), "1"));

            String api = streams.metricsUri().resolve("/v1/hosts/" + HOST + "/series?metric=system.filesystem.utilization&label.mountpoint=/")
                    .toString();
            HttpResponse<String> series = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(series.statusCode()).isEqualTo(200);
            assertThat(series.body()).contains("\"exhaustion\":{").contains("\"ceiling\":1.0").contains("\"predicted\":{");
        }
    }
}
