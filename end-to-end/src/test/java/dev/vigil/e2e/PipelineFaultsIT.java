package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.Sample;
import dev.vigil.avro.Severity;
import dev.vigil.remediation.AuditTopic;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.sinks.tables.SinkTable;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.FileTrees;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * The fault-injection suite: one pipeline (a simulated fleet -> Kafka -> the streams application and the sink,
 * each in its own JVM -> ClickHouse; the remediation consumer, in its own JVM too, for the test that needs it) runs
 * through every test while each injects one fault. After each, the
 * pipeline must recover by itself, ClickHouse must hold every sample the fleet sent exactly once (count,
 * distinct (host, series, time) and sum, against the feed's ledger), and the fault must show in the services'
 * metrics and logs. The figures go to docs/reliability.md.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {

    private static final int HOSTS = 40;
    private static final int METRICS = 20;
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    /** 20 simulated seconds per second: 2 ticks, 1,600 samples per second. */
    private static final double SPEED = 20;
    private static final int MAX_SERIES = 200;
    private static final Duration CONVERGE = Duration.ofMinutes(3);
    private static final String HOST_SILENCE_AFTER = "90s";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalStack stack;
    private StackEndpoints endpoints;
    private AvroSerdes serdes;
    private Topics topics;
    private ClickHouse clickHouse;
    private InsertKillingProxy proxy;
    private ServiceProcess streams;
    private ServiceProcess sink;
    private ServiceProcess remediation;
    private FleetFeed feed;
    private final List<String> hostIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void startPipeline(LocalStack stack) throws Exception {
        this.stack = stack;
        this.endpoints = stack.endpoints();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, java.util.Optional.of(3), (short) 1);
        }
        // Fresh state and logs each run; the logs stay in target/ afterwards, for reading a failure.
        Path work = Path.of("target", "it-pipeline-faults");
        FileTrees.delete(work);
        Files.createDirectories(work);
        serdes = new AvroSerdes(Map.of("schema.registry.url", endpoints.schemaRegistryUrl()));
        topics = new Topics(serdes);
        clickHouse = new ClickHouse(endpoints.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(30));
        proxy = new InsertKillingProxy(stack.clickHouse().httpPort(), "vigil_samples");
        // Registry calls time out after 2 s instead of 10 s, so that the hung-registry test sees failures sooner.
        // host.silence.after longer than the feed's longest pause (a test waiting for ClickHouse to converge, up to about a
        // minute): only the hosts the silence test stops fall silent.
        streams = ServiceProcess.streams(work, endpoints, Map.of("application.id", "vigil-faults-it",
                "max.series.per.host", Integer.toString(MAX_SERIES), "schema.registry.request.timeout.ms", "2000",
                "host.silence.after", HOST_SILENCE_AFTER)).start();
        sink = ServiceProcess.sink(work, endpoints, proxy.url(), Map.of("schema.registry.request.timeout.ms", "2000")).start();
        // Started by the test that needs it fresh; in dry run, it decides and audits every alert (the registry test's by its
        // own rule, the silence test's by the other).
        Path policy = Files.writeString(work.resolve("remediation-policy.yaml"), """
                dry_run: true
                commands:
                  noop: {executable: /bin/true}
                rules:
                  - name: faults-it
                    match: {metric: "faults\\\\.it\\\\..*"}
                    action: {executor: command, name: noop}
                  - name: faults-it-any
                    target_cooldown: 0s
                    action: {executor: command, name: noop}
                """);
        remediation = ServiceProcess.remediation(work, endpoints, Map.of("policy.file", policy.toString(),
                "audit.key", SharedStack.AUDIT_KEY, "schema.registry.request.timeout.ms", "2000"));
        // Four hours of history at 20x real time: the feed stays behind the clock for the whole suite.
        Instant start = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.MINUTES);
        feed = new FleetFeed(new FleetFeed.Options(HOSTS, METRICS, INTERVAL, start, SPEED, false, 17, Duration.ZERO),
                Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()), topics.metrics().valueSerde().serializer());
        feed.alter(batch -> {
            if (hostIds.size() < HOSTS) {
                hostIds.add(batch.getHostId());
            }
            return batch;
        }, (batch, sample) -> true);
        feed.start();
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (feed != null) {
            feed.close();
        }
        for (ServiceProcess service : new ServiceProcess[] {streams, sink, remediation}) {
            if (service != null) {
                service.stop();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
        if (serdes != null) {
            serdes.close();
        }
    }

    @Test
    @Order(1)
    void shouldStoreEverySampleExactlyOnceUndisturbed() throws Exception {
        Eventually.await(Duration.ofMinutes(2), "streams and sink healthy", () -> streams.health().map(ServiceProcess.Health::isUp).orElse(false)
                && sink.health().map(ServiceProcess.Health::isUp).orElse(false));
        Thread.sleep(5_000);

        assertEverySampleStoredExactlyOnce("undisturbed");
    }

    @Test
    @Order(2)
    void shouldLoseNothingWhenTheBrokerStopsAndRestarts() throws Exception {
        stack.kafka().stop();
        Thread.sleep(15_000);
        stack.kafka().start();

        assertEverySampleStoredExactlyOnce("broker stopped 15 s");
        // The clients said so, each in its log, while the broker was away.
        assertThat(streams.output()).contains("could not be established");
        assertThat(sink.output()).contains("could not be established");
    }

    @Test
    @Order(3)
    void shouldScoreEverySampleOnceWhenTheStreamsApplicationIsKilledAndRestarted() throws Exception {
        Thread.sleep(3_000); // mid-stream
        streams.kill();
        assertThat(streams.health()).as("a killed application does not answer /healthz").isEmpty();
        Thread.sleep(5_000);
        streams.start();
        Eventually.await(Duration.ofMinutes(2), "streams healthy", () -> streams.health().map(ServiceProcess.Health::isUp).orElse(false));

        assertEverySampleStoredExactlyOnce("streams application killed (SIGKILL) and restarted");
    }

    @Test
    @Order(4)
    void shouldWriteEveryRowOnceWhenTheSinkDiesBetweenInsertAndCommit() throws Exception {
        proxy.arm(sink::kill);
        assertThat(proxy.awaitFired(Duration.ofMinutes(1))).as("the sink inserted into vigil_samples within a minute").isTrue();
        assertThat(sink.isAlive()).isFalse();

        // The state a crash between insert and commit leaves: ClickHouse holds rows whose offsets Kafka never got.
        Map<Integer, Long> stored = storedMaxOffsets();
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()))) {
            committed = admin.listConsumerGroupOffsets("vigil-sinks").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        }
        assertThat(stored.entrySet()).as("a partition whose stored rows go past its committed offset")
                .anySatisfy(entry -> {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(Topics.SCORES.name(), entry.getKey()));
                    assertThat(entry.getValue()).isGreaterThanOrEqualTo(offset == null ? 0 : offset.offset());
                });

        sink.start();
        assertEverySampleStoredExactlyOnce("sink killed (SIGKILL) between insert and commit");
        assertThat(sink.currentOutput()).containsPattern("vigil\\.scores-\\d: resuming at offset \\d+ \\(ClickHouse holds up to \\d+");
    }

    @Test
    @Order(5)
    void shouldCatchUpWithoutLossWhenClickHouseIsDownForAMinute() throws Exception {
        double scoredBefore = streams.meter("vigil_streams_samples_scored_total");
        long stoppedAt = System.nanoTime();
        stack.clickHouse().stop();
        Eventually.await(Duration.ofSeconds(45), "the sink reports ClickHouse unavailable on /healthz",
                () -> sink.health().map(h -> !h.isUp() && h.body().contains("ClickHouse unavailable")).orElse(false));
        Thread.sleep(Math.max(0, Duration.ofSeconds(60).toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
        assertThat(streams.meter("vigil_streams_samples_scored_total")).as("scoring goes on meanwhile").isGreaterThan(scoredBefore);
        stack.clickHouse().start();
        stack.clickHouse().awaitReady();

        assertEverySampleStoredExactlyOnce("ClickHouse stopped 60 s");
        assertThat(sink.meter("vigil_sink_retries_total")).isPositive();
        assertThat(sink.output()).contains("ClickHouse unavailable", "ClickHouse takes inserts again; resuming");
        assertThat(sink.health()).hasValueSatisfying(health -> assertThat(health.isUp()).isTrue());
    }

    @Test
    @Order(6)
    void shouldDeadLetterNothingAndLoseNothingWhileTheRegistryDoesNotAnswer() throws Exception {
        Map<String, Long> lettersBefore = deadLetters();
        // A hung registry (SIGSTOP): connections are accepted and never answered, so every client waits for its
        // timeouts, the harder case. It comes back with its schemas, as a real registry does after an outage.
        stack.registry().freeze();
        try {
            // Fresh processes know no schema yet: everything they read needs the registry.
            streams.kill();
            sink.kill();
            streams.start();
            sink.start();
            // Each must first get its partitions back (the killed members' sessions lapse) and the streams application
            // restore its wiped state from the changelogs, which grow with the suite: minutes on a busy 2-core machine.
            Eventually.await(Duration.ofSeconds(300), "both services report the registry unreachable",
                    () -> sink.meter("vigil_sink_registry_unavailable_total") > 0
                            && streams.meter("vigil_streams_registry_unavailable_total") + streams.meter("vigil_streams_thread_replacements_total") > 0);
            assertThat(sink.health()).hasValueSatisfying(health -> assertThat(health.body()).contains("schema registry unavailable"));
        } finally {
            stack.registry().thaw();
        }

        assertEverySampleStoredExactlyOnce("schema registry hung (SIGSTOP), both services restarted meanwhile");
        assertThat(deadLetters()).as("no dead letter for a registry outage").isEqualTo(lettersBefore);
        assertThat(sink.currentOutput()).contains("Cannot fetch the writer schema", "Schema registry unavailable");
        assertThat(streams.currentOutput()).contains("Schema registry unavailable");
    }

    @Test
    @Order(7)
    void shouldDecideOnceAndDeadLetterNothingWhenAnAlertArrivesWhileTheRegistryDoesNotAnswer() throws Exception {
        Map<String, Long> lettersBefore = deadLetters();
        Alert alert = Alert.newBuilder().setAlertId("faults-it-registry-1").setFingerprint("faults-it-host/faults.it.registry")
                .setEvent(AlertEvent.OPENED).setScope(AlertScope.SERIES).setSeverity(Severity.CRITICAL).setHostId("faults-it-host")
                .setHostLabels(Map.of()).setMetric("faults.it.registry").setLabels(Map.of()).setStartedAt(Instant.now().minusSeconds(60))
                .setEventTime(Instant.now()).setResolvedAt(null).setValue(1).setExpected(0).setLower(0).setUpper(0.5).setPeakScore(0.95)
                .setLastScore(0.95).setEvidence(List.of()).setSummary("").setLinks(Map.of()).build();
        byte[] encoded = topics.alerts().valueSerde().serializer().serialize(Topics.ALERTS.name(), alert); // while the registry answers
        stack.registry().freeze();
        try {
            // A remediation consumer started now knows no schema: every alert it reads needs the registry.
            remediation.start();
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getHostId(), encoded)).get(30, TimeUnit.SECONDS);
            }
            Eventually.await(Duration.ofSeconds(120), "remediation reports a problem on /healthz",
                    () -> remediation.health().map(health -> !health.isUp()).orElse(false));
            assertThat(remediation.health()).hasValueSatisfying(health -> assertThat(health.body()).contains("schema registry unavailable"));
        } finally {
            stack.registry().thaw();
        }

        Eventually.await(Duration.ofMinutes(2), "the alert decided once the registry answers again", () -> auditOf(alert).size() >= 1);
        Thread.sleep(3_000); // a second decision, were there one, would be audited now
        assertThat(auditOf(alert)).as("one decision, audited once").singleElement()
                .satisfies(record -> assertThat(record.getOutcome()).isEqualTo(AuditOutcome.DRY_RUN));
        assertThat(deadLetters()).as("no dead letter for a registry outage").isEqualTo(lettersBefore);
        assertThat(remediation.meter("vigil_remediation_registry_unavailable_total")).isPositive();
        assertThat(remediation.health()).hasValueSatisfying(health -> assertThat(health.isUp()).isTrue());
        // A fresh consumer first has the registry take the audit schema (its policy load is audited before it decides
        // anything), so it may wait there rather than on the alert's writer schema: either way it waits, and says so.
        assertThat(remediation.currentOutput()).contains("The schema registry answers again; resuming")
                .containsAnyOf("Cannot fetch the writer schema", "Cannot register the audit schema");
        assertEverySampleStoredExactlyOnce("schema registry hung (SIGSTOP) while a fresh remediation consumer reads a new alert");
    }

    private List<AuditRecord> auditOf(Alert alert) {
        return AuditTopic.readAll(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()),
                Map.of("schema.registry.url", endpoints.schemaRegistryUrl())).stream()
                .filter(record -> record.getAlertId().equals(alert.getAlertId())).toList();
    }

    @Test
    @Order(8)
    void shouldDeadLetterABurstOfPoisonRecordsAndKeepEveryGoodSample() throws Exception {
        Map<String, Long> lettersBefore = deadLetters();
        double countedBefore = streams.meter("vigil_streams_dead_letters_total");
        byte[] good = topics.metrics().valueSerde().serializer().serialize(Topics.METRICS.name(), MetricBatch.newBuilder()
                .setHostId("poison-template").setCollectedAt(Instant.now()).setSamples(List.of()).build());
        Random random = new Random(5);
        int perKind = 100;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < perKind; i++) {
                String key = hostIds.get(i % hostIds.size());
                byte[] noise = new byte[20 + random.nextInt(200)];
                random.nextBytes(noise);
                noise[0] = 7; // not the wire format's magic byte
                byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(42).array();
                byte[] truncatedHeader = {0, 0};
                byte[] garbageBody = ByteBuffer.allocate(5 + noise.length).put(good, 0, 5).put(noise).array();
                for (byte[] value : List.of(noise, unknownId, truncatedHeader, garbageBody, new byte[0])) {
                    raw.send(new ProducerRecord<>(Topics.METRICS.name(), key, value));
                }
            }
        }

        assertEverySampleStoredExactlyOnce("burst of " + 5 * perKind + " poison records");
        Map<String, Long> letters = difference(deadLetters(), lettersBefore);
        assertThat(letters).containsEntry("streams/BAD_MAGIC_BYTE", (long) perKind).containsEntry("streams/UNKNOWN_SCHEMA_ID", (long) perKind)
                .containsEntry("streams/TRUNCATED_HEADER", (long) perKind).containsEntry("streams/EMPTY", (long) perKind);
        assertThat(letters.getOrDefault("streams/MALFORMED_BODY", 0L) + letters.getOrDefault("streams/TRUNCATED_BODY", 0L)
                + letters.getOrDefault("streams/TRAILING_BYTES", 0L)).isEqualTo(perKind);
        assertThat(letters.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5L * perKind);
        assertThat(streams.meter("vigil_streams_dead_letters_total") - countedBefore).isEqualTo(5.0 * perKind);
        assertThat(streams.output()).contains("Dead letter from vigil.metrics-", "BAD_MAGIC_BYTE");
    }

    @Test
    @Order(9)
    void shouldRefuseAClockSkewedHostAndTakeItBackOnceItsClockIsRight() throws Exception {
        String skewed = hostIds.get(3);
        AtomicLong skewedBatches = new AtomicLong();
        double countedBefore = streams.meter("vigil_streams_samples_clock_skew_total");
        Map<String, Long> lettersBefore = deadLetters();
        long rowsBefore = rowsOf(skewed);
        feed.alter(batch -> {
            if (batch.getHostId().equals(skewed)) {
                skewedBatches.incrementAndGet();
                return FleetFeed.copy(batch, batch.getCollectedAt().plus(Duration.ofDays(1)), batch.getSamples()); // a day ahead
            }
            return batch;
        }, (batch, sample) -> !batch.getHostId().equals(skewed));
        Thread.sleep(6_000);
        feed.clearAlteration();
        Thread.sleep(4_000);

        assertEverySampleStoredExactlyOnce("host " + skewed + " a day ahead for " + skewedBatches.get() + " batches");
        assertThat(skewedBatches.get()).isGreaterThanOrEqualTo(5);
        assertThat(difference(deadLetters(), lettersBefore)).containsOnly(Map.entry("streams/CLOCK_SKEW", skewedBatches.get()));
        assertThat(streams.meter("vigil_streams_samples_clock_skew_total") - countedBefore).isEqualTo(skewedBatches.get() * METRICS);
        assertThat(streams.output()).contains("CLOCK_SKEW", "ahead of this application's clock");
        assertThat(rowsOf(skewed)).as("the host's samples are taken again once its clock is right").isGreaterThan(rowsBefore);
    }

    @Test
    @Order(10)
    void shouldCapACardinalityExplosionAtTheHostsSeriesLimit() throws Exception {
        String exploding = hostIds.get(5);
        int factor = 100;
        AtomicLong explodedBatches = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Set<String> knownSeries = ConcurrentHashMap.newKeySet();
        AtomicReference<MetricBatch> lastAltered = new AtomicReference<>();
        double refusedBefore = streams.meter("vigil_streams_series_refused_total");
        Map<String, Long> lettersBefore = deadLetters();
        feed.alter(batch -> {
            if (!batch.getHostId().equals(exploding)) {
                return batch;
            }
            explodedBatches.incrementAndGet();
            List<Sample> samples = new ArrayList<>(batch.getSamples());
            for (Sample sample : batch.getSamples()) {
                for (int copy = 1; copy < factor; copy++) {
                    Map<String, String> labels = new HashMap<>(sample.getLabels());
                    labels.put("request_id", "r" + copy); // the classic mistake: an unbounded label
                    samples.add(Sample.newBuilder(sample).setLabels(labels).setValue(sample.getValue() + copy).build());
                }
            }
            MetricBatch exploded = FleetFeed.copy(batch, batch.getCollectedAt(), samples);
            lastAltered.set(exploded);
            return exploded;
        }, (batch, sample) -> {
            if (!batch.getHostId().equals(exploding)) {
                return true;
            }
            // The application keeps a host's first MAX_SERIES series, in the order it meets them.
            String series = sample.getName() + new java.util.TreeMap<>(sample.getLabels());
            if (knownSeries.contains(series) || knownSeries.size() < MAX_SERIES) {
                knownSeries.add(series);
                return true;
            }
            refused.incrementAndGet();
            return false;
        });
        Thread.sleep(6_000);
        feed.clearAlteration();

        assertEverySampleStoredExactlyOnce("host " + exploding + " sending " + factor + "x series for " + explodedBatches.get() + " batches");
        assertThat(explodedBatches.get()).isGreaterThanOrEqualTo(5);
        assertThat(lastAltered.get().getSamples()).hasSize(METRICS * factor);
        assertThat(difference(deadLetters(), lettersBefore)).containsOnly(Map.entry("streams/TOO_MANY_SERIES", explodedBatches.get()));
        assertThat(streams.meter("vigil_streams_series_refused_total") - refusedBefore).isEqualTo(refused.get());
        assertThat(Long.parseLong(clickHouse.lines("SELECT uniqExact(series_id) FROM vigil.vigil_samples WHERE host_id = '"
                + exploding + "'").get(0))).isEqualTo(MAX_SERIES);
    }

    @Test
    @Order(11)
    void shouldMarkASilencedHostsAlertsAndRaiseHostSilentForHostsThatStopButNotForARetiredOne() throws Exception {
        if (!remediation.isAlive()) {
            remediation.start(); // run alone, without the registry test that starts it
        }
        Eventually.await(Duration.ofMinutes(2), "the fleet's hosts known and the streams application healthy",
                () -> hostIds.size() == HOSTS && streams.health().map(ServiceProcess.Health::isUp).orElse(false));
        String silenced = hostIds.get(7);
        String dead = hostIds.get(8);
        String retired = hostIds.get(9);
        Set<String> watched = Set.of(silenced, dead, retired);
        // The spike below alerts only on a series past learning: at once after the earlier tests, a minute or so when run alone.
        Eventually.await(Duration.ofMinutes(3), "the silenced host's series learnt", () -> learnt(silenced));
        Instant started = Instant.now();
        List<Alert> before = allAlerts(); // a host's earlier alerts, if it had any, are not this test's
        // A maintenance window over the streams application's HTTP API, as an operator makes one.
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(streams.uri("/v1/silences")).POST(HttpRequest.BodyPublishers.ofString(
                "{\"hosts\": [\"" + silenced + "\"], \"duration\": \"1h\", \"author\": \"faults-it\", \"reason\": \"planned maintenance\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String silenceId = JSON.readTree(created.body()).get("silenceId").asText();
        Eventually.await(Duration.ofSeconds(30), "the silence in the streams application's global store",
                () -> status(streams.uri("/v1/silences/" + silenceId)) == 200);
        try (KafkaProducer<String, HostRetirement> retirements = new KafkaProducer<>(Map.of("bootstrap.servers",
                endpoints.kafkaBootstrapServers()), new StringSerializer(), topics.retiredHosts().valueSerde().serializer())) {
            retirements.send(new ProducerRecord<>(Topics.RETIRED_HOSTS.name(), retired,
                    new HostRetirement(retired, true, "faults-it", "decommissioned", Instant.now()))).get(30, TimeUnit.SECONDS);
        }
        // The silenced host sends one spike (an anomaly alert, under the silence), then it and two others stop reporting.
        AtomicBoolean spiked = new AtomicBoolean();
        feed.alter(batch -> {
            if (batch.getHostId().equals(silenced) && spiked.compareAndSet(false, true)) {
                List<Sample> samples = new ArrayList<>(batch.getSamples());
                samples.set(0, Sample.newBuilder(samples.get(0)).setValue(samples.get(0).getValue() * 100 + 1000).build());
                return FleetFeed.copy(batch, batch.getCollectedAt(), samples);
            }
            return watched.contains(batch.getHostId()) ? null : batch;
        }, (batch, sample) -> true);
        long stopped = System.nanoTime();
        alertsOf(watched, alerts -> hostSilent(alerts, AlertEvent.OPENED).size() >= 2);
        double silentAfter = (System.nanoTime() - stopped) / 1e9;
        Thread.sleep(10_000); // the retired host stopped with the others: were it to alert, it would have by now
        feed.clearAlteration();
        List<Alert> alerts = new ArrayList<>(alertsOf(watched, list -> hostSilent(list, AlertEvent.RESOLVED).size() >= 2));
        alerts.removeAll(before);
        Eventually.await(Duration.ofMinutes(1), "the silence, the retirement and the alerts audited",
                () -> auditOf(watched, silenceId, started).size() >= 5);
        List<AuditRecord> audit = auditOf(watched, silenceId, started);
        assertEverySampleStoredExactlyOnce("hosts " + watched + " silent " + Math.round(silentAfter) + " s");
        long others = allAlerts().stream().filter(a -> a.getKind() == AlertKind.HOST_SILENT && !watched.contains(a.getHostId())
                && a.getEvent() == AlertEvent.OPENED).count();
        System.out.printf("HOST_SILENT opened %.1f s after the hosts stopped (host.silence.after %s); HOST_SILENT of other hosts over the "
                + "suite: %d%n", silentAfter, HOST_SILENCE_AFTER, others);

        assertThat(spiked).isTrue();
        assertThat(silentAfter).as("seconds from stopping to HOST_SILENT").isBetween(90.0, 120.0);
        assertThat(alerts).filteredOn(a -> a.getKind() == AlertKind.HOST_SILENT)
                .extracting(Alert::getHostId, Alert::getEvent, Alert::getSilencedBy).containsExactlyInAnyOrder(
                        tuple(silenced, AlertEvent.OPENED, silenceId), tuple(silenced, AlertEvent.RESOLVED, silenceId),
                        tuple(dead, AlertEvent.OPENED, null), tuple(dead, AlertEvent.RESOLVED, null));
        assertThat(alerts).filteredOn(a -> a.getKind() == AlertKind.ANOMALY && a.getHostId().equals(silenced) && a.getEvent() == AlertEvent.OPENED)
                .isNotEmpty().allSatisfy(a -> assertThat(a.getSilencedBy()).isEqualTo(silenceId));
        assertThat(alerts).as("the retired host raises nothing").noneMatch(a -> a.getHostId().equals(retired) && a.getKind() == AlertKind.HOST_SILENT);
        // Remediation: never for the silenced host's alerts; as usual (here: a dry run) for the other silent host.
        assertThat(audit).filteredOn(r -> r.getHostId().equals(silenced) && r.getOutcome() != AuditOutcome.SILENCE_ADDED).isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.getOutcome()).isEqualTo(AuditOutcome.SUPPRESSED);
                    assertThat(r.getGuard()).isEqualTo("silence");
                });
        // Only its HOST_SILENT is this test's: the simulated host may raise an anomaly of its own before it stops.
        Set<String> deadHostSilent = alerts.stream().filter(a -> a.getHostId().equals(dead) && a.getKind() == AlertKind.HOST_SILENT)
                .map(Alert::getAlertId).collect(Collectors.toSet());
        assertThat(audit).filteredOn(r -> deadHostSilent.contains(r.getAlertId())).extracting(AuditRecord::getOutcome)
                .containsExactly(AuditOutcome.DRY_RUN);
        assertThat(audit).filteredOn(r -> r.getAlertId().equals(silenceId)).extracting(AuditRecord::getOutcome, AuditRecord::getActor)
                .containsExactly(tuple(AuditOutcome.SILENCE_ADDED, "faults-it"));
        assertThat(audit).filteredOn(r -> r.getHostId().equals(retired)).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.HOST_RETIRED);
        // Shown: ClickHouse holds the alerts with their kind and silence, for the dashboards.
        Eventually.await(Duration.ofMinutes(1), "the silenced host's HOST_SILENT alerts in ClickHouse", () -> clickHouse.lines(
                "SELECT count() FROM vigil.vigil_alerts WHERE host_id = '" + silenced + "' AND kind = 'HOST_SILENT' AND silenced_by = '"
                        + silenceId + "'").get(0).equals("2"));
        assertThat(streams.scrape(Pattern.compile("vigil_streams_alerts_total\\{[^}]*kind=\"HOST_SILENT\"[^}]*silenced=\"true\"[^}]*} (\\S+)")))
                .isEqualTo(2);
    }

    /** Whether every series of {@code host} is past learning, as the streams application's query API says. */
    private boolean learnt(String host) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(streams.uri("/v1/hosts/" + host)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return false;
            }
            JsonNode series = JSON.readTree(answer.body()).get("series");
            for (JsonNode one : series) {
                if (!one.has("learning") || one.get("learning").asBoolean()) {
                    return false;
                }
            }
            return series.size() == METRICS;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The status of a GET, or -1 while the service does not answer. */
    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<Alert> hostSilent(List<Alert> alerts, AlertEvent event) {
        return alerts.stream().filter(a -> a.getKind() == AlertKind.HOST_SILENT && a.getEvent() == event).toList();
    }

    /** The alerts of {@code hosts} on vigil.alerts, read until {@code done} holds for them (or 4 minutes). */
    private List<Alert> alertsOf(Set<String> hosts, Predicate<List<Alert>> done) {
        List<Alert> alerts = new ArrayList<>();
        TopicReader.of(endpoints.kafkaBootstrapServers(), Topics.ALERTS.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                new ByteArrayDeserializer()).readUntil(records -> {
                    alerts.clear();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (hosts.contains(record.key())) {
                            // Decoded here, not by the reader's consumer, whose close would close the shared serdes.
                            alerts.add(topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                        }
                    }
                    return done.test(alerts);
                }, Duration.ofMinutes(4), Duration.ZERO);
        return List.copyOf(alerts);
    }

    /** Every alert on vigil.alerts so far. */
    private List<Alert> allAlerts() {
        return TopicReader.of(endpoints.kafkaBootstrapServers(), Topics.ALERTS.name(), IsolationLevel.READ_COMMITTED, new StringDeserializer(),
                new ByteArrayDeserializer()).readToEnd(Duration.ofSeconds(30)).stream()
                .map(record -> topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value())).toList();
    }

    /** The audit records about {@code hosts} or the silence since {@code since}. */
    private List<AuditRecord> auditOf(Set<String> hosts, String silenceId, Instant since) {
        return AuditTopic.readAll(Map.of("bootstrap.servers", endpoints.kafkaBootstrapServers()),
                Map.of("schema.registry.url", endpoints.schemaRegistryUrl())).stream()
                .filter(record -> (hosts.contains(record.getHostId()) || record.getAlertId().equals(silenceId))
                        && !record.getTimestamp().isBefore(since)).toList();
    }

    /**
     * Pauses the feed and waits until ClickHouse holds what it sent (that the pipeline should store), then checks
     * count, distinct (host, series, time) and sum against the ledger; resumes the feed.
     */
    private void assertEverySampleStoredExactlyOnce(String fault) throws Exception {
        long paused = System.nanoTime();
        FleetFeed.Ledger ledger = feed.pause();
        try {
            long deadline = System.nanoTime() + CONVERGE.toNanos();
            for (String held = storedSummary(); Long.parseLong(held.split("\t")[0]) < ledger.expectedSamples(); held = storedSummary()) {
                assertThat(System.nanoTime()).as("ClickHouse to hold %,d samples within %s after: %s; it holds (count, distinct, sum) %s"
                        + "%nstreams: %s%nsink: %s", ledger.expectedSamples(), CONVERGE, fault, held, streams, sink).isLessThan(deadline);
                Thread.sleep(500);
            }
            double converged = (System.nanoTime() - paused) / 1e9;
            Thread.sleep(2_000); // a duplicate, were there one, would land now
            String[] stored = storedSummary().split("\t");
            System.out.printf("%s: %,d samples sent, %,d to store; ClickHouse holds %s rows, %s distinct; converged %.1f s after the pause%n",
                    fault, ledger.sentSamples(), ledger.expectedSamples(), stored[0], stored[1], converged);
            assertThat(Long.parseLong(stored[0])).as("rows after: " + fault).isEqualTo(ledger.expectedSamples());
            assertThat(Long.parseLong(stored[1])).as("distinct samples after: " + fault).isEqualTo(ledger.expectedSamples());
            assertThat(Double.parseDouble(stored[2])).as("sum of values after: " + fault)
                    .isCloseTo(ledger.expectedSum(), org.assertj.core.data.Percentage.withPercentage(1e-7));
        } finally {
            feed.resume();
        }
    }

    private long rowsOf(String host) {
        return Long.parseLong(clickHouse.lines("SELECT count() FROM vigil.vigil_samples WHERE host_id = '" + host + "'").get(0));
    }

    private String storedSummary() {
        return clickHouse.lines("SELECT count(), uniqExact(host_id, series_id, time_ms), sum(value) FROM vigil.vigil_samples").get(0);
    }

    private Map<Integer, Long> storedMaxOffsets() {
        Map<Integer, Long> offsets = new HashMap<>();
        for (String line : clickHouse.lines("SELECT " + SinkTable.PARTITION_COLUMN + ", max(" + SinkTable.OFFSET_COLUMN
                + ") FROM vigil.vigil_samples GROUP BY " + SinkTable.PARTITION_COLUMN)) {
            String[] fields = line.split("\t");
            offsets.put(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
        }
        return offsets;
    }

    /** Every dead letter so far, counted by stage/reason. */
    private Map<String, Long> deadLetters() {
        Map<String, Long> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.of(endpoints.kafkaBootstrapServers(), Topics.DEAD_LETTERS.name(),
                IsolationLevel.READ_COMMITTED, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readToEnd(Duration.ofSeconds(30))) {
            // Decoded here, not by the reader's consumer, whose close would close the shared serdes.
            DeadLetter letter = topics.deadLetters().valueSerde().deserializer().deserialize(record.topic(), record.value());
            counts.merge(letter.getStage() + "/" + letter.getReason(), 1L, Long::sum);
        }
        return counts;
    }

    private static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> difference = new HashMap<>();
        after.forEach((key, count) -> {
            long added = count - before.getOrDefault(key, 0L);
            if (added != 0) {
                difference.put(key, added);
            }
        });
        return difference;
    }
}
