package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.avro.MetricBatch;
import dev.vigil.avro.MetricKind;
import dev.vigil.avro.Sample;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.streams.StreamsApp;
import dev.vigil.streams.StreamsAppConfig;
import dev.vigil.streams.alerts.AlertPolicy;

/**
 * Every ClickHouse query of every dashboard in grafana/dashboards, expanded the way the Grafana ClickHouse
 * plugin expands its macros, run against the real local ClickHouse on data the pipeline itself wrote: a
 * simulated fleet with injected anomalies, and one host whose series goes stuck, through the streams application,
 * the sink and remediation (dry run). Each query must run and return rows with the columns its panel expects; and
 * the stuck series' reason must come through from its score to its alert, to ClickHouse and to the anomalies
 * dashboard.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int TICKS = 720;
    private static final String STUCK_HOST = "stuck-host";
    /** A training job's run reporting over OTLP (its service.instance.id), as the gateway maps it: the jobs dashboard's. */
    private static final String JOB_HOST = "train-resnet-42";
    /** The simulated hosts, the stuck host, the leak host and the job. */
    private static final int HOSTS = 7;
    /** A host whose root filesystem fills: three days of history, then a leak that reaches 1 an hour after now. */
    private static final String LEAK_HOST = "leak-host";
    /** The stuck host's series reads noise until this tick, then 0.364 to the end. */
    private static final int STUCK_FROM = 600;
    private static final Path DASHBOARDS = Path.of("..", "grafana", "dashboards");

    private StreamsApp streams;
    private SinkApp sink;
    private RemediationService remediation;
    private ClickHouse clickHouse;
    private Instant start;
    private int samples;

    @BeforeAll
    void runThePipeline(StackEndpoints stack, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(2), (short) 1);
        }
        start = Instant.now().minus(INTERVAL.multipliedBy(TICKS)).truncatedTo(ChronoUnit.MINUTES);
        FleetSimulator simulator = new FleetSimulator(new FleetSimulator.Options(4, 25, 21, start, INTERVAL, Duration.ofHours(2),
                Duration.ofHours(4)));
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: true
                rules:
                  - name: restart-on-cpu
                    match: {metric: "system\\\\.cpu\\\\..*"}
                    target_cooldown: 1h
                    action: {executor: host-agent, name: restart, parameters: {unit: "{{host_id}}"}}
                  - name: ask-about-the-rest
                    approval: true
                    action: {executor: host-agent, name: inspect}
                """);
        Map<String, String> kafka = Map.of("kafka.bootstrap.servers", stack.kafkaBootstrapServers(), "schema.registry.url", stack.schemaRegistryUrl());
        streams = StreamsApp.start(StreamsAppConfig.from(ConfigSource.of(with(kafka, "state.dir", dir.resolve("streams").toString(),
                "http.port", "0", "commit.interval", "100ms"))));
        sink = SinkApp.start(SinkCommand.devConfig(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl()));
        remediation = RemediationService.start(RemediationConfig.from(ConfigSource.of(with(kafka,
                "policy.file", policy.toString(), "audit.key", AuditVerifyIT.KEY, "http.port", "0",
                "audit.checkpoints.file", dir.resolve("checkpoints").toString()))));
        clickHouse = new ClickHouse(stack.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(30));
        SplittableRandom noise = new SplittableRandom(3);
        SplittableRandom jobNoise = new SplittableRandom(5);
        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, MetricBatch> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                     "linger.ms", 20), new StringSerializer(), new Topics(serdes).metrics().valueSerde().serializer())) {
            // In time order, as collectors would send them: a partition's stream time is its newest sample, so the leak host's
            // last minutes sent first would make every host sharing its partition too late for rollups and forecasts.
            List<MetricBatch> batches = new ArrayList<>(leakHostBatches());
            for (int tick = 0; tick < TICKS; tick++) {
                batches.addAll(simulator.nextTick(anomaly -> { }));
                batches.add(stuckHostBatch(tick, tick < STUCK_FROM ? 0.2 + 0.4 * noise.nextDouble() : 0.364));
                batches.add(jobBatch(tick, jobNoise));
            }
            batches.sort(Comparator.comparing(MetricBatch::getCollectedAt)); // stable: a host's batches keep their order
            for (MetricBatch batch : batches) {
                producer.send(new ProducerRecord<>(Topics.METRICS.name(), batch.getHostId(), batch));
                samples += batch.getSamples().size();
            }
        }
        int expected = samples;
        Eventually.await(Duration.ofSeconds(180), "every sample, alert, rollup, forecast and audit record in ClickHouse", () -> count("vigil_samples") == expected
                && count("vigil_alerts") > 0 && hosts("vigil_rollups") == HOSTS && hosts("vigil_forecasts") == HOSTS
                && count("vigil_remediation_audit") > 0
                && !clickHouse.lines("SELECT 1 FROM vigil.vigil_alerts WHERE kind = 'PREDICTED' LIMIT 1").isEmpty());
        Thread.sleep(2000); // the last alerts' audit records
        // The leak host's three days of rollups and forecasts are many; wait until all have landed.
        long[] before = {-1};
        Eventually.await(Duration.ofSeconds(120), "rollups and forecasts settled", () -> {
            long now = count("vigil_rollups") + count("vigil_forecasts");
            boolean settled = now == before[0];
            before[0] = now;
            sleepQuietly(Duration.ofSeconds(3));
            return settled;
        });
    }

    @AfterAll
    void stopThePipeline() {
        for (AutoCloseable service : new AutoCloseable[] {remediation, sink, streams, clickHouse}) {
            try {
                if (service != null) {
                    service.close();
                }
            } catch (Exception e) {
                System.out.println("stopping " + service + ": " + e);
            }
        }
    }

    @Test
    void shouldAnswerEveryDashboardQueryWithRowsOfTheExpectedColumns() throws Exception {
        String[] alerted = firstOpened("ANOMALY");
        List<String> checked = new ArrayList<>();
        try (DirectoryStream<Path> dashboards = Files.newDirectoryStream(DASHBOARDS, "*.json")) {
            for (Path file : dashboards) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode variable : dashboard.path("templating").path("list")) {
                    if (!"query".equals(variable.path("type").asText())) {
                        continue; // a constant (the alert threshold) is a value, not a query; DashboardThresholdTest checks it
                    }
                    check(file, "variable " + variable.get("name").asText(), variable, alerted);
                    checked.add(file.getFileName() + ": variable " + variable.get("name").asText());
                }
                for (JsonNode panel : dashboard.get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        if (target.path("datasource").path("uid").asText().equals("vigil-clickhouse")) {
                            check(file, "panel '" + panel.get("title").asText() + "'", target, alerted);
                            checked.add(file.getFileName() + ": panel " + panel.get("title").asText());
                        }
                    }
                }
            }
        }
        System.out.printf("%d dashboard queries checked on %d samples; host %s, metric %s%n", checked.size(), samples, alerted[0], alerted[1]);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(22);
        assertThat(remediation.problem()).isNull();
        assertThat(sink.problem()).isNull();
        assertThat(streams.state().isRunningOrRebalancing()).isTrue();
    }

    @Test
    void shouldSayWhyAStuckSeriesAlertedFromItsScoreThroughClickHouseToTheAnomaliesDashboard() throws Exception {
        List<String> stuckScores = clickHouse.lines("SELECT value, reason_observed, reason_usual_low, reason_usual_high, reason_basis_days"
                + " FROM vigil.vigil_samples WHERE host_id = '" + STUCK_HOST + "' AND reason = 'STUCK' ORDER BY time");
        assertThat(stuckScores).as("the stuck sample's score row").hasSize(1);
        String[] score = stuckScores.get(0).split("\t");
        long run = Math.round(Double.parseDouble(score[1]));
        long longestBefore = Math.round(Double.parseDouble(score[3]));
        assertThat(score[0]).isEqualTo("0.364");
        assertThat(run).isGreaterThan(longestBefore);
        assertThat(score[2]).isEqualTo("0");
        assertThat(Double.parseDouble(score[4])).as("days of history").isGreaterThan((STUCK_FROM - 1) * INTERVAL.toMinutes() / 1440.0);
        String why = "stuck at 0.364 for %d samples (longest run before: %d)".formatted(run, longestBefore);

        List<String> alerts = clickHouse.lines("SELECT event, reason, reason_observed, reason_text, summary FROM vigil.vigil_alerts"
                + " WHERE host_id = '" + STUCK_HOST + "' AND reason = 'STUCK' ORDER BY event_time");
        assertThat(alerts).as("the stuck series' alert events").isNotEmpty();
        String[] opened = alerts.get(0).split("\t");
        assertThat(opened[0]).isEqualTo("OPENED");
        assertThat(Math.round(Double.parseDouble(opened[2]))).isEqualTo(run);
        assertThat(opened[3]).isEqualTo(why);
        assertThat(opened[4]).startsWith("system.cpu.utilization{cpu=0, state=user} on " + STUCK_HOST + ": " + why + "; anomalous since ");
        assertThat(alerts).as("every event of the alert, RESOLVED too, says why it opened")
                .allSatisfy(event -> assertThat(event.split("\t")[3]).isEqualTo(why));

        assertThat(stuckHostRows("anomalies.json", "Alerts, with durations", "host")).as("the alerts panel")
                .filteredOn(row -> row.get("why").startsWith("stuck")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("metric", "system.cpu.utilization").containsEntry("why", why));
        assertThat(stuckHostRows("anomalies.json", "Anomalous samples, and why", "host")).as("the anomalous samples panel")
                .filteredOn(row -> row.get("why").equals("stuck")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("labels", "cpu=0, state=user").containsEntry("value", "0.364")
                        .containsEntry("observed", Long.toString(run)).containsEntry("usual_high", Long.toString(longestBefore)));
        assertThat(stuckHostRows("anomalies.json", "Anomalous samples by reason", null)).as("the reasons panel")
                .anySatisfy(row -> assertThat(row.get("why")).isEqualTo("stuck"));
    }

    private MetricBatch stuckHostBatch(int tick, double value) {
        Instant time = start.plus(INTERVAL.multipliedBy(tick));
        return MetricBatch.newBuilder().setHostId(STUCK_HOST).setHostLabels(Map.of("role", "db")).setCollectedAt(time).setSequence(tick + 1)
                .setSamples(List.of(Sample.newBuilder().setName("system.cpu.utilization").setLabels(Map.of("cpu", "0", "state", "user"))
                        .setValue(value).setUnit("1").setKind(MetricKind.GAUGE).build()))
                .build();
    }

    /** A training run's minute: its loss falling, its throughput (a counter, so a rate) and its step time's p99 (a histogram's). */
    private MetricBatch jobBatch(int tick, SplittableRandom noise) {
        Instant time = start.plus(INTERVAL.multipliedBy(tick));
        return MetricBatch.newBuilder().setHostId(JOB_HOST).setHostLabels(Map.of("service.name", "trainer")).setCollectedAt(time)
                .setSequence(tick + 1).setSamples(List.of(
                        Sample.newBuilder().setName("training.loss").setLabels(Map.of("model", "resnet50"))
                                .setValue(0.2 + 2.0 * Math.exp(-tick / 200.0) + 0.02 * noise.nextGaussian()).setUnit("1").setKind(MetricKind.GAUGE).build(),
                        Sample.newBuilder().setName("training.samples").setLabels(Map.of("model", "resnet50"))
                                .setValue(1200 + 40 * noise.nextGaussian()).setUnit("1/s").setKind(MetricKind.COUNTER).build(),
                        Sample.newBuilder().setName("training.step.duration_p99").setLabels(Map.of("model", "resnet50"))
                                .setValue(0.85 + 0.05 * noise.nextGaussian()).setUnit("s").setKind(MetricKind.GAUGE).build()))
                .build();
    }

    /** The leak host's batches, a minute apart, the last a minute ago. */
    private static List<MetricBatch> leakHostBatches() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant leak = now.minus(Duration.ofHours(4));
        List<MetricBatch> batches = new ArrayList<>();
        SplittableRandom noise = new SplittableRandom(9);
        long sequence = 0;
        for (Instant time = now.minus(Duration.ofDays(3)); time.isBefore(now); time = time.plus(INTERVAL)) {
            double value = 0.5 + 0.0005 * noise.nextGaussian() + (time.isBefore(leak) ? 0 : 0.1 * Duration.between(leak, time).toMinutes() / 60.0);
            batches.add(MetricBatch.newBuilder().setHostId(LEAK_HOST).setHostLabels(Map.of("role", "db")).setCollectedAt(time)
                    .setSequence(++sequence).setSamples(List.of(Sample.newBuilder().setName("system.filesystem.utilization")
                            .setLabels(Map.of("mountpoint", "/")).setValue(value).setUnit("1").setKind(MetricKind.GAUGE).build()))
                    .build());
        }
        return batches;
    }

    /** Host and metric of the first series alert of {@code kind} that opened. */
    private String[] firstOpened(String kind) {
        return clickHouse.lines("SELECT host_id, metric FROM vigil.vigil_alerts WHERE scope = 'SERIES' AND event = 'OPENED' AND kind = '"
                + kind + "' ORDER BY event_time LIMIT 1").get(0).split("\t");
    }

    /**
     * Checks one dashboard query: it runs, has the columns its panel expects, rows, and values in the columns that must have one.
     * It runs for the host of the first alert to open, or of the first of the kind the target names ({@code vigilHostWith}).
     */
    private void check(Path file, String what, JsonNode target, String[] alerted) {
        String sql = target.has("rawSql") ? target.get("rawSql").asText() : target.get("query").asText();
        Result result = run(file, what, sql, target.has("vigilHostWith") ? firstOpened(target.get("vigilHostWith").asText()) : alerted);
        List<String> header = new ArrayList<>();
        target.get("vigilColumns").forEach(column -> header.add(column.asText()));
        assertThat(result.columns()).as("%s of %s: columns", what, file).isEqualTo(header);
        assertThat(result.rows()).as("%s of %s: rows, for %s", what, file, result.sql()).isNotEmpty();
        for (JsonNode column : target.path("vigilNonEmpty")) {
            assertThat(result.rows()).as("%s of %s: a value in %s in every row", what, file, column.asText())
                    .allSatisfy(row -> assertThat(row.get(column.asText())).isNotEmpty());
        }
    }

    /** A panel's rows (those of the stuck host, when {@code hostColumn} is given), each column by name, as Grafana would get them. */
    private List<Map<String, String>> stuckHostRows(String dashboard, String title, String hostColumn) throws Exception {
        JsonNode dashboardJson = JSON.readTree(DASHBOARDS.resolve(dashboard).toFile());
        for (JsonNode panel : dashboardJson.get("panels")) {
            if (panel.get("title").asText().equals(title)) {
                Result result = run(DASHBOARDS.resolve(dashboard), "panel '" + title + "'", panel.get("targets").get(0).get("rawSql").asText(),
                        new String[] {STUCK_HOST, "system.cpu.utilization"});
                return hostColumn == null ? result.rows()
                        : result.rows().stream().filter(row -> STUCK_HOST.equals(row.get(hostColumn))).toList();
            }
        }
        throw new AssertionError("no panel '" + title + "' in " + dashboard);
    }

    /** What a query returned: its column names and its rows, each column by name. */
    private record Result(String sql, List<String> columns, List<Map<String, String>> rows) {
    }

    /** Expands the Grafana ClickHouse plugin's macros and the dashboard variables, and runs the query. */
    private Result run(Path file, String what, String sql, String[] hostAndMetric) {
        long from = start.getEpochSecond() - 600;
        long to = Instant.now().getEpochSecond() + 600;
        String expanded = sql
                .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 >= toDateTime(" + from + ") AND $1 <= toDateTime(" + to + ")")
                .replace("$__fromTime", "toDateTime(" + from + ")")
                .replace("$__toTime", "toDateTime(" + to + ")")
                .replace("$__interval_s", "60")
                .replace("${host}", hostAndMetric[0])
                .replace("${metric}", hostAndMetric[1])
                .replace("${job}", JOB_HOST)
                .replace("${threshold}", String.valueOf(AlertPolicy.DEFAULT.openThreshold()));
        assertThat(expanded).as("%s of %s: every macro expanded", what, file).doesNotContain("$");
        List<String> lines = clickHouse.lines(expanded, "TabSeparatedWithNames");
        List<String> columns = List.of(lines.get(0).split("\t", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), values[i]);
            }
            rows.add(row);
        }
        return new Result(expanded, columns, rows);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long hosts(String table) {
        return Long.parseLong(clickHouse.lines("SELECT uniqExact(host_id) FROM vigil." + table).get(0));
    }

    private long count(String table) {
        return Long.parseLong(clickHouse.lines("SELECT count() FROM vigil." + table).get(0));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> values = new HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }
}
