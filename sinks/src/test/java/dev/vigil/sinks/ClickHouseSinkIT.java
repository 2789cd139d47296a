package dev.vigil.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.sinks.clickhouse.SchemaMigrations;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * The sink against the real local broker, registry and clickhouse-server 18.16: every topic lands with the
 * values produced; a lost offset commit, a sink killed with SIGKILL mid-stream three times, ClickHouse down
 * for 30 s and a row ClickHouse refuses each leave exactly one copy of every good row. {@code ClickHouseSinkContainerIT} runs the first test on a current
 * ClickHouse where Docker exists.
 */
@ExtendWith(LocalStackExtension.class)
class ClickHouseSinkIT {

    private static final Duration LANDING = Duration.ofSeconds(60);

    @Test
    void shouldWriteEveryTopicToItsTableWithTheValuesProduced(StackEndpoints stack) throws Exception {
        try (SinkFixture fixture = new SinkFixture(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl(), "it_every")) {
            shouldWriteEveryTopic(fixture);
        }
    }

    /** Shared with the Testcontainers twin. */
    static void shouldWriteEveryTopic(SinkFixture fixture) throws Exception {
        List<ScoreBatch> batches = IntStream.range(0, 120).mapToObj(i -> SinkFixture.scoreBatch("web-" + (i % 6), i, 50)).toList();
        fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(), batches, ScoreBatch::getHostId);
        fixture.produceRaw(Topics.SCORES.name(), "web-0", "not avro".getBytes(StandardCharsets.UTF_8));
        fixture.produce(Topics.ROLLUPS.name(), fixture.topics.rollups().valueSerde().serializer(),
                IntStream.range(0, 40).mapToObj(i -> SinkFixture.rollup("web-" + (i % 3), i)).toList(), r -> r.getHostId());
        fixture.produce(Topics.FORECASTS.name(), fixture.topics.forecasts().valueSerde().serializer(),
                IntStream.range(0, 30).mapToObj(i -> SinkFixture.forecast("web-1", i)).toList(), f -> f.getHostId());
        fixture.produce(Topics.ALERTS.name(), fixture.topics.alerts().valueSerde().serializer(),
                IntStream.range(0, 9).mapToObj(i -> SinkFixture.alert("web-2", i)).toList(), Alert::getHostId);
        fixture.produce(Topics.REMEDIATION_AUDIT.name(), fixture.topics.remediationAudit().valueSerde().serializer(),
                IntStream.rangeClosed(1, 5).mapToObj(SinkFixture::audit).toList(), a -> "chain");

        try (SinkApp sink = SinkApp.start(fixture.config(Map.of()))) {
            SinkFixture.await(LANDING, "every row in ClickHouse", () -> fixture.count("vigil_samples") == 6000
                    && fixture.count("vigil_rollups") == 40 && fixture.count("vigil_forecasts") == 30
                    && fixture.count("vigil_alerts") == 9 && fixture.count("vigil_remediation_audit") == 5);
            assertThat(sink.problem()).isNull();
        }

        String db = fixture.database;
        double valueSum = batches.stream().flatMap(b -> b.getScores().stream()).mapToDouble(s -> s.getValue()).sum();
        String[] totals = fixture.one("SELECT count(), uniqExact(series_id, time_ms), sum(value), sum(learning), countIf(score > 0.5)"
                + " FROM " + db + ".vigil_samples").split("\t");
        assertThat(totals[0]).as("rows").isEqualTo("6000");
        assertThat(totals[1]).as("distinct samples").isEqualTo("6000");
        assertThat(Double.parseDouble(totals[2])).as("sum of values").isCloseTo(valueSum, Offset.offset(1e-6));
        assertThat(totals[3]).as("learning samples").isEqualTo("100");
        assertThat(totals[4]).as("anomalous samples").isEqualTo("120");
        assertThat(fixture.one("SELECT host_id, metric, labels.key, labels.value, series_id, time, time_ms, value, expected, lower, upper, score"
                + " FROM " + db + ".vigil_samples WHERE series_id = 'web-1-3' AND time_ms = " + SinkFixture.T0.plusSeconds(70).toEpochMilli()))
                .isEqualTo("web-1\tsystem.cpu.utilization\t['cpu']\t['3']\tweb-1-3\t" + SinkFixture.clickHouseTime(SinkFixture.T0.plusSeconds(70)) + "\t" + SinkFixture.T0.plusSeconds(70).toEpochMilli()
                        + "\t7.03\t7\t6\t8\t0.1");
        assertThat(fixture.one("SELECT countIf(reason = 'STUCK'), countIf(reason = ''), sum(reason_observed), max(reason_basis_days)"
                + " FROM " + db + ".vigil_samples")).as("reasons: the anomalous sample of each batch is stuck").isEqualTo("120\t5880\t1680\t6.5");
        assertThat(fixture.one("SELECT reason, reason_observed, reason_usual_low, reason_usual_high, reason_text, evidence_reason FROM " + db
                + ".vigil_alerts WHERE alert_id = 'web-2-alert-0' AND event = 'OPENED'"))
                .isEqualTo("OUT_OF_RANGE\t0.97\t0.1\t0.6\t0.97 is above everything seen in 3 days (0.1 to 0.6)\t['OUT_OF_RANGE']");
        assertThat(fixture.one("SELECT sum(count), sum(p95), countIf(resolution = 'HOUR') FROM " + db + ".vigil_rollups"))
                .as("counts, p95 (the sum of i + 4.75 for i < 40) and hour windows").isEqualTo("240\t970\t20");
        assertThat(fixture.one("SELECT sum(expected), min(target_time) FROM " + db + ".vigil_forecasts")).isEqualTo("435\t" + SinkFixture.clickHouseTime(SinkFixture.T0.plusSeconds(900)));
        assertThat(fixture.one("SELECT event, scope, severity, host_labels.value, resolved_at, evidence_series_id, evidence_score, summary"
                + " FROM " + db + ".vigil_alerts WHERE alert_id = 'web-2-alert-0' ORDER BY event_time").split("\t"))
                .containsExactly("OPENED", "SERIES", "CRITICAL", "['web']", "\\N", "['web-2-0']", "[0.93]", "cpu on web-2 is 0.97");
        assertThat(fixture.one("SELECT countIf(resolved_at IS NOT NULL) FROM " + db + ".vigil_alerts")).isEqualTo("3");
        assertThat(fixture.one("SELECT groupArray(sequence), any(outcome), any(guard) FROM (SELECT * FROM " + db
                + ".vigil_remediation_audit ORDER BY sequence)")).isEqualTo("[1,2,3,4,5]\tDRY_RUN\t");

        List<DeadLetter> letters = fixture.deadLetters(1);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getReason()).isEqualTo("BAD_MAGIC_BYTE");
        assertThat(letters.get(0).getSourceTopic()).isEqualTo(Topics.SCORES.name());
        assertThat(letters.get(0).getStage()).isEqualTo("sinks");
    }

    @Test
    void shouldResumeAfterTheHighestStoredOffsetWhenItsCommitWasLost(StackEndpoints stack) throws Exception {
        try (SinkFixture fixture = new SinkFixture(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl(), "it_resume");
             Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            SinkConfig config = fixture.config(Map.of("tables", "vigil_samples"));
            List<ScoreBatch> first = IntStream.range(0, 90).mapToObj(i -> SinkFixture.scoreBatch("db-" + (i % 9), i, 20)).toList();
            fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(), first, ScoreBatch::getHostId);
            try (SinkApp sink = SinkApp.start(config)) {
                SinkFixture.await(LANDING, "the first 1,800 rows", () -> fixture.count("vigil_samples") == 1800);
                assertThat(sink.problem()).isNull();
            }
            // What a crash between the insert and the offset commit leaves behind: ClickHouse has the rows,
            // Kafka's committed offsets do not know it.
            Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                rewound.put(new TopicPartition(Topics.SCORES.name(), partition), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(config.groupId(), rewound).all().get();

            List<ScoreBatch> second = IntStream.range(90, 150).mapToObj(i -> SinkFixture.scoreBatch("db-" + (i % 9), i, 20)).toList();
            fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(), second, ScoreBatch::getHostId);
            try (SinkApp sink = SinkApp.start(config)) {
                SinkFixture.await(LANDING, "all 3,000 rows", () -> fixture.count("vigil_samples") >= 3000);
                Thread.sleep(1500); // room for a duplicate to show up, if the sink were to write one
                assertThat(sink.problem()).isNull();
            }

            assertThat(fixture.one("SELECT count(), uniqExact(series_id, time_ms), uniqExact(kafka_partition, kafka_offset) FROM "
                    + fixture.database + ".vigil_samples")).as("exactly one copy of every row").isEqualTo("3000\t3000\t150");
        }
    }

    @Test
    void shouldLeaveExactlyOneCopyOfEveryRowWhenKilledWithSigkillMidStream(StackEndpoints stack) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-sink-kill")); // kept: the sinks' logs are in it
        try (SinkFixture fixture = new SinkFixture(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl(), "it_kill")) {
            Path config = dir.resolve("sink.properties");
            Files.writeString(config, String.join("\n",
                    "kafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                    "schema.registry.url=" + stack.schemaRegistryUrl(),
                    "clickhouse.url=" + stack.clickHouseHttpUrl(),
                    "clickhouse.database=" + fixture.database,
                    "tables=vigil_samples",
                    "group.id=sink-" + fixture.database,
                    "batch.interval=50ms", // many small flushes, so a kill lands between inserts and commits
                    "kafka.session.timeout.ms=6000", // the group notices a killed member sooner than the default 45 s
                    "http.port=0"));
            SchemaMigrations.apply(fixture.clickHouse, new SchemaMigrations.Context(fixture.database, SinkConfig.from(
                    ConfigSource.of(Map.of("kafka.bootstrap.servers", "unused:9092", "schema.registry.url", "http://unused")))
                    .retention()));
            List<ScoreBatch> batches = IntStream.range(0, 600).mapToObj(i -> SinkFixture.scoreBatch("k8s-" + (i % 12), i, 40)).toList();
            Thread producer = new Thread(() -> { // a stream over about 30 s, so every kill lands in the middle of it
                for (int from = 0; from < batches.size(); from += 20) {
                    fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(),
                            batches.subList(from, from + 20), ScoreBatch::getHostId);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "it-producer");
            producer.start();

            List<Long> rowsAtKill = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                long landedBefore = fixture.count("vigil_samples");
                Process sink = startSink(config, dir.resolve("sink-" + kill + ".log"));
                try {
                    SinkFixture.await(LANDING, "rows landing", () -> fixture.count("vigil_samples") > landedBefore);
                    Thread.sleep(300 + 400L * kill);
                } finally {
                    sink.destroyForcibly().waitFor(); // SIGKILL: no flush, no commit, no goodbye to the group
                }
                rowsAtKill.add(fixture.count("vigil_samples"));
            }
            producer.join();
            Process last = startSink(config, dir.resolve("sink-last.log"));
            try {
                SinkFixture.await(LANDING, "all 24,000 rows", () -> fixture.count("vigil_samples") >= 24_000);
                Thread.sleep(1500); // room for a duplicate to show up, if the sink were to write one
            } finally {
                last.destroy();
                last.waitFor();
            }

            assertThat(rowsAtKill).as("killed while rows were streaming in").allMatch(rows -> rows > 0 && rows < 24_000);
            double valueSum = batches.stream().flatMap(b -> b.getScores().stream()).mapToDouble(AnomalyScore::getValue).sum();
            String[] totals = fixture.one("SELECT count(), uniqExact(series_id, time_ms), sum(value) FROM " + fixture.database
                    + ".vigil_samples").split("\t");
            assertThat(totals[0]).as("rows").isEqualTo("24000");
            assertThat(totals[1]).as("distinct samples: no duplicate").isEqualTo("24000");
            assertThat(Double.parseDouble(totals[2])).as("checksum: sum of values").isCloseTo(valueSum, Offset.offset(1e-6));
        }
    }

    private static HttpResponse<String> http(SinkApp sink, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + sink.httpAddress() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Process startSink(Path config, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), SinkApp.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void shouldLoseNothingWhileClickHouseIsDownFor30Seconds(LocalStack stack) throws Exception {
        StackEndpoints endpoints = stack.endpoints();
        try (SinkFixture fixture = new SinkFixture(endpoints.kafkaBootstrapServers(), endpoints.schemaRegistryUrl(),
                endpoints.clickHouseHttpUrl(), "it_outage");
             SinkApp sink = SinkApp.start(fixture.config(Map.of("tables", "vigil_samples", "retry.max.backoff", "2s")))) {
            fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(),
                    IntStream.range(0, 60).mapToObj(i -> SinkFixture.scoreBatch("app-" + (i % 4), i, 25)).toList(), ScoreBatch::getHostId);
            SinkFixture.await(LANDING, "the rows before the outage", () -> fixture.count("vigil_samples") == 1500);

            stack.clickHouse().stop();
            try {
                fixture.produce(Topics.SCORES.name(), fixture.topics.scores().valueSerde().serializer(),
                        IntStream.range(60, 200).mapToObj(i -> SinkFixture.scoreBatch("app-" + (i % 4), i, 25)).toList(), ScoreBatch::getHostId);
                SinkFixture.await(Duration.ofSeconds(20), "the sink to notice", () -> sink.problem() != null);
                assertThat(sink.problem()).startsWith("ClickHouse unavailable");
                HttpResponse<String> down = http(sink, "/healthz");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("\"status\":\"DOWN\"", "ClickHouse unavailable");
                Thread.sleep(30_000);
            } finally {
                stack.clickHouse().start();
                stack.clickHouse().awaitReady();
            }

            SinkFixture.await(LANDING, "every row after the outage", () -> fixture.count("vigil_samples") >= 5000);
            SinkFixture.await(Duration.ofSeconds(10), "the sink to report healthy", () -> sink.problem() == null);
            assertThat(http(sink, "/healthz").statusCode()).isEqualTo(200);
            assertThat(http(sink, "/metrics").body()).contains("vigil_sink_rows_total{table=\"vigil_samples\"} 5000.0",
                    "vigil_sink_retries_total", "kafka_consumer_fetch_manager_records_lag");
            assertThat(fixture.one("SELECT count(), uniqExact(series_id, time_ms) FROM " + fixture.database + ".vigil_samples"))
                    .isEqualTo("5000\t5000");
            assertThat(sink.metrics().get("vigil.sink.retries").counter().count()).isPositive();
        }
    }

    @Test
    void shouldDeadLetterARecordClickHouseRefusesAndWriteTheRestOfItsBatch(StackEndpoints stack) throws Exception {
        try (SinkFixture fixture = new SinkFixture(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl(), "it_poison")) {
            SinkConfig config = fixture.config(Map.of("tables", "vigil_alerts", "batch.interval", "2s"));
            SchemaMigrations.apply(fixture.clickHouse, new SchemaMigrations.Context(config.database(), config.retention()));
            // The server refuses any row of host 'poison-host', as a CHECK constraint would on a current server.
            fixture.clickHouse.execute("ALTER TABLE " + fixture.database + ".vigil_alerts ADD COLUMN guard UInt8 MATERIALIZED throwIf(host_id = 'poison-host')");
            List<Alert> alerts = IntStream.range(0, 30).mapToObj(i -> SinkFixture.alert(i == 17 ? "poison-host" : "web-" + (i % 5), i)).toList();
            fixture.produce(Topics.ALERTS.name(), fixture.topics.alerts().valueSerde().serializer(), alerts, a -> "one-partition");

            try (SinkApp sink = SinkApp.start(config)) {
                SinkFixture.await(LANDING, "the 29 good alerts", () -> fixture.count("vigil_alerts") == 29);
                List<DeadLetter> letters = fixture.deadLetters(1);
                assertThat(letters).hasSize(1);
                DeadLetter letter = letters.get(0);
                assertThat(letter.getReason()).isEqualTo("REFUSED_BY_CLICKHOUSE");
                assertThat(letter.getMessage()).contains("vigil_alerts");
                Alert refused = fixture.topics.alerts().valueSerde().deserializer().deserialize(Topics.ALERTS.name(), letter.getValue().array());
                assertThat(refused.getHostId()).isEqualTo("poison-host");
                assertThat(sink.metrics().get("vigil.sink.records.refused").counter().count()).isEqualTo(1);
            }
            assertThat(fixture.one("SELECT count(), countIf(host_id = 'poison-host'), uniqExact(kafka_offset) FROM "
                    + fixture.database + ".vigil_alerts")).isEqualTo("29\t0\t29");
        }
    }
}
