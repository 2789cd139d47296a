package dev.vigil.remediation.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;

class ApprovalGateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    private static final Optional<ApprovalGate.Waiting> WAITING = Optional.of(new ApprovalGate.Waiting("restart-nginx", "web-01",
            Map.of("environment", "staging", "role", "web")));

    @TempDir
    Path folder;
    private Approvers approvers;
    private ApprovalGate gate;

    @BeforeEach
    void approvers() {
        approvers = new Approvers(folder, Map.of(
                "alice", "roles: [approver]",
                "stage", "roles: [approver], approve: {rules: [\"restart-*\"], host_labels: {environment: staging}}",
                "prod", "roles: [approver], approve: {rules: [\"restart-*\"], host_labels: {environment: production}}",
                "cleaner", "roles: [approver], approve: {rules: [\"clean-*\"]}",
                "viewer", "roles: [viewer]",
                "boss", "roles: [admin]",
                "console", "roles: [console]"));
        gate = approvers.gate();
    }

    private ApprovalGate.Verdict check(ApprovalDecision answer) {
        return gate.check(answer.getDecisionId(), answer, WAITING, NOW);
    }

    private static ApprovalRefusal refusal(ApprovalGate.Verdict verdict) {
        assertThat(verdict).isInstanceOf(ApprovalGate.Verdict.Refused.class);
        return ((ApprovalGate.Verdict.Refused) verdict).reason();
    }

    @Test
    void shouldAcceptASignedApprovalOfAnApproverAndSayWhoInTheEvidence() {
        ApprovalGate.Verdict verdict = check(approvers.sign("alice", "d1", true, "go", NOW.minusSeconds(5)));

        assertThat(verdict).isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(((ApprovalGate.Verdict.Accepted) verdict).actor()).isEqualTo("alice");
        assertThat(((ApprovalGate.Verdict.Accepted) verdict).evidence()).startsWith("signed by alice, nonce ").endsWith("; comment: go");
    }

    @Test
    void shouldRefuseAnUnsignedApproval() {
        ApprovalDecision unsigned = new ApprovalDecision("d1", true, "alice", NOW, "go", "", null, "", null);

        assertThat(refusal(check(unsigned))).isEqualTo(ApprovalRefusal.UNSIGNED);
    }

    @Test
    void shouldAcceptAnUnsignedApprovalOnlyWhenExplicitlyAllowedAndStillOnlyForAPendingDecision() {
        ApprovalGate lax = new ApprovalGate(Optional::empty, true);
        ApprovalDecision unsigned = new ApprovalDecision("d1", true, "dev", NOW, "go", "", null, "", null);

        assertThat(lax.check("d1", unsigned, WAITING, NOW)).isEqualTo(new ApprovalGate.Verdict.Accepted("dev",
                "unsigned (approvals.unsigned.allowed); comment: go"));
        assertThat(refusal(lax.check("d1", unsigned, Optional.empty(), NOW))).isEqualTo(ApprovalRefusal.NOT_PENDING);
    }

    @Test
    void shouldRefuseASignatureThatDoesNotVerifyAsForged() {
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", NOW);
        byte[] bytes = ApprovalSignatures.bytes(signed.getSignature());
        bytes[0] ^= 1;

        assertThat(refusal(check(ApprovalDecision.newBuilder(signed).setSignature(ByteBuffer.wrap(bytes)).build()))).isEqualTo(ApprovalRefusal.FORGED);
        assertThat(refusal(check(ApprovalDecision.newBuilder(signed).setComment("go anywhere").build()))).isEqualTo(ApprovalRefusal.FORGED);
    }

    @Test
    void shouldRefuseAnApprovalSignedWithOneKeyInTheNameOfAnotherAsForged() {
        ApprovalDecision byMallory = approvers.sign("viewer", "d1", true, "go", NOW);

        assertThat(refusal(check(ApprovalDecision.newBuilder(byMallory).setActor("alice").build()))).as("signer is not the actor")
                .isEqualTo(ApprovalRefusal.FORGED);
        assertThat(refusal(check(ApprovalDecision.newBuilder(byMallory).setActor("alice").setSigner("alice").build())))
                .as("claims alice's key").isEqualTo(ApprovalRefusal.FORGED);
    }

    @Test
    void shouldRefuseASignerTheAccessFileDoesNotKnowOrWithoutAnAccessFile() {
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", NOW);
        ApprovalDecision stranger = ApprovalDecision.newBuilder(signed).setActor("eve").setSigner("eve").build();

        assertThat(refusal(check(stranger))).isEqualTo(ApprovalRefusal.UNKNOWN_SIGNER);
        assertThat(refusal(new ApprovalGate(Optional::empty, false).check("d1", signed, WAITING, NOW))).isEqualTo(ApprovalRefusal.UNKNOWN_SIGNER);
    }

    @Test
    void shouldRefuseAnExpiredApproval() {
        ApprovalDecision lapsed = approvers.sign("alice", "d1", true, "go", NOW.minus(Duration.ofMinutes(11)), Duration.ofMinutes(10));

        assertThat(refusal(check(lapsed))).isEqualTo(ApprovalRefusal.EXPIRED);
        assertThat(((ApprovalGate.Verdict.Refused) check(lapsed)).detail()).contains("expired at 2026-12-01T02:59:00Z");
    }

    @Test
    void shouldRefuseTheSameApprovalTheSecondTimeAsReplayed() {
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", NOW);

        assertThat(check(signed)).isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(refusal(check(signed))).isEqualTo(ApprovalRefusal.REPLAYED);
    }

    @Test
    void shouldKnowTheNoncesAcceptedBeforeARestartFromTheTrail() {
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", NOW);
        AuditRecord approved = AuditRecord.newBuilder().setSequence(1).setTimestamp(NOW).setActor("alice").setDecisionId("d1").setAlertId("a")
                .setHostId("web-01").setRule("restart-nginx").setAction("x").setParametersHash("").setOutcome(AuditOutcome.APPROVED)
                .setDetail(ApprovalEvidence.detail(signed)).setPreviousHash("").setHmac("").build();
        ApprovalGate restarted = approvers.gate();

        restarted.replay(approved);

        assertThat(refusal(restarted.check("d1", signed, WAITING, NOW))).isEqualTo(ApprovalRefusal.REPLAYED);
    }

    @Test
    void shouldRefuseAnApprovalPublishedUnderAnotherDecisionsKey() {
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", NOW);

        assertThat(refusal(gate.check("d2", signed, WAITING, NOW))).isEqualTo(ApprovalRefusal.OTHER_DECISION);
    }

    @Test
    void shouldRefuseAnApprovalOfADecisionThatIsNotWaiting() {
        ApprovalDecision signed = approvers.sign("alice", "gone", true, "go", NOW);

        assertThat(refusal(gate.check("gone", signed, Optional.empty(), NOW))).isEqualTo(ApprovalRefusal.NOT_PENDING);
    }

    @Test
    void shouldRefuseAUserWithoutTheApproverRoleAndLetAdminsApprove() {
        assertThat(refusal(check(approvers.sign("viewer", "d1", true, "go", NOW)))).isEqualTo(ApprovalRefusal.NOT_APPROVER);
        assertThat(check(approvers.sign("boss", "d1", true, "go", NOW))).as("admin implies approver")
                .isInstanceOf(ApprovalGate.Verdict.Accepted.class);
    }

    @Test
    void shouldAcceptOnlyApproversWhoseRulePatternsAndHostLabelsCoverTheDecision() {
        assertThat(check(approvers.sign("stage", "d1", true, "go", NOW))).as("restart-* on staging").isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(refusal(check(approvers.sign("prod", "d1", true, "go", NOW)))).as("another environment").isEqualTo(ApprovalRefusal.NOT_APPROVER);
        ApprovalGate.Verdict cleaner = check(approvers.sign("cleaner", "d1", true, "go", NOW));
        assertThat(refusal(cleaner)).as("another rule").isEqualTo(ApprovalRefusal.NOT_APPROVER);
        assertThat(((ApprovalGate.Verdict.Refused) cleaner).detail()).contains("not rule 'restart-nginx' on web-01");
    }

    private ApprovalDecision byConsoleFor(String actor) {
        return approvers.signFor("console", actor, "d1", true, "go", NOW, Duration.ofMinutes(10));
    }

    @Test
    void shouldAcceptAnApprovalTheConsoleSignedForAnApproverAndKeepBothNamesInTheEvidence() {
        ApprovalGate.Verdict verdict = check(byConsoleFor("alice"));

        assertThat(verdict).isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(((ApprovalGate.Verdict.Accepted) verdict).actor()).as("the user, not the console").isEqualTo("alice");
        assertThat(((ApprovalGate.Verdict.Accepted) verdict).evidence()).startsWith("signed by console for alice, nonce ");
    }

    @Test
    void shouldApplyTheApproverRoleAndScopeOfTheUserTheConsoleSignedFor() {
        assertThat(refusal(check(byConsoleFor("viewer")))).as("a viewer, through the console").isEqualTo(ApprovalRefusal.NOT_APPROVER);
        assertThat(refusal(check(byConsoleFor("prod")))).as("another environment").isEqualTo(ApprovalRefusal.NOT_APPROVER);
        assertThat(check(byConsoleFor("stage"))).as("restart-* on staging").isInstanceOf(ApprovalGate.Verdict.Accepted.class);
    }

    @Test
    void shouldRefuseAnApprovalTheConsoleSignedForSomeoneTheAccessFileDoesNotKnow() {
        ApprovalGate.Verdict verdict = check(byConsoleFor("eve"));

        assertThat(refusal(verdict)).isEqualTo(ApprovalRefusal.NOT_APPROVER);
        assertThat(((ApprovalGate.Verdict.Refused) verdict).detail()).contains("'eve', for whom 'console' signed, is no user of the access file");
    }

    @Test
    void shouldRefuseAsForgedASignerWithoutTheConsoleRoleSpeakingForAnotherEvenAnAdmin() {
        assertThat(refusal(check(approvers.signFor("boss", "alice", "d1", true, "go", NOW, Duration.ofMinutes(10)))))
                .as("admin does not imply console").isEqualTo(ApprovalRefusal.FORGED);
        assertThat(refusal(check(approvers.signFor("alice", "stage", "d1", true, "go", NOW, Duration.ofMinutes(10)))))
                .as("an approver for another").isEqualTo(ApprovalRefusal.FORGED);
    }

    @Test
    void shouldRefuseAConsoleApprovalWhoseActorWasChangedAfterSigningAsForged() {
        ApprovalDecision signed = byConsoleFor("viewer");

        assertThat(refusal(check(ApprovalDecision.newBuilder(signed).setActor("alice").build()))).isEqualTo(ApprovalRefusal.FORGED);
    }

    @Test
    void shouldStillRefuseExpiredAndReplayedApprovalsOfTheConsole() {
        ApprovalDecision signed = byConsoleFor("alice");
        assertThat(check(signed)).isInstanceOf(ApprovalGate.Verdict.Accepted.class);
        assertThat(refusal(check(signed))).isEqualTo(ApprovalRefusal.REPLAYED);
        assertThat(refusal(check(approvers.signFor("console", "alice", "d1", true, "late", NOW.minus(Duration.ofMinutes(11)), Duration.ofMinutes(10)))))
                .isEqualTo(ApprovalRefusal.EXPIRED);
    }

    @Test
    void shouldRefuseAConsoleWhoseKeyCannotBeFound() {
        ApprovalDecision signed = byConsoleFor("alice");

        assertThat(refusal(new ApprovalGate(Optional::empty, false).check("d1", signed, WAITING, NOW))).as("no access file")
                .isEqualTo(ApprovalRefusal.FORGED);
    }

    @Test
    void shouldQuoteAndCutWhatTheTopicSaysBeforeItReachesTheTrail() {
        assertThat(ApprovalGate.quote("a\nb")).isEqualTo("'a?b'");
        assertThat(ApprovalGate.quote("x".repeat(100))).hasSize(80 + 5);
    }
}
