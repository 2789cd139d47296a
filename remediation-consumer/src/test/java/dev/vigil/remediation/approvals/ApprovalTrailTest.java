package dev.vigil.remediation.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;

class ApprovalTrailTest {

    private static final byte[] KEY = "audit-key-audit-key-audit-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant AT = Instant.parse("2026-12-01T03:00:00Z");

    private final AuditChain chain = new AuditChain(KEY, 0, AuditChain.GENESIS);
    private final List<AuditRecord> trail = new ArrayList<>();

    private void append(String actor, AuditOutcome outcome, String detail) {
        trail.add(chain.append(AT.plusSeconds(trail.size()), actor, "d" + trail.size(), "a", "web-01", "r", "command:x", AuditChain.sha256(""),
                outcome, null, detail));
    }

    @Test
    void shouldVerifyEverySignedApprovalAndCountTheUnsignedOnes(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "bob", "roles: [approver]"));
        append("remediation", AuditOutcome.AWAITING_APPROVAL, "expires at ...");
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(approvers.sign("alice", "d1", true, "go", AT)));
        append("bob", AuditOutcome.DENIED, ApprovalEvidence.detail(approvers.sign("bob", "d2", false, "no", AT)));
        append("dev", AuditOutcome.APPROVED, "unsigned (approvals.unsigned.allowed); comment: dev");
        append("carol", AuditOutcome.DENIED, "written before approvals were signed");

        assertThat(ApprovalTrail.verify(trail, approvers.parsed())).isEqualTo(new ApprovalTrail.Result.Verified(2, 2));
    }

    @Test
    void shouldNameARecordWhoseApprovalWasSignedWithAnotherKeyEvenWhenItsHmacHolds(@TempDir Path folder) {
        // The audit key leaked: the record is re-signed into the chain, but the approver's signature cannot be made.
        Approvers approvers = new Approvers(folder.resolve("real"), Map.of("alice", "roles: [approver]"));
        Approvers mallory = new Approvers(folder.resolve("mallory"), Map.of("alice", "roles: [approver]"));
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(approvers.sign("alice", "d0", true, "go", AT)));
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(mallory.sign("alice", "d1", true, "go", AT)));

        assertThat(new AuditVerifier(KEY).verify(trail, List.of())).isInstanceOf(AuditVerifier.Result.Intact.class);
        assertThat(ApprovalTrail.verify(trail, approvers.parsed())).isEqualTo(new ApprovalTrail.Result.Bad(2,
                "record 2: the approval's signature does not verify with the public key of alice: forged, or the key was replaced since"));
    }

    @Test
    void shouldVerifyAnApprovalTheConsoleSignedForItsUser(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "console", "roles: [console]"));
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(approvers.signFor("console", "alice", "d0", true, "go", AT,
                java.time.Duration.ofMinutes(10))));

        assertThat(trail.get(0).getDetail()).startsWith("signed by console for alice, nonce ");
        assertThat(ApprovalTrail.verify(trail, approvers.parsed())).isEqualTo(new ApprovalTrail.Result.Verified(1, 0));
    }

    @Test
    void shouldNameAConsoleApprovalWhoseRecordWasGivenAnotherActor(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "bob", "roles: [approver]", "console", "roles: [console]"));
        String detail = ApprovalEvidence.detail(approvers.signFor("console", "alice", "d0", true, "go", AT, java.time.Duration.ofMinutes(10)));
        append("bob", AuditOutcome.APPROVED, detail);
        append("bob", AuditOutcome.APPROVED, detail.replace(" for alice,", " for bob,"));

        ApprovalTrail.Result result = ApprovalTrail.verify(trail, approvers.parsed());
        assertThat(result).isInstanceOf(ApprovalTrail.Result.Bad.class);
        assertThat(((ApprovalTrail.Result.Bad) result).sequence()).isEqualTo(1);
        assertThat(ApprovalTrail.verify(trail.subList(1, 2), approvers.parsed())).as("the actor is signed: bob instead of alice does not verify")
                .isEqualTo(new ApprovalTrail.Result.Bad(2, "record 2: the approval's signature does not verify with the public key of console: "
                        + "forged, or the key was replaced since"));
    }

    @Test
    void shouldNameARecordSignedForOthersByAUserWithoutTheConsoleRole(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "boss", "roles: [admin]"));
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(approvers.signFor("boss", "alice", "d0", true, "go", AT,
                java.time.Duration.ofMinutes(10))));

        assertThat(ApprovalTrail.verify(trail, approvers.parsed())).isEqualTo(new ApprovalTrail.Result.Bad(1,
                "record 1 names alice but was signed by boss, which does not hold the console role"));
    }

    @Test
    void shouldNameARecordWhoseActorIsNotItsSigner(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]"));
        ApprovalDecision byAlice = approvers.sign("alice", "d0", true, "go", AT);
        append("bob", AuditOutcome.APPROVED, ApprovalEvidence.detail(byAlice));

        assertThat(ApprovalTrail.verify(trail, approvers.parsed())).isEqualTo(new ApprovalTrail.Result.Bad(1, "record 1 names bob but was signed by alice, which does not hold the console role"));
    }
}
