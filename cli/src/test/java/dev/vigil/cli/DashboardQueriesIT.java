package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.vigil.avro.MetricBatch;
import dev.vigil.collectors.simulator.FleetSimulator;
import dev.vigil.remediation.RemediationConfig;
import dev.vigil.remediation.RemediationService;
import dev.vigil.schemas.TopicProvisioner;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.config.ConfigSource;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.sinks.SinkApp;
import dev.vigil.sinks.clickhouse.ClickHouse;
import dev.vigil.stack.Eventually;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.streams.StreamsApp;
import dev.vigil.streams.StreamsAppConfig;

/**
 * Every ClickHouse query of every dashboard in grafana/dashboards, expanded the way the Grafana ClickHouse
 * plugin expands its macros, run against the real local ClickHouse on data the pipeline itself wrote: a
 * simulated fleet with injected anomalies through the streams application, the sink and remediation (dry run).
 * Each query must run and return rows with the columns its panel expects.
 */
@ExtendWith(LocalStackExtension.class)
class DashboardQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final int TICKS = 720;

    @Test
    void shouldAnswerEveryDashboardQueryWithRowsOfTheExpectedColumns(StackEndpoints stack, @TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()))) {
            new TopicProvisioner(admin).ensure(Topics.ALL, Optional.of(2), (short) 1);
        }
        Instant start = Instant.now().minus(INTERVAL.multipliedBy(TICKS)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
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
        int samples = 0;
        try (StreamsApp streams = StreamsApp.start(StreamsAppConfig.from(ConfigSource.of(with(kafka, "state.dir", dir.resolve("streams").toString(),
                     "http.port", "0", "commit.interval", "100ms"))));
             SinkApp sink = SinkApp.start(SinkCommand.devConfig(stack.kafkaBootstrapServers(), stack.schemaRegistryUrl(), stack.clickHouseHttpUrl()));
             RemediationService remediation = RemediationService.start(RemediationConfig.from(ConfigSource.of(with(kafka,
                     "policy.file", policy.toString(), "audit.key", AuditVerifyIT.KEY, "http.port", "0",
                     "audit.checkpoints.file", dir.resolve("checkpoints").toString()))));
             AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, MetricBatch> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                     "linger.ms", 20), new StringSerializer(), new Topics(serdes).metrics().valueSerde().serializer());
             ClickHouse clickHouse = new ClickHouse(stack.clickHouseHttpUrl(), "default", "", "vigil", Duration.ofSeconds(30))) {
            for (int tick = 0; tick < TICKS; tick++) {
                for (MetricBatch batch : simulator.nextTick(anomaly -> { })) {
                    producer.send(new ProducerRecord<>(Topics.METRICS.name(), batch.getHostId(), batch));
                    samples += batch.getSamples().size();
                }
            }
            producer.flush();
            int expected = samples;
            Eventually.await(Duration.ofSeconds(180), "every sample, alert, rollup, forecast and audit record in ClickHouse", () -> count(clickHouse, "vigil_samples") == expected
                    && count(clickHouse, "vigil_alerts") > 0 && count(clickHouse, "vigil_rollups") > 0
                    && count(clickHouse, "vigil_forecasts") > 0 && count(clickHouse, "vigil_remediation_audit") > 0);
            Thread.sleep(2000); // the last alerts' audit records

            String[] alerted = clickHouse.lines("SELECT host_id, metric FROM vigil.vigil_alerts WHERE scope = 'SERIES' AND event = 'OPENED'"
                    + " ORDER BY event_time LIMIT 1").get(0).split("\t");
            long from = start.getEpochSecond() - 600;
            long to = Instant.now().getEpochSecond() + 600;
            List<String> checked = new ArrayList<>();
            try (DirectoryStream<Path> dashboards = Files.newDirectoryStream(Path.of("..", "grafana", "dashboards"), "*.json")) {
                for (Path file : dashboards) {
                    JsonNode dashboard = JSON.readTree(file.toFile());
                    for (JsonNode variable : dashboard.path("templating").path("list")) {
                        check(clickHouse, file, "variable " + variable.get("name").asText(), variable.get("query").asText(),
                                variable.get("vigilColumns"), from, to, alerted, checked);
                    }
                    for (JsonNode panel : dashboard.get("panels")) {
                        for (JsonNode target : panel.get("targets")) {
                            if (target.path("datasource").path("uid").asText().equals("vigil-clickhouse")) {
                                check(clickHouse, file, "panel '" + panel.get("title").asText() + "'", target.get("rawSql").asText(),
                                        target.get("vigilColumns"), from, to, alerted, checked);
                            }
                        }
                    }
                }
            }
            System.out.printf("%d dashboard queries checked on %d samples; host %s, metric %s%n", checked.size(), samples, alerted[0], alerted[1]);
            assertThat(checked).hasSizeGreaterThanOrEqualTo(20);
            assertThat(remediation.problem()).isNull();
            assertThat(sink.problem()).isNull();
            assertThat(streams.state().isRunningOrRebalancing()).isTrue();
        }
    }

    /** Expands the Grafana ClickHouse plugin's macros and the dashboard variables, runs the query, checks its header and rows. */
    private static void check(ClickHouse clickHouse, Path file, String what, String sql, JsonNode columns, long from, long to,
                              String[] alerted, List<String> checked) {
        String expanded = sql
                .replaceAll("\\$__timeFilter\\(([a-z_]+)\\)", "$1 >= toDateTime(" + from + ") AND $1 <= toDateTime(" + to + ")")
                .replace("$__fromTime", "toDateTime(" + from + ")")
                .replace("$__toTime", "toDateTime(" + to + ")")
                .replace("$__interval_s", "60")
                .replace("${host}", alerted[0])
                .replace("${metric}", alerted[1]);
        assertThat(expanded).as("%s of %s: every macro expanded", what, file).doesNotContain("$");
        List<String> result = clickHouse.lines(expanded, "TabSeparatedWithNames");
        List<String> header = new ArrayList<>();
        columns.forEach(column -> header.add(column.asText()));
        assertThat(List.of(result.get(0).split("\t"))).as("%s of %s: columns", what, file).isEqualTo(header);
        assertThat(result.size() - 1).as("%s of %s: rows, for %s", what, file, expanded).isPositive();
        checked.add(file.getFileName() + ": " + what);
    }

    private static long count(ClickHouse clickHouse, String table) {
        return Long.parseLong(clickHouse.lines("SELECT count() FROM vigil." + table).get(0));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> values = new java.util.HashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

}
