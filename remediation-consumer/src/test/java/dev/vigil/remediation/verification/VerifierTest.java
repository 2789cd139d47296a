package dev.vigil.remediation.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static dev.vigil.remediation.verification.Watched.POLICY;
import static dev.vigil.remediation.verification.Watched.RESTART;
import static dev.vigil.remediation.verification.Watched.T;
import static dev.vigil.remediation.verification.Watched.THROTTLE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.avro.AnomalyScore;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.Alerts;
import dev.vigil.remediation.audit.AuditChain;

class VerifierTest {

    private final Verifier verifier = new Verifier();
    private final Alert nginx = Watched.NGINX;

    @Test
    void shouldVerifyAnActionWhoseAlertResolvesWithinVerifyWithin() {
        verifier.start("d1", nginx, RESTART, T);

        assertThat(verifier.onAlert(Alerts.later(nginx, AlertEvent.UPDATED, 0.93, 0.97), T.plusSeconds(30))).isEmpty();
        assertThat(verifier.onAlert(Alerts.later(Alerts.opened("web-01/other-1", "web-01", "service.other", Map.of()), AlertEvent.RESOLVED, 0, 0),
                T.plusSeconds(40))).as("another alert").isEmpty();
        List<VerificationResult> settled = verifier.onAlert(Alerts.later(nginx, AlertEvent.RESOLVED, 0.2, 0.05), T.plusSeconds(75));

        assertThat(settled).hasSize(1);
        assertThat(settled.get(0).kind()).isEqualTo(VerificationResult.Kind.VERIFIED);
        assertThat(settled.get(0).detail()).isEqualTo("the alert resolved 75.0 s after the action (verify_within 10m): value 0.2 (band 0 to 0.5), score 0.05");
        assertThat(verifier.pendingCount()).isZero();
    }

    @Test
    void shouldJudgeAnActionIneffectiveOnlyOnceItsDeadlinePassedAndTheAlertsWereReadUpToIt() {
        verifier.start("d1", nginx, RESTART, T);
        verifier.onAlert(Alerts.later(nginx, AlertEvent.UPDATED, 0.93, 0.97), T.plusSeconds(30));

        assertThat(verifier.anyDue(T.plusSeconds(599))).isFalse();
        assertThat(verifier.due(T.plusSeconds(599), source -> true)).isEmpty();
        assertThat(verifier.anyDue(T.plusSeconds(600))).isTrue();
        assertThat(verifier.due(T.plusSeconds(600), source -> false)).as("a RESOLVED produced in time may still be unread").isEmpty();
        List<VerificationResult> settled = verifier.due(T.plusSeconds(600), source -> source == EvidenceSource.ALERTS);

        assertThat(settled).extracting(VerificationResult::kind).containsExactly(VerificationResult.Kind.INEFFECTIVE);
        assertThat(settled.get(0).detail()).isEqualTo("the alert did not resolve (verify_within 10m); its last event, UPDATED 30.0 s after "
                + "the action: value 0.93 (band 0 to 0.5), score 0.97");
    }

    @Test
    void shouldCountAResolutionAfterTheDeadlineAsIneffective() {
        verifier.start("d1", nginx, RESTART, T);

        List<VerificationResult> settled = verifier.onAlert(Alerts.later(nginx, AlertEvent.RESOLVED, 0.1, 0.02), T.plusSeconds(660));

        assertThat(settled).extracting(VerificationResult::kind).containsExactly(VerificationResult.Kind.INEFFECTIVE);
        assertThat(settled.get(0).detail()).startsWith("the alert resolved 660.0 s after the action (verify_within 10m)");
    }

    @Test
    void shouldVerifyANamedMetricOnceEachOfItsSeriesOnTheHostIsInsideItsBandForTheSamplesAsked() {
        Alert runaway = Alerts.opened("web-01/process.cpu.utilization-1", "web-01", "process.cpu.utilization", Map.of("pid", "4242"));
        verifier.start("d2", runaway, THROTTLE, T);
        assertThat(verifier.scoreHosts()).isEqualTo(Map.of("web-01", T));

        assertThat(offer(cpu("4242", 0.97), T.minusSeconds(5))).as("before the action").isEmpty();
        assertThat(offer(Alerts.score("web-02", "process.cpu.utilization", Map.of("pid", "1"), 0.1, 0, 0.6), T.plusSeconds(1)))
                .as("another host").isEmpty();
        assertThat(offer(cpu("4242", 0.2), T.plusSeconds(10))).isEmpty();
        assertThat(offer(cpu("4242", 0.9), T.plusSeconds(20))).as("out again: the run starts over").isEmpty();
        assertThat(offer(learning(cpu("4243", 5)), T.plusSeconds(21))).as("a series still learning has no band to judge by").isEmpty();
        assertThat(offer(cpu("4242", 0.3), T.plusSeconds(30))).isEmpty();
        assertThat(offer(cpu("4242", 0.25), T.plusSeconds(40))).isEmpty();
        assertThat(offer(cpu("1", 0.1), T.plusSeconds(41))).as("another series of the metric, not yet 3 in a row").isEmpty();
        assertThat(offer(cpu("1", 0.1), T.plusSeconds(42))).isEmpty();
        List<VerificationResult> settled = offer(cpu("1", 0.12), T.plusSeconds(43));
        assertThat(settled).isEmpty();
        settled = offer(cpu("4242", 0.21), T.plusSeconds(50));

        assertThat(settled).extracting(VerificationResult::kind).containsExactly(VerificationResult.Kind.VERIFIED);
        assertThat(settled.get(0).detail()).isEqualTo("process.cpu.utilization on web-01 inside its band for 3 scores in a row, 50.0 s after "
                + "the action (verify_within 5m): process.cpu.utilization{pid=1} last 0.12 (band 0 to 0.6), score 0, 3 in a row inside; "
                + "8 scores of 2 series seen");
        assertThat(verifier.scoreHosts()).isEmpty();
    }

    @Test
    void shouldJudgeANamedMetricIneffectiveOnAScorePastTheDeadline() {
        verifier.start("d2", Alerts.opened("web-01/process.cpu.utilization-1", "web-01", "process.cpu.utilization", Map.of()), THROTTLE, T);
        offer(cpu("4242", 0.97), T.plusSeconds(60));

        List<VerificationResult> settled = offer(cpu("4242", 0.2), T.plusSeconds(301));

        assertThat(settled).extracting(VerificationResult::kind).containsExactly(VerificationResult.Kind.INEFFECTIVE);
        assertThat(settled.get(0).detail()).isEqualTo("process.cpu.utilization on web-01 not back inside its band (verify_within 5m): "
                + "process.cpu.utilization{pid=4242} last 0.97 (band 0 to 0.6), score 0.97, 0 in a row inside; 1 scores of 1 series seen");
    }

    @Test
    void shouldWatchNothingForARuleThatVerifiesNothing() {
        verifier.start("d3", nginx, POLICY.rules().get(2), T);

        assertThat(verifier.pendingCount()).isZero();
    }

    @Test
    void shouldRebuildTheWatchesAndTheStepsStillOwedFromTheTrail() {
        AuditChain chain = new AuditChain(Watched.KEY, 0, AuditChain.GENESIS);
        List<AuditRecord> trail = new ArrayList<>();
        record(chain, trail, "watched", "restart", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED);
        record(chain, trail, "fixed", "restart", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.VERIFIED);
        record(chain, trail, "owes-both", "restart", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE);
        record(chain, trail, "owes-escalation", "restart", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE,
                AuditOutcome.UNDONE, AuditOutcome.FAILED);
        record(chain, trail, "settled", "restart", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED, AuditOutcome.INEFFECTIVE,
                AuditOutcome.UNDONE, AuditOutcome.SUCCEEDED, AuditOutcome.ESCALATED);
        record(chain, trail, "failed", "restart", AuditOutcome.EXECUTED, AuditOutcome.FAILED);
        record(chain, trail, "gone", "a-rule-since-removed", AuditOutcome.EXECUTED, AuditOutcome.SUCCEEDED);

        trail.forEach(record -> verifier.replay(record, POLICY));

        assertThat(verifier.pending()).extracting(PendingVerification::decisionId).containsExactly("watched");
        PendingVerification watched = verifier.pending().iterator().next();
        assertThat(watched.startedAt()).as("from the SUCCEEDED record").isEqualTo(trail.get(1).getTimestamp());
        assertThat(watched.alert()).as("the trail holds no alert").isEmpty();
        List<OwedFollowUp> owed = verifier.takeOwed();
        assertThat(owed).extracting(o -> o.verification().decisionId(), OwedFollowUp::undo, OwedFollowUp::escalation, OwedFollowUp::undoOutcome)
                .containsExactly(tuple("owes-both", true, true, Optional.empty()),
                        tuple("owes-escalation", false, true, Optional.of("FAILED: detail of FAILED")));
        assertThat(owed.get(0).detail()).isEqualTo("detail of INEFFECTIVE");
        assertThat(verifier.takeOwed()).as("handed over once").isEmpty();
    }

    private static void record(AuditChain chain, List<AuditRecord> trail, String decision, String rule, AuditOutcome... outcomes) {
        for (AuditOutcome outcome : outcomes) {
            trail.add(chain.append(T.plusSeconds(trail.size()), "remediation-test", decision, "web-01/service.errors-" + decision, "web-01", rule,
                    "command:restart-unit", AuditChain.sha256(""), outcome, null, "detail of " + outcome));
        }
    }

    private List<VerificationResult> offer(AnomalyScore score, Instant at) {
        return verifier.onScore(score, at);
    }

    private static AnomalyScore cpu(String pid, double value) {
        return Alerts.score("web-01", "process.cpu.utilization", Map.of("pid", pid), value, 0, 0.6);
    }

    private static AnomalyScore learning(AnomalyScore score) {
        return AnomalyScore.newBuilder(score).setLearning(true).build();
    }
}
