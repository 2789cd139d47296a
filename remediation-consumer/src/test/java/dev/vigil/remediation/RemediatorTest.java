package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.approvals.ApprovalGate;
import dev.vigil.remediation.approvals.Approvers;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.remediation.audit.ChainedAuditSink;
import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.remediation.verification.FollowUps;
import dev.vigil.remediation.verification.Verifier;

class RemediatorTest {

    private static final byte[] KEY = "audit-key-audit-key-audit-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final String HOOK = "webhooks: {runbook: {url: \"http://127.0.0.1:1/h\"}}\n";

    private final List<AuditRecord> trail = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    @TempDir
    java.nio.file.Path folder;
    private Approvers approvers;

    @BeforeEach
    void approvers() {
        approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "bob", "roles: [approver]"));
    }

    private Remediator remediator(String policyYaml, GuardState state) {
        return remediator(policyYaml, state, new Verifier());
    }

    private Remediator remediator(String policyYaml, GuardState state, Verifier verifier) {
        Policy policy = PolicyParser.parse(policyYaml);
        return new Remediator(policy, state, sink(), request -> {
            ran.add(request.rule().name() + "@" + request.target());
            return new ActionOutcome(true, "HTTP 200");
        }, "remediation-test", () -> 100, verifier, approvers.gate());
    }

    /** The trail's next links, appended to {@link #trail}. */
    private ChainedAuditSink sink() {
        AuditChain chain = trail.isEmpty() ? new AuditChain(KEY, 0, AuditChain.GENESIS)
                : new AuditChain(KEY, trail.get(trail.size() - 1).getSequence(), AuditChain.hash(trail.get(trail.size() - 1)));
        return new ChainedAuditSink(chain, trail::add);
    }

    private static Alert alert(String id) {
        return Alerts.opened(id, "web-01", "service.errors", Map.of());
    }

    private List<AuditOutcome> outcomes() {
        return trail.stream().map(AuditRecord::getOutcome).toList();
    }

    @Test
    void shouldAuditAheadOfTheActionAndItsOutcomeAfter() {
        Remediator remediator = remediator("dry_run: false\n" + HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: runbook}\n",
                new GuardState());

        remediator.onAlert(alert("a1"), Instant.EPOCH);

        assertThat(ran).containsExactly("r@web-01");
        assertThat(outcomes()).containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED);
        assertThat(trail.get(1).getDetail()).isEqualTo("HTTP 200");
        assertThat(new AuditVerifier(KEY).verify(trail, List.of())).isEqualTo(new AuditVerifier.Result.Intact(2, 0));
    }

    @Test
    void shouldNeverActTwiceOnAnAlertAfterARestartThatReplaysTheTrail() {
        String policy = "dry_run: false\n" + HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: runbook}\n";
        remediator(policy, new GuardState()).onAlert(alert("a1"), Instant.EPOCH);

        GuardState rebuilt = new GuardState();
        trail.forEach(record -> AuditReplay.apply(record, rebuilt));
        Remediator restarted = remediator(policy, rebuilt);

        assertThat(restarted.onAlert(alert("a1"), Instant.ofEpochSecond(3600))).as("the redelivered alert").isEmpty();
        assertThat(ran).hasSize(1);
        assertThat(trail).hasSize(2);
    }

    @Test
    void shouldAuditEverySuppressionWithItsGuardAndDryRunsAsSuch() {
        Remediator remediator = remediator(HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: runbook}\n", new GuardState());

        remediator.onAlert(alert("a1"), Instant.EPOCH);
        remediator.onAlert(alert("a2"), Instant.ofEpochSecond(60));

        assertThat(ran).as("dry run").isEmpty();
        assertThat(outcomes()).containsExactly(AuditOutcome.DRY_RUN, AuditOutcome.SUPPRESSED);
        assertThat(trail.get(1).getGuard()).isEqualTo("target-cooldown");
    }

    @Test
    void shouldRunARiskyActionOnlyOnceApprovedAndRecordWhoApproved() {
        Remediator remediator = remediator("dry_run: false\n" + HOOK + "rules:\n  - name: r\n    approval: true\n"
                + "    action: {executor: webhook, name: runbook}\n", new GuardState());
        Decision decision = remediator.onAlert(alert("a1"), Instant.EPOCH).orElseThrow();
        String id = remediator.pending().keySet().iterator().next();

        assertThat(decision).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(ran).isEmpty();
        assertThat(remediator.onApproval(id, approvers.sign("alice", id, true, "go", Instant.ofEpochSecond(10)), Instant.ofEpochSecond(10)))
                .isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(ran).containsExactly("r@web-01");
        assertThat(outcomes()).containsExactly(AuditOutcome.AWAITING_APPROVAL, AuditOutcome.APPROVED, AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED);
        assertThat(trail.get(1).getActor()).isEqualTo("alice");
    }

    @Test
    void shouldRecordADenialAndLetUnansweredRequestsLapse() {
        Remediator remediator = remediator("dry_run: false\napproval_ttl: 5m\n" + HOOK + "rules:\n  - name: r\n    approval: true\n"
                + "    target_cooldown: 0s\n    action: {executor: webhook, name: runbook}\n", new GuardState());
        remediator.onAlert(alert("a1"), Instant.EPOCH);
        String denied = remediator.pending().keySet().iterator().next();
        remediator.onApproval(denied, approvers.sign("bob", denied, false, "not now", Instant.ofEpochSecond(5)), Instant.ofEpochSecond(5));
        remediator.onAlert(alert("a2"), Instant.ofEpochSecond(10));

        assertThat(remediator.expire(Instant.ofEpochSecond(10 + 299))).isZero();
        assertThat(remediator.expire(Instant.ofEpochSecond(10 + 300))).isEqualTo(1);
        String late = "no such decision";
        assertThat(remediator.onApproval(late, approvers.sign("alice", late, true, "", Instant.ofEpochSecond(400)), Instant.ofEpochSecond(400)))
                .isInstanceOf(ApprovalGate.Verdict.Refused.class);

        assertThat(ran).isEmpty();
        assertThat(outcomes()).containsExactly(AuditOutcome.AWAITING_APPROVAL, AuditOutcome.DENIED, AuditOutcome.AWAITING_APPROVAL,
                AuditOutcome.EXPIRED, AuditOutcome.APPROVAL_REFUSED);
        assertThat(trail.get(4).getGuard()).isEqualTo("not-pending");
        assertThat(trail.get(4).getActor()).as("the consumer: the claimed name is not proven").isEqualTo("remediation-test");
        assertThat(trail.get(1).getActor()).isEqualTo("bob");
    }

    @Test
    void shouldWatchASucceededActionAndLetOnlyTheActionsThatDidNotHelpCountAgainstMaxAttempts() {
        String policy = "dry_run: false\n" + HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: runbook}\n"
                + "    target_cooldown: 0s\n    max_attempts: 1\n    verify_within: 10m\n";
        Verifier verifier = new Verifier();
        GuardState state = new GuardState();
        ChainedAuditSink sink = sink();
        Remediator remediator = new Remediator(PolicyParser.parse(policy), state, sink, request -> new ActionOutcome(true, "HTTP 200"),
                "remediation-test", () -> 100, verifier, approvers.gate());
        FollowUps followUps = new FollowUps(sink, request -> new ActionOutcome(true, "HTTP 200"), state, "remediation-test", () -> Instant.EPOCH);
        Alert first = Alerts.opened("web-01/service.errors-1", "web-01", "service.errors", Map.of());

        remediator.onAlert(first, Instant.EPOCH);
        assertThat(verifier.pendingCount()).as("watched from its SUCCEEDED on").isEqualTo(1);
        verifier.onAlert(Alerts.later(first, AlertEvent.RESOLVED, 0.1, 0.01), Instant.now()).forEach(followUps::settle);
        remediator.onAlert(Alerts.opened("web-01/service.errors-2", "web-01", "service.errors", Map.of()), Instant.ofEpochSecond(60));
        verifier.due(Instant.now().plusSeconds(601), source -> true).forEach(followUps::settle);
        remediator.onAlert(Alerts.opened("web-01/service.errors-3", "web-01", "service.errors", Map.of()), Instant.ofEpochSecond(120));

        assertThat(outcomes()).containsExactly(AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.VERIFIED,
                AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE, AuditOutcome.SUPPRESSED);
        assertThat(trail.get(6).getGuard()).as("the fixed one gave its attempt back, the ineffective one did not").isEqualTo("max-attempts");
        GuardState rebuilt = new GuardState();
        trail.forEach(record -> AuditReplay.apply(record, rebuilt));
        assertThat(rebuilt.attempts("r", "web-01/service.errors")).as("after a restart, too").isEqualTo(1);
    }

    @Test
    void shouldKeepAHostBusyWhoseUndoNeverReportedItsOutcome() {
        AuditChain chain = new AuditChain(KEY, 0, AuditChain.GENESIS);
        GuardState rebuilt = new GuardState();
        for (AuditOutcome outcome : new AuditOutcome[] {AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE,
                AuditOutcome.UNDONE}) {
            AuditReplay.apply(chain.append(Instant.EPOCH, "remediation-test", "d1", "web-01/service.errors-1", "web-01", "r", "webhook:runbook",
                    AuditChain.sha256(""), outcome, null, ""), rebuilt);
        }
        assertThat(rebuilt.inFlight("web-01")).as("stopped while the undo ran").isTrue();

        AuditReplay.apply(chain.append(Instant.EPOCH, "remediation-test", "d1", "web-01/service.errors-1", "web-01", "r", "command:undo",
                AuditChain.sha256(""), AuditOutcome.SUCCEEDED, null, "exit 0"), rebuilt);

        assertThat(rebuilt.inFlight("web-01")).isFalse();
    }
}
