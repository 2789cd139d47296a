package dev.vigil.remediation;

import static dev.vigil.remediation.RemediationFixture.assertTrailIntact;
import static dev.vigil.remediation.RemediationFixture.await;
import static dev.vigil.remediation.RemediationFixture.config;
import static dev.vigil.remediation.RemediationFixture.ensureTopics;
import static dev.vigil.remediation.RemediationFixture.lines;
import static dev.vigil.remediation.RemediationFixture.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.avro.DeadLetter;
import dev.vigil.avro.HostRetirement;
import dev.vigil.avro.Silence;
import dev.vigil.collectors.agent.AgentConfig;
import dev.vigil.collectors.agent.CollectorAgent;
import dev.vigil.remediation.approvals.Approvers;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.schemas.SilenceContract;
import dev.vigil.schemas.Topics;
import dev.vigil.runtime.config.ConfigSource;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.TopicReader;

/**
 * The remediation consumer on the real broker and registry, running a real allow-listed script: an alert
 * runs it once, a hostile label is refused and audited, a restart replays the trail and does not run it
 * again for a redelivered alert, a risky rule runs only once approved, and the trail verifies. A library action
 * stops a real process, and a command past its CPU time limit is stopped and audited as such.
 */
@ExtendWith(LocalStackExtension.class)
class RemediationServiceIT {

    @Test
    void shouldActOnceAuditEverythingAndHoldAcrossARestart(StackEndpoints stack, @TempDir Path dir) throws Exception {
        ensureTopics(stack);
        Path ran = dir.resolve("ran.log");
        Path script = script(dir.resolve("restart-unit.sh"), "echo \"restart $1\" >> " + ran);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                commands:
                  restart-unit: {executable: %s, args: ["{{unit}}"], timeout: 10s}
                rules:
                  - name: restart-service
                    match: {metric: "service\\\\..*"}
                    target_cooldown: 0s
                    action: {executor: command, name: restart-unit, parameters: {unit: "{{label.unit}}"}}
                  - name: clean-disk
                    match: {metric: "disk\\\\..*"}
                    approval: true
                    action: {executor: command, name: restart-unit, parameters: {unit: "cleanup-{{host_id}}"}}
                """.formatted(script));
        Approvers approvers = new Approvers(dir, Map.of("alice", "roles: [approver]"));
        RemediationConfig config = config(stack, dir, policy, "audit.checkpoint.every", "2", "http.access.file", approvers.accessFile().toString());

        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer());
             KafkaProducer<String, ApprovalDecision> approvals = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).remediationApprovals().valueSerde().serializer())) {
            Alert nginx = Alerts.opened("web-01/service.errors-1", "web-01", "service.errors", Map.of("unit", "nginx.service"));
            Alert hostile = Alerts.opened("web-02/service.errors-1", "web-02", "service.errors", Map.of("unit", "x; rm -rf /"));

            try (RemediationService service = RemediationService.start(config)) {
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "web-01", nginx));
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "web-02", hostile));
                alerts.flush();
                produceGarbage(stack);
                await("the script ran", () -> lines(ran).size() == 1);
                await("the hostile alert audited", () -> outcomes(config).contains(AuditOutcome.SUPPRESSED));
                assertThat(service.problem()).isNull();
                HttpClient http = HttpClient.newHttpClient();
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + service.httpAddress() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + service.httpAddress() + "/metrics"))
                                .header("Authorization", "Bearer " + approvers.viewerToken()).build(),
                        HttpResponse.BodyHandlers.ofString()).body())
                        .contains("vigil_remediation_audit_records_total{guard=\"unsafe-parameter\",outcome=\"SUPPRESSED\"} 1.0",
                                "vigil_remediation_dead_letters_total 1.0");
            }
            assertThat(lines(ran)).containsExactly("restart nginx.service");
            List<DeadLetter> letters = deadLetters(stack, serdes);
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).getStage()).isEqualTo("remediation");
            assertThat(letters.get(0).getReason()).isEqualTo("BAD_MAGIC_BYTE");
            List<AuditRecord> trail = AuditTopic.readAll(config.kafka(), config.registry());
            AuditRecord suppressed = trail.stream().filter(r -> r.getOutcome() == AuditOutcome.SUPPRESSED).findFirst().orElseThrow();
            assertThat(suppressed.getGuard()).isEqualTo("unsafe-parameter");
            assertThat(suppressed.getHostId()).isEqualTo("web-02");

            try (RemediationService restarted = RemediationService.start(config)) {
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "web-01", nginx)); // redelivered
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "db-01",
                        Alerts.opened("db-01/disk.used-1", "db-01", "disk.used", Map.of())));
                alerts.flush();
                await("the risky action waiting", () -> restarted.pending().size() == 1);
                String id = restarted.pending().keySet().iterator().next();
                approvals.send(new ProducerRecord<>(Topics.REMEDIATION_APPROVALS.name(), id,
                        approvers.sign("alice", id, true, "clean it", Instant.now())));
                approvals.flush();
                await("the approved action ran", () -> lines(ran).size() == 2);
                Thread.sleep(1000); // room for the redelivered alert to run again, were it to
            }
            assertThat(lines(ran)).as("the redelivered alert did not run again").containsExactly("restart nginx.service", "restart cleanup-db-01");
        }

        List<AuditRecord> trail = AuditTopic.readAll(config.kafka(), config.registry());
        assertThat(trail.stream().filter(r -> Set.of("web-01", "web-02", "db-01").contains(r.getHostId())).toList()) // the other tests' hosts differ
                .extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED,
                AuditOutcome.SUPPRESSED, AuditOutcome.AWAITING_APPROVAL, AuditOutcome.APPROVED, AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED);
        assertThat(trail.stream().filter(r -> r.getOutcome() == AuditOutcome.APPROVED).findFirst().orElseThrow().getActor()).isEqualTo("alice");
        assertTrailIntact(config);
        assertThat(AuditTopic.checkpoints(config.checkpointsFile())).isNotEmpty();
    }

    @Test
    void shouldAuditSilencesAndRetirementsOnceAndNeverActOnASilencedAlert(StackEndpoints stack, @TempDir Path dir) throws Exception {
        ensureTopics(stack);
        Path ran = dir.resolve("ran.log");
        Path script = script(dir.resolve("restart-unit.sh"), "echo \"restart $1\" >> " + ran);
        String rules = """
                dry_run: false
                commands:
                  restart-unit: {executable: %s, args: ["{{host}}"], timeout: 10s}
                rules:
                  - name: restart-maint
                    match: {metric: "maint\\\\..*"}
                    action: {executor: command, name: restart-unit, parameters: {host: "{{host_id}}"}}
                """.formatted(script);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), rules + """
                silences:
                  - name: maint-window
                    hosts: [maint-01]
                    ends: %s
                    author: alice
                    reason: planned maintenance
                """.formatted(Instant.now().plus(Duration.ofHours(1))));
        RemediationConfig config = config(stack, dir, policy, "actor", "remediation@it");
        String policySilence = PolicyParser.parse(policy).silences().get(0).silenceId();

        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer());
             KafkaProducer<String, Silence> silences = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).silences().valueSerde().serializer());
             KafkaProducer<String, HostRetirement> retirements = new KafkaProducer<>(Map.of("bootstrap.servers",
                     stack.kafkaBootstrapServers()), new StringSerializer(), new Topics(serdes).retiredHosts().valueSerde().serializer())) {
            Silence byHand = SilenceContract.create(null, List.of("maint-02"), Map.of(), null, null, Instant.now().plus(Duration.ofHours(2)),
                    "bob", "disk swap", Instant.now());
            try (RemediationService service = RemediationService.start(config)) {
                silences.send(new ProducerRecord<>(Topics.SILENCES.name(), byHand.getSilenceId(), byHand));
                retirements.send(new ProducerRecord<>(Topics.RETIRED_HOSTS.name(), "maint-03",
                        new HostRetirement("maint-03", true, "carol", "decommissioned", Instant.now())));
                // As the streams application marks an alert of maint-01 while the policy's silence lasts.
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "maint-01", Alert.newBuilder(
                        Alerts.opened("maint-01/maint.load-1", "maint-01", "maint.load", Map.of())).setSilencedBy(policySilence).build()));
                silences.flush();
                retirements.flush();
                alerts.flush();
                await("the changes and the silenced alert audited", () -> maintenance(config).size() >= 4);
                assertThat(service.problem()).isNull();
            }
            try (RemediationService restarted = RemediationService.start(config)) {
                Thread.sleep(2_000); // room for a second audit of the same changes, were there one
            }
            Files.writeString(policy, rules); // the window taken out of the policy
            try (RemediationService withoutTheWindow = RemediationService.start(config)) {
                await("the policy's silence ended", () -> maintenance(config).size() >= 5);
            }
        }

        List<AuditRecord> trail = maintenance(config);
        String byHandId = trail.stream().filter(r -> r.getActor().equals("bob")).findFirst().orElseThrow().getAlertId();
        assertThat(trail).extracting(AuditRecord::getOutcome, AuditRecord::getActor, AuditRecord::getAlertId).containsExactlyInAnyOrder(
                tuple(AuditOutcome.SILENCE_ADDED, "alice", policySilence),
                tuple(AuditOutcome.SILENCE_ADDED, "bob", byHandId),
                tuple(AuditOutcome.HOST_RETIRED, "carol", ""),
                tuple(AuditOutcome.SUPPRESSED, "remediation@it", "maint-01/maint.load-1"),
                tuple(AuditOutcome.SILENCE_EXPIRED, "remediation@it", policySilence));
        assertThat(byHandId).startsWith("s-");
        assertThat(trail.get(trail.size() - 1).getOutcome()).isEqualTo(AuditOutcome.SILENCE_EXPIRED);
        assertThat(trail).filteredOn(r -> r.getOutcome() == AuditOutcome.SUPPRESSED).singleElement().satisfies(r -> {
            assertThat(r.getGuard()).isEqualTo("silence");
            assertThat(r.getDetail()).isEqualTo("the alert falls under silence " + policySilence);
        });
        assertThat(lines(ran)).as("nothing ran for the silenced alert").isEmpty();
        assertTrailIntact(config);
    }

    /** The audit records of the silences test: its hosts are maint-*. */
    private static List<AuditRecord> maintenance(RemediationConfig config) {
        return AuditTopic.readAll(config.kafka(), config.registry()).stream().filter(r -> r.getHostId().startsWith("maint-")).toList();
    }

    @Test
    void shouldRunAnActionThroughTheHostsAgentOnlyWhenItsOwnAllowListHasIt(StackEndpoints stack, @TempDir Path dir) throws Exception {
        ensureTopics(stack);
        Path ran = dir.resolve("ran-on-host.log");
        Path script = script(dir.resolve("restart.sh"), "echo \"host restarted $1\" >> " + ran);
        AgentConfig agentConfig = AgentConfig.from(ConfigSource.of(Map.of(
                "host.id", "edge-01",
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "spool.dir", dir.resolve("spool").toString(),
                "http.port", "0",
                "actions.restart.executable", script.toString(),
                "actions.restart.args", "{{unit}}")));
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                rules:
                  - name: restart-on-host
                    match: {metric: "app\\\\..*"}
                    action: {executor: host-agent, name: restart, parameters: {unit: "{{label.unit}}"}}
                  - name: reboot-on-host
                    match: {metric: "kernel\\\\..*"}
                    action: {executor: host-agent, name: reboot}
                """);
        RemediationConfig config = config(stack, dir, policy, "host.agent.timeout", "30s");

        try (CollectorAgent agent = CollectorAgent.start(agentConfig, Map.of());
             RemediationService service = RemediationService.start(config);
             AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer())) {
            alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "edge-01",
                    Alerts.opened("edge-01/app.errors-1", "edge-01", "app.errors", Map.of("unit", "app.service"))));
            alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "edge-01",
                    Alerts.opened("edge-01/kernel.oops-1", "edge-01", "kernel.oops", Map.of())));
            alerts.flush();
            await("both outcomes audited", () -> AuditTopic.readAll(config.kafka(), config.registry()).stream()
                    .filter(r -> r.getHostId().equals("edge-01") && r.getOutcome() != AuditOutcome.EXECUTED).count() == 2);
            assertThat(service.problem()).isNull();
        }

        assertThat(lines(ran)).containsExactly("host restarted app.service");
        List<AuditRecord> outcomes = AuditTopic.readAll(config.kafka(), config.registry()).stream()
                .filter(r -> r.getHostId().equals("edge-01") && r.getOutcome() != AuditOutcome.EXECUTED).toList();
        assertThat(outcomes.get(0).getOutcome()).isEqualTo(AuditOutcome.SUCCEEDED);
        assertThat(outcomes.get(0).getDetail()).startsWith("host edge-01: exit 0");
        assertThat(outcomes.get(1).getOutcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(outcomes.get(1).getDetail()).contains("refused: action 'reboot' is not in this host's allow-list [restart]");
    }

    @Test
    void shouldRunALibraryActionAndStopACommandAtItsLimitAuditingBoth(StackEndpoints stack, @TempDir Path dir) throws Exception {
        ensureTopics(stack);
        Path spin = script(dir.resolve("spin.sh"), "while :; do :; done");
        Process runaway = new ProcessBuilder("/bin/sleep", "300").start();
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                commands:
                  spin: {executable: %s, timeout: 30s, limits: {cpu_time: 1s}}
                library:
                  stop-runaway: {kind: stop-process, processes: [/usr/bin/sleep], grace: 5s}
                rules:
                  - name: stop-runaway
                    match: {metric: "process\\\\..*"}
                    action: {executor: library, name: stop-runaway, parameters: {pid: "{{label.pid}}"}}
                  - name: spin
                    match: {metric: "spin\\\\..*"}
                    action: {executor: command, name: spin}
                """.formatted(spin));
        RemediationConfig config = config(stack, dir, policy);

        try (RemediationService service = RemediationService.start(config);
             AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer())) {
            alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "lib-01", Alerts.opened("lib-01/process.cpu-1", "lib-01", "process.cpu",
                    Map.of("pid", Long.toString(runaway.pid())))));
            alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "lib-02", Alerts.opened("lib-02/spin.cpu-1", "lib-02", "spin.cpu", Map.of())));
            alerts.flush();
            await("both outcomes audited", () -> AuditTopic.readAll(config.kafka(), config.registry()).stream()
                    .filter(r -> r.getHostId().startsWith("lib-") && r.getOutcome() != AuditOutcome.EXECUTED).count() == 2);
            assertThat(service.problem()).isNull();
        } finally {
            runaway.destroyForcibly();
        }

        assertThat(runaway.waitFor()).as("stopped by SIGTERM").isEqualTo(128 + 15);
        Map<String, AuditRecord> outcomes = new java.util.HashMap<>();
        AuditTopic.readAll(config.kafka(), config.registry()).stream().filter(r -> r.getHostId().startsWith("lib-") && r.getOutcome() != AuditOutcome.EXECUTED)
                .forEach(r -> outcomes.put(r.getRule(), r));
        assertThat(outcomes.get("stop-runaway").getOutcome()).isEqualTo(AuditOutcome.SUCCEEDED);
        assertThat(outcomes.get("stop-runaway").getDetail()).startsWith("stopped pid " + runaway.pid() + " (/usr/bin/sleep) with SIGTERM");
        assertThat(outcomes.get("spin").getOutcome()).isEqualTo(AuditOutcome.FAILED);
        assertThat(outcomes.get("spin").getDetail()).startsWith("exit 152 (SIGXCPU: stopped by the CPU time limit of 1 s)");
    }

    private static void produceGarbage(StackEndpoints stack) {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.ALERTS.name(), "web-03", "not an alert".getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static List<DeadLetter> deadLetters(StackEndpoints stack, AvroSerdes serdes) {
        return TopicReader.of(stack.kafkaBootstrapServers(), Topics.DEAD_LETTERS.name(), IsolationLevel.READ_COMMITTED,
                new StringDeserializer(), new Topics(serdes).deadLetters().valueSerde().deserializer()).valuesAtLeast(1, Duration.ofSeconds(15));
    }

    private static List<AuditOutcome> outcomes(RemediationConfig config) {
        return AuditTopic.readAll(config.kafka(), config.registry()).stream().map(AuditRecord::getOutcome).toList();
    }
}
