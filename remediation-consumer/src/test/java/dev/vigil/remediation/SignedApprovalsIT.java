package dev.vigil.remediation;

import static dev.vigil.remediation.RemediationFixture.assertTrailIntact;
import static dev.vigil.remediation.RemediationFixture.await;
import static dev.vigil.remediation.RemediationFixture.config;
import static dev.vigil.remediation.RemediationFixture.ensureTopics;
import static dev.vigil.remediation.RemediationFixture.lines;
import static dev.vigil.remediation.RemediationFixture.script;
import static dev.vigil.remediation.RemediationFixture.trail;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.approvals.ApprovalTrail;
import dev.vigil.remediation.approvals.Approvers;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.serde.AvroSerdes;
import dev.vigil.stack.LocalStackExtension;
import dev.vigil.stack.StackEndpoints;

/**
 * Approvals as an attacker with write access to {@code vigil.remediation.approvals} would send them, on the real broker and
 * registry: unsigned, forged, expired, published under another decision, signed by a viewer and by an approver whose scope
 * is elsewhere, for a decision that is not waiting, and replayed (also after a restart), around one valid approval.
 * Exactly one is accepted and runs its action once; every other is audited as APPROVAL_REFUSED with its reason and
 * counted; the trail verifies, and so does every approval signature in it.
 */
@ExtendWith(LocalStackExtension.class)
class SignedApprovalsIT {

    @Test
    void shouldAcceptOnlyTheOneValidSignedApprovalAndAuditEveryRefusalWithItsReason(StackEndpoints stack, @TempDir Path dir) throws Exception {
        ensureTopics(stack);
        Path ran = dir.resolve("ran.log");
        Path script = script(dir.resolve("risky.sh"), "echo \"ran $1\" >> " + ran);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                dry_run: false
                commands:
                  risky: {executable: %s, args: ["{{host}}"], timeout: 10s}
                rules:
                  - name: risky-restart
                    match: {metric: "signed\\\\..*"}
                    approval: true
                    target_cooldown: 0s
                    action: {executor: command, name: risky, parameters: {host: "{{host_id}}"}}
                """.formatted(script));
        Approvers approvers = new Approvers(dir, Map.of(
                "alice", "roles: [approver]",
                "victor", "roles: [viewer]",
                "prod", "roles: [approver], approve: {host_labels: {environment: production}}",
                "cleaner", "roles: [approver], approve: {rules: [\"clean-*\"]}"));
        RemediationConfig config = config(stack, dir, policy, "http.access.file", approvers.accessFile().toString());
        String first;
        String second;

        try (AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", stack.schemaRegistryUrl()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).alerts().valueSerde().serializer());
             KafkaProducer<String, ApprovalDecision> approvals = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                     new StringSerializer(), new Topics(serdes).remediationApprovals().valueSerde().serializer())) {
            ApprovalDecision valid;
            try (RemediationService service = RemediationService.start(config)) {
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "sa-01", Alerts.opened("sa-01/signed.x-1", "sa-01", "signed.x", Map.of())));
                alerts.send(new ProducerRecord<>(Topics.ALERTS.name(), "sa-02", Alerts.opened("sa-02/signed.x-1", "sa-02", "signed.x", Map.of())));
                alerts.flush();
                await("two decisions waiting", () -> service.pending().size() == 2);
                first = service.pending().entrySet().stream().filter(e -> e.getValue().target().equals("sa-01")).findFirst().orElseThrow().getKey();
                String firstId = first;
                second = service.pending().keySet().stream().filter(id -> !id.equals(firstId)).findFirst().orElseThrow();
                Instant now = Instant.now();
                ApprovalDecision signedByAlice = approvers.sign("alice", first, true, "ok", now);
                List<ProducerRecord<String, ApprovalDecision>> attacks = List.of(
                        approval(first, new ApprovalDecision(first, true, "alice", now, "unsigned", "", null, "", null)),
                        approval(first, ApprovalDecision.newBuilder(signedByAlice).setComment("ok, and more").build()),
                        approval(first, approvers.sign("alice", first, true, "too late", now.minus(Duration.ofMinutes(20)))),
                        approval(second, signedByAlice),
                        approval(first, approvers.sign("victor", first, true, "a viewer", now)),
                        approval(first, approvers.sign("prod", first, true, "another environment", now)),
                        approval(first, approvers.sign("cleaner", first, true, "another rule", now)),
                        approval("no-such-decision", approvers.sign("alice", "no-such-decision", true, "nothing waits", now)));
                attacks.forEach(approvals::send);
                approvals.flush();
                await("eight refusals audited", () -> refusals(config, first, second).size() == 8);
                assertThat(lines(ran)).as("nothing refused ran").isEmpty();

                valid = approvers.sign("alice", first, true, "the valid one", Instant.now());
                approvals.send(approval(first, valid));
                approvals.flush();
                await("the approved action ran", () -> lines(ran).size() == 1);
                approvals.send(approval(first, valid));
                approvals.flush();
                await("the replay refused", () -> refusals(config, first, second).size() == 9);

                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + service.httpAddress() + "/metrics"))
                        .header("Authorization", "Bearer " + approvers.viewerToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("vigil_remediation_approvals_refused_total{reason=\"unsigned\"} 1.0",
                        "vigil_remediation_approvals_refused_total{reason=\"forged\"} 1.0",
                        "vigil_remediation_approvals_refused_total{reason=\"expired\"} 1.0",
                        "vigil_remediation_approvals_refused_total{reason=\"other-decision\"} 1.0",
                        "vigil_remediation_approvals_refused_total{reason=\"not-approver\"} 3.0",
                        "vigil_remediation_approvals_refused_total{reason=\"not-pending\"} 1.0",
                        "vigil_remediation_approvals_refused_total{reason=\"replayed\"} 1.0");
            }

            try (RemediationService restarted = RemediationService.start(config)) {
                approvals.send(approval(first, valid)); // the same approval, to a consumer that knows it only from the trail
                approvals.flush();
                await("the replay after a restart refused", () -> refusals(config, first, second).size() == 10);
            }
        }

        assertThat(lines(ran)).as("exactly one accepted, run once").containsExactly("ran sa-01");
        List<AuditRecord> mine = trail(config).stream().filter(ofThisTest(Set.of("sa-01", "sa-02"), Set.of(first, second, "no-such-decision")))
                .toList();
        assertThat(mine.stream().filter(r -> r.getOutcome() == AuditOutcome.APPROVED).toList()).singleElement()
                .satisfies(approved -> {
                    assertThat(approved.getActor()).isEqualTo("alice");
                    assertThat(approved.getDetail()).startsWith("signed by alice, nonce ").endsWith("; comment: the valid one");
                });
        Map<String, Long> reasons = refusalsOf(mine).stream().collect(Collectors.groupingBy(AuditRecord::getGuard, Collectors.counting()));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of("unsigned", 1L, "forged", 1L, "expired", 1L, "other-decision", 1L,
                "not-approver", 3L, "not-pending", 1L, "replayed", 2L));
        assertThat(refusalsOf(mine)).allSatisfy(refused -> assertThat(refused.getActor()).as("the consumer, not a claimed name")
                .isEqualTo(config.actor()));
        assertThat(trail(config).stream().filter(r -> r.getOutcome() == AuditOutcome.POLICY_LOADED && r.getDetail().contains(policy.toString())))
                .as("each start audits its policy load").hasSize(2)
                .allSatisfy(loaded -> assertThat(loaded.getDetail()).contains("sha256 " + dev.vigil.remediation.audit.AuditChain.sha256Hex(
                        Files.readAllBytes(policy))));
        assertTrailIntact(config);
        assertThat(ApprovalTrail.verify(mine, approvers.parsed())).as("the approval signatures the trail carries")
                .isEqualTo(new ApprovalTrail.Result.Verified(1, 0));
    }

    private static ProducerRecord<String, ApprovalDecision> approval(String key, ApprovalDecision value) {
        return new ProducerRecord<>(Topics.REMEDIATION_APPROVALS.name(), key, value);
    }

    private static Predicate<AuditRecord> ofThisTest(Set<String> hosts, Set<String> decisions) {
        return record -> hosts.contains(record.getHostId()) || decisions.contains(record.getDecisionId());
    }

    private static List<AuditRecord> refusalsOf(List<AuditRecord> records) {
        return records.stream().filter(r -> r.getOutcome() == AuditOutcome.APPROVAL_REFUSED).toList();
    }

    /** Refusals of this test's decisions, and of the decision no one waits for. */
    private static List<AuditRecord> refusals(RemediationConfig config, String first, String second) {
        return refusalsOf(trail(config)).stream().filter(ofThisTest(Set.of("sa-01", "sa-02"), Set.of(first, second, "no-such-decision"))).toList();
    }
}
