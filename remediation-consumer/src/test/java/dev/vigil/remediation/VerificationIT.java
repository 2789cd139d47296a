package dev.vigil.remediation;

import static dev.vigil.remediation.RemediationFixture.assertTrailIntact;
import static dev.vigil.remediation.RemediationFixture.await;
import static dev.vigil.remediation.RemediationFixture.config;
import static dev.vigil.remediation.RemediationFixture.ensureTopics;
import static dev.vigil.remediation.RemediationFixture.lines;
import static dev.vigil.remediation.RemediationFixture.script;
import static dev.vigil.remediation.RemediationFixture.trail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.ScoreBatch;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * Closing the loop on the real broker and registry, with real allow-listed scripts and a real webhook receiver on
 * loopback: an action that helps is VERIFIED (its alert resolves; a named metric comes back inside its band), one that
 * does not is INEFFECTIVE, undone and escalated, and a consumer restarted in the middle of a verification settles it
 * exactly once. The alerts and scores are produced as the streams application produces them: Avro, keyed by host.
 */
@ExtendWith(LocalStackExtension.class)
class VerificationIT {

    private static final String WEBHOOK_SECRET = "it-webhook-secret-it-webhook-secret-0123456789";

    /** The webhook receiver every test's policy allow-lists as {@code oncall}. */
    private SignedWebhookReceiver pager;

    @BeforeEach
    void start(StackEndpoints stack) throws IOException {
        ensureTopics(stack);
        pager = new SignedWebhookReceiver(WEBHOOK_SECRET);
    }

    @AfterEach
    void stop() {
        pager.close();
    }

    @Test
    void shouldRecordVerifiedWhenTheActionHelped(StackEndpoints stack, @TempDir Path dir) throws Exception {
        Path policy = policy(dir, pager.url(), """
                - name: vfy-restart
                  match: {metric: "vfy\\\\.errors"}
                  target_cooldown: 0s
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 1m
                - name: vfy-throttle
                  match: {metric: "vfy\\\\.cpu"}
                  target_cooldown: 0s
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 1m
                  verify_metric: vfy.cpu
                  verify_samples: 3
                """);
        Path ran = dir.resolve("ran.log");
        RemediationConfig config = config(stack, dir, policy);
        Alert errors = Alerts.opened("vfy-01/vfy.errors-1", "vfy-01", "vfy.errors", Map.of("unit", "web.service"));
        Alert cpu = Alerts.opened("vfy-02/vfy.cpu-1", "vfy-02", "vfy.cpu", Map.of("unit", "batch.service"));

        try (Fleet fleet = new Fleet(stack); RemediationService service = RemediationService.start(config)) {
            fleet.alert(errors);
            fleet.alert(cpu);
            await("both actions ran", () -> lines(ran).size() == 2);
            // What the streams application publishes once the fix took: the alert resolves; the cpu series is back in its band.
            fleet.alert(Alerts.later(errors, AlertEvent.RESOLVED, 0.12, 0.04));
            for (double value : new double[] {0.31, 0.28, 0.30}) {
                fleet.scores(new ScoreBatch("vfy-02", List.of(Alerts.score("vfy-02", "vfy.cpu", Map.of("core", "0"), value, 0.1, 0.6))));
            }
            await("both verified", () -> outcomes(config, "vfy-0[12]").stream().filter(o -> o == AuditOutcome.VERIFIED).count() == 2);
            assertThat(metrics(service)).contains("vigil_remediation_verifications_total{result=\"VERIFIED\"} 2.0",
                    "vigil_remediation_verifications_pending 0.0");
        }

        List<AuditRecord> mine = records(config, "vfy-0[12]");
        assertThat(mine).extracting(AuditRecord::getHostId, AuditRecord::getOutcome).containsSubsequence(
                tuple("vfy-01", AuditOutcome.EXECUTED), tuple("vfy-01", AuditOutcome.SUCCEEDED),
                tuple("vfy-01", AuditOutcome.VERIFIED));
        assertThat(detail(mine, "vfy-01", AuditOutcome.VERIFIED)).matches("the alert resolved \\d+\\.\\d s after the action \\(verify_within 1m\\): "
                + "value 0\\.12 \\(band 0 to 0\\.5\\), score 0\\.04");
        assertThat(detail(mine, "vfy-02", AuditOutcome.VERIFIED)).matches("vfy\\.cpu on vfy-02 inside its band for 3 scores in a row, "
                + "\\d+\\.\\d s after the action \\(verify_within 1m\\): vfy\\.cpu\\{core=0\\} last 0\\.3 \\(band 0\\.1 to 0\\.6\\), score 0, "
                + "3 in a row inside; 3 scores of 1 series seen");
        assertThat(lines(ran)).containsExactlyInAnyOrder("restart web.service", "restart batch.service");
        assertTrailIntact(config);
    }

    @Test
    void shouldUndoAndEscalateWhenTheActionDidNotHelp(StackEndpoints stack, @TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran.log");
        Path policy = policy(dir, pager.url(), """
                - name: vfy-undo
                  match: {metric: "vfy\\\\.latency"}
                  target_cooldown: 0s
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 3s
                  undo: {executor: command, name: rollback, parameters: {unit: "{{label.unit}}"}}
                  escalate: oncall
                """);
        RemediationConfig config = config(stack, dir, policy, "webhook.secret", WEBHOOK_SECRET);
        Alert latency = Alerts.opened("vfy-03/vfy.latency-1", "vfy-03", "vfy.latency", Map.of("unit", "api.service"));

        try (Fleet fleet = new Fleet(stack); RemediationService service = RemediationService.start(config)) {
            fleet.alert(latency);
            await("the action ran", () -> lines(ran).size() == 1);
            fleet.alert(Alerts.later(latency, AlertEvent.UPDATED, 0.93, 0.97)); // still bad after the restart
            await("escalated", () -> outcomes(config, "vfy-03").contains(AuditOutcome.ESCALATED));
            assertThat(metrics(service)).contains("vigil_remediation_verifications_total{result=\"INEFFECTIVE\"} 1.0");
        }

        List<AuditRecord> mine = records(config, "vfy-03");
        assertThat(mine).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED,
                AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE, AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
        assertThat(mine.get(2).getDetail()).matches("the alert did not resolve \\(verify_within 3s\\); its last event, UPDATED \\d+\\.\\d s "
                + "after the action: value 0\\.93 \\(band 0 to 0\\.5\\), score 0\\.97");
        assertThat(mine.get(3).getAction()).isEqualTo("command:rollback");
        assertThat(mine.get(5).getDetail()).isEqualTo("delivered: HTTP 200 paged");
        assertThat(lines(ran)).containsExactly("restart api.service", "rollback api.service");
        assertThat(pager.pages()).hasSize(1);
        JsonNode page = pager.pages().get(0);
        assertThat(page.path("action").asText()).isEqualTo("oncall");
        assertThat(page.path("target").asText()).isEqualTo("vfy-03");
        assertThat(page.path("parameters").path("verdict").asText()).isEqualTo("INEFFECTIVE");
        assertThat(page.path("parameters").path("seen").asText()).isEqualTo(mine.get(2).getDetail());
        assertThat(page.path("parameters").path("undo").asText()).startsWith("SUCCEEDED: exit 0");
        assertTrailIntact(config);
    }

    @Test
    void shouldSettleAVerificationPendingAcrossARestartExactlyOnce(StackEndpoints stack, @TempDir Path dir) throws Exception {
        Path ran = dir.resolve("ran.log");
        Path policy = policy(dir, pager.url(), """
                - name: vfy-resolves
                  match: {metric: "vfy\\\\.queue"}
                  target_cooldown: 0s
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 2m
                - name: vfy-deadline
                  match: {metric: "vfy\\\\.disk"}
                  target_cooldown: 0s
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 4s
                  undo: {executor: command, name: rollback, parameters: {unit: "{{label.unit}}"}}
                  escalate: oncall
                """);
        RemediationConfig config = config(stack, dir, policy, "webhook.secret", WEBHOOK_SECRET);
        Alert queue = Alerts.opened("vfy-04/vfy.queue-1", "vfy-04", "vfy.queue", Map.of("unit", "worker.service"));
        Alert disk = Alerts.opened("vfy-05/vfy.disk-1", "vfy-05", "vfy.disk", Map.of("unit", "logs.service"));

        try (Fleet fleet = new Fleet(stack)) {
            try (RemediationService first = RemediationService.start(config)) {
                fleet.alert(queue);
                fleet.alert(disk);
                await("both actions succeeded", () -> records(config, "vfy-0[45]").stream()
                        .filter(r -> r.getOutcome() == AuditOutcome.SUCCEEDED).count() == 2);
                assertThat(metrics(first)).contains("vigil_remediation_verifications_pending 2.0");
            } // stopped in the middle of both verifications: nothing about them is kept but the trail
            Instant stopped = Instant.now();
            fleet.alert(Alerts.later(queue, AlertEvent.RESOLVED, 3, 0.02)); // the queue drains while no consumer runs
            Thread.sleep(Math.max(0, Duration.ofSeconds(5).minus(Duration.between(stopped, Instant.now())).toMillis())); // vfy-deadline's 4s pass

            try (RemediationService second = RemediationService.start(config)) {
                await("the first verified, the second escalated", () -> {
                    List<AuditOutcome> outcomes = records(config, "vfy-0[45]").stream().map(AuditRecord::getOutcome).toList();
                    return outcomes.contains(AuditOutcome.VERIFIED) && outcomes.contains(AuditOutcome.ESCALATED);
                });
            }
            try (RemediationService third = RemediationService.start(config)) {
                fleet.alert(Alerts.later(queue, AlertEvent.RESOLVED, 3, 0.02)); // redelivered
                Thread.sleep(3000); // room to settle anything twice, were it to
                assertThat(metrics(third)).contains("vigil_remediation_verifications_pending 0.0");
            }
        }

        List<AuditRecord> mine = records(config, "vfy-0[45]");
        assertThat(mine.stream().filter(r -> r.getHostId().equals("vfy-04")).map(AuditRecord::getOutcome))
                .containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.VERIFIED);
        assertThat(mine.stream().filter(r -> r.getHostId().equals("vfy-05")).map(AuditRecord::getOutcome))
                .containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE, AuditOutcome.UNDONE,
                        AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
        assertThat(detail(mine, "vfy-05", AuditOutcome.INEFFECTIVE)).isEqualTo("the alert did not resolve (verify_within 4s); "
                + "no event of it since the action");
        assertThat(lines(ran)).as("the undo's {{label.unit}} came back from vigil.alerts after the restart")
                .containsExactlyInAnyOrder("restart worker.service", "restart logs.service", "rollback logs.service");
        assertThat(pager.pages()).hasSize(1);
        assertTrailIntact(config);
    }

    @Test
    void shouldSettleEachVerdictWithinAFewPollsOfItsEvidence(StackEndpoints stack, @TempDir Path dir) throws Exception {
        Path policy = policy(dir, pager.url(), """
                - name: lat-resolves
                  match: {metric: "lat\\\\.errors"}
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 5m
                - name: lat-band
                  match: {metric: "lat\\\\.cpu"}
                  action: {executor: command, name: restart, parameters: {unit: "{{label.unit}}"}}
                  verify_within: 5m
                  verify_metric: lat.cpu
                """);
        RemediationConfig config = config(stack, dir, policy);
        int hosts = 20;
        Map<String, Long> evidenceAt = new ConcurrentHashMap<>();

        try (Fleet fleet = new Fleet(stack); RemediationService service = RemediationService.start(config)) {
            for (int i = 0; i < hosts; i++) {
                fleet.alert(Alerts.opened("lat-a%02d/lat.errors-1".formatted(i), "lat-a%02d".formatted(i), "lat.errors", Map.of("unit", "u")));
                fleet.alert(Alerts.opened("lat-b%02d/lat.cpu-1".formatted(i), "lat-b%02d".formatted(i), "lat.cpu", Map.of("unit", "u")));
            }
            await("every action succeeded", () -> records(config, "lat-").stream().filter(r -> r.getOutcome() == AuditOutcome.SUCCEEDED).count()
                    == 2L * hosts);
            for (int i = 0; i < hosts; i++) {
                Alert opened = Alerts.opened("lat-a%02d/lat.errors-1".formatted(i), "lat-a%02d".formatted(i), "lat.errors", Map.of("unit", "u"));
                evidenceAt.put(opened.getHostId(), fleet.alert(Alerts.later(opened, AlertEvent.RESOLVED, 0.1, 0.01)));
                String host = "lat-b%02d".formatted(i);
                long last = 0;
                for (int sample = 0; sample < 3; sample++) {
                    last = fleet.scores(new ScoreBatch(host, List.of(Alerts.score(host, "lat.cpu", Map.of(), 0.3, 0.1, 0.6))));
                }
                evidenceAt.put(host, last);
            }
            await("every action verified", () -> records(config, "lat-").stream().filter(r -> r.getOutcome() == AuditOutcome.VERIFIED).count()
                    == 2L * hosts);
        }

        List<AuditRecord> verified = records(config, "lat-").stream().filter(r -> r.getOutcome() == AuditOutcome.VERIFIED).toList();
        long[] resolved = latencies(verified, "lat-a", evidenceAt);
        long[] inBand = latencies(verified, "lat-b", evidenceAt);
        LoggerFactory.getLogger(VerificationIT.class).info("Evidence to verdict over {} actions each: RESOLVED {} ms median, {} ms max; "
                + "3rd score in band {} ms median, {} ms max", hosts, resolved[hosts / 2], resolved[hosts - 1], inBand[hosts / 2], inBand[hosts - 1]);
        assertThat(resolved[hosts / 2]).as("median ms from RESOLVED to VERIFIED").isLessThan(2_000);
        assertThat(inBand[hosts / 2]).as("median ms from the score to VERIFIED").isLessThan(2_000);
    }

    /** Milliseconds from each host's evidence to its VERIFIED record, sorted. */
    private static long[] latencies(List<AuditRecord> verified, String hosts, Map<String, Long> evidenceAt) {
        return verified.stream().filter(r -> r.getHostId().startsWith(hosts))
                .mapToLong(r -> r.getTimestamp().toEpochMilli() - evidenceAt.get(r.getHostId())).sorted().toArray();
    }

    /**
     * A policy of {@code rules} over two allow-listed scripts of the test's own, {@code restart} and {@code rollback}
     * (each appends its name and unit to {@code dir/ran.log}), and the webhook {@code oncall} at {@code pagerUrl}.
     */
    private static Path policy(Path dir, String pagerUrl, String rules) throws IOException {
        Path ran = dir.resolve("ran.log");
        Path restart = script(dir.resolve("restart.sh"), "echo \"restart $1\" >> " + ran);
        Path rollback = script(dir.resolve("rollback.sh"), "echo \"rollback $1\" >> " + ran);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                commands:
                  restart: {executable: %s, args: ["{{unit}}"], timeout: 10s}
                  rollback: {executable: %s, args: ["{{unit}}"], timeout: 10s}
                webhooks:
                  oncall: {url: "%s", retries: 0}
                rules:
                """.formatted(restart, rollback, pagerUrl) + rules.indent(2));
        return policy;
    }

    /** The records of the hosts whose id matches {@code hosts} (a pattern), in trail order. */
    private static List<AuditRecord> records(RemediationConfig config, String hosts) {
        return trail(config).stream().filter(r -> r.getHostId().matches(hosts + ".*")).toList();
    }

    private static List<AuditOutcome> outcomes(RemediationConfig config, String hosts) {
        return records(config, hosts).stream().map(AuditRecord::getOutcome).toList();
    }

    private static String detail(List<AuditRecord> records, String host, AuditOutcome outcome) {
        return records.stream().filter(r -> r.getHostId().equals(host) && r.getOutcome() == outcome).findFirst().orElseThrow().getDetail();
    }

    private static String metrics(RemediationService service) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + service.httpAddress() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the streams application publishes, as it publishes it: Avro in the registry's wire format, keyed by host. */
    private static final class Fleet implements AutoCloseable {
        private final AvroSerdes serdes;
        private final KafkaProducer<String, Alert> alerts;
        private final KafkaProducer<String, ScoreBatch> scores;

        Fleet(StackEndpoints stack) {
            this.serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
            Map<String, Object> kafka = Map.of("bootstrap.servers", stack.kafkaBootstrapServers());
            this.alerts = new KafkaProducer<>(kafka, new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer());
            this.scores = new KafkaProducer<>(kafka, new StringSerializer(), new Topics(serdes).scores().valueSerde().serializer());
        }

        /** Sends {@code alert}; returns its record's time. */
        long alert(Alert alert) throws Exception {
            return alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.getHostId(), alert)).get().timestamp();
        }

        /** Sends {@code batch}; returns its record's time. */
        long scores(ScoreBatch batch) throws Exception {
            return scores.send(new ProducerRecord<>(Topics.SCORES.name(), batch.getHostId(), batch)).get().timestamp();
        }

        @Override
        public void close() {
            alerts.close();
            scores.close();
            serdes.close();
        }
    }
}
