package dev.vigil.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Silence;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * Silences and dead hosts on the real broker and registry, with the streams application running: a silence created
 * over its HTTP API reaches {@code vigil.silences} and marks the alerts of its host, and only those; hosts that stop
 * reporting raise HOST_SILENT (marked too when silenced) and resolve when they report again; a retired host raises
 * nothing.
 */
@ExtendWith(LocalStackExtension.class)
class SilencesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration STEP = Duration.ofSeconds(10);

    @Test
    void shouldMarkSilencedAlertsAndRaiseHostSilentForHostsThatStopReportingButNotForRetiredOnes(StackEndpoints stack, @TempDir Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(3), (short) 1);
        }
        String run = "silences-it-" + UUID.randomUUID().toString().substring(0, 8);
        String silenced = run + "-silenced";
        String plain = run + "-plain";
        String retired = run + "-retired";
        String probe = run + "-probe";
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             StreamsApp app = StreamsApp.start(StreamsAppConfig.from(ConfigSource.of(Map.of(
                     "kafka.bootstrap.servers", stack.kafkaBootstrapServers(), "schema.registry.url", stack.schemaRegistryUrl(),
                     "application.id", run, "state.dir", dir.resolve("state").toString(), "http.port", "0", "commit.interval", "200ms",
                     "host.silence.after", "10s",
                     // Only this test's records: the topics may hold other tests' hosts.
                     "kafka.auto.offset.reset", "latest"))));
             KafkaProducer<String, MetricBatch> metrics = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                     "enable.idempotence", true), new StringSerializer(), new Topics(serdes).metrics().valueSerde().serializer())) {
            Topics topics = new Topics(serdes);
            String api = "http://" + app.httpAddress() + "/v1/silences";
            Instant start = Instant.now().minus(Duration.ofHours(2));
            Eventually.await(Duration.ofMinutes(2), "the application reads its input", () -> {
                metrics.send(new ProducerRecord<>(Topics.METRICS.name(), probe, batch(probe, start, 1)));
                return get("http://" + app.httpAddress() + "/v1/hosts/" + probe).statusCode() == 200;
            });

            HttpResponse<String> refused = post(api, "{\"hosts\": [\"" + silenced + "\"], \"duration\": \"1h\", \"reason\": \"upgrade\"}");
            HttpResponse<String> created = post(api, "{\"hosts\": [\"" + silenced + "\"], \"duration\": \"1h\", \"author\": \"alice\", "
                    + "\"reason\": \"kernel upgrade\"}");
            String silenceId = SilenceJson.JSON.readTree(created.body()).get("silenceId").asText();
            Eventually.await(Duration.ofSeconds(30), "the silence in the application's global store",
                    () -> get(api + "/" + silenceId).statusCode() == 200);
            try (KafkaProducer<String, HostRetirement> retirements = new KafkaProducer<>(Map.of("bootstrap.servers",
                    stack.kafkaBootstrapServers()), new StringSerializer(), topics.retiredHosts().valueSerde().serializer())) {
                retirements.send(new ProducerRecord<>(Topics.RETIRED_HOSTS.name(), retired,
                        new HostRetirement(retired, true, "alice", "decommissioned", Instant.now()))).get(30, TimeUnit.SECONDS);
            }
            // A calm series with a spike at sample 400 of 500, on each host: one alert each (OPENED, RESOLVED).
            double[] values = TopologyFixture.wave(500, 10, 0.5);
            values[400] = 40;
            for (int i = 0; i < values.length; i++) {
                for (String host : List.of(silenced, plain, retired)) {
                    metrics.send(new ProducerRecord<>(Topics.METRICS.name(), host, batch(host, start.plus(STEP.multipliedBy(i)), values[i])));
                }
            }
            metrics.flush();
            long lastReport = System.nanoTime();

            List<Alert> alerts = alerts(stack, topics, run, list -> list.stream().filter(a -> a.getKind() == AlertKind.HOST_SILENT
                    && a.getEvent() == AlertEvent.OPENED && !a.getHostId().equals(probe)).count() >= 2);
            double silentAfter = (System.nanoTime() - lastReport) / 1e9;
            Thread.sleep(3_000); // the retired host, were it to alert, would have by now: it stopped with the others
            metrics.send(new ProducerRecord<>(Topics.METRICS.name(), plain, batch(plain, start.plus(STEP.multipliedBy(500)), 10))).get();
            List<Alert> all = alerts(stack, topics, run, list -> list.stream().anyMatch(a -> a.getKind() == AlertKind.HOST_SILENT
                    && a.getEvent() == AlertEvent.RESOLVED));
            System.out.printf("HOST_SILENT opened %.1f s after the hosts' last batch (host.silence.after 10s)%n", silentAfter);

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(SilenceJson.JSON.readTree(refused.body()).get("field").asText()).isEqualTo("author");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(silences(stack, topics)).as("on vigil.silences").anySatisfy(silence -> {
                assertThat(silence.getSilenceId()).isEqualTo(silenceId);
                assertThat(silence.getAuthor()).isEqualTo("alice");
            });
            assertThat(all).filteredOn(alert -> alert.getKind() == AlertKind.ANOMALY)
                    .extracting(Alert::getHostId, Alert::getEvent, Alert::getSilencedBy).containsExactlyInAnyOrder(
                            tuple(silenced, AlertEvent.OPENED, silenceId), tuple(silenced, AlertEvent.RESOLVED, silenceId),
                            tuple(plain, AlertEvent.OPENED, null), tuple(plain, AlertEvent.RESOLVED, null),
                            tuple(retired, AlertEvent.OPENED, null), tuple(retired, AlertEvent.RESOLVED, null));
            assertThat(all).filteredOn(alert -> alert.getKind() == AlertKind.HOST_SILENT && !alert.getHostId().equals(probe))
                    .extracting(Alert::getHostId, Alert::getEvent, Alert::getSilencedBy).containsExactlyInAnyOrder(
                            tuple(silenced, AlertEvent.OPENED, silenceId), tuple(plain, AlertEvent.OPENED, null),
                            tuple(plain, AlertEvent.RESOLVED, null));
            assertThat(silentAfter).as("seconds from the last batch to HOST_SILENT").isBetween(10.0, 30.0);
            assertThat(app.metrics().find("vigil.streams.silence.requests").tag("outcome", "refused").counter().count()).isEqualTo(1);
        }
    }

    private static MetricBatch batch(String host, Instant time, double value) {
        return TopologyFixture.batch(host, time, TopologyFixture.sample("load", value));
    }

    /** This run's alerts, read until {@code done} holds for them. */
    private static List<Alert> alerts(StackEndpoints stack, Topics topics, String run, java.util.function.Predicate<List<Alert>> done) {
        List<Alert> alerts = new ArrayList<>();
        TopicReader.of(stack.kafkaBootstrapServers(), Topics.ALERTS.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                new ByteArrayDeserializer()).readUntil(records -> {
                    alerts.clear();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (record.key().startsWith(run)) {
                            // Decoded here, not by the reader's consumer, whose close would close the shared serdes.
                            alerts.add(topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                        }
                    }
                    return done.test(alerts);
                }, Duration.ofMinutes(2), Duration.ZERO);
        return List.copyOf(alerts);
    }

    private static List<Silence> silences(StackEndpoints stack, Topics topics) {
        return TopicReader.of(stack.kafkaBootstrapServers(), Topics.SILENCES.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                new ByteArrayDeserializer()).readToEnd(Duration.ofSeconds(30)).stream()
                .map(record -> topics.silences().valueSerde().deserializer().deserialize(record.topic(), record.value())).toList();
    }

    private static HttpResponse<String> post(String uri, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(uri + ": " + e, e);
        }
    }
}
