package dev.vigil.remediation.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.runtime.security.AccessFile;
import dev.vigil.runtime.security.AccessFileParser;
import dev.vigil.runtime.security.SigningKeys;

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
                "record 2: the approval's signature does not verify with any public key of alice: forged, or its key was replaced "
                        + "without keeping the old one in retired_public_keys"));
    }

    @Test
    void shouldVerifyApprovalsSignedBeforeAKeyRotationWithTheRetiredKeyWhichSignsNothingNew(@TempDir Path folder) throws Exception {
        Path keys = folder.resolve("keys");
        KeyPair before = SigningKeys.generate();
        KeyPair after = SigningKeys.generate();
        SigningKeys.write(before, keys, "alice-2025");
        SigningKeys.write(after, keys, "alice");
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(ApprovalSignatures.sign("d0", true, "alice", "before", AT,
                AT.plusSeconds(600), "alice", before.getPrivate())));
        append("alice", AuditOutcome.APPROVED, ApprovalEvidence.detail(ApprovalSignatures.sign("d1", true, "alice", "after", AT,
                AT.plusSeconds(600), "alice", after.getPrivate())));

        AccessFile replaced = access(folder, "{name: alice, roles: [approver], public_key: keys/alice.pub}");
        AccessFile rotated = access(folder, "{name: alice, roles: [approver], public_key: keys/alice.pub, "
                + "retired_public_keys: [keys/alice-2025.pub]}");

        assertThat(ApprovalTrail.verify(trail, replaced)).as("the old key thrown away").isInstanceOf(ApprovalTrail.Result.Bad.class);
        assertThat(ApprovalTrail.verify(trail, rotated)).isEqualTo(new ApprovalTrail.Result.Verified(2, 0));
        ApprovalGate gate = new ApprovalGate(() -> Optional.of(rotated), false);
        ApprovalGate.Waiting waiting = new ApprovalGate.Waiting("r", "web-01", Map.of());
        ApprovalDecision withRetiredKey = ApprovalSignatures.sign("d2", true, "alice", "late", AT, AT.plusSeconds(600), "alice",
                before.getPrivate());
        assertThat(gate.check("d2", withRetiredKey, Optional.of(waiting), AT)).as("a retired key signs nothing new")
                .isInstanceOfSatisfying(ApprovalGate.Verdict.Refused.class, refused -> assertThat(refused.reason()).isEqualTo(ApprovalRefusal.FORGED));
    }

    private static AccessFile access(Path folder, String user) throws Exception {
        Path file = folder.resolve("access.yaml");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "users:\n  - " + user + "\n", StandardCharsets.UTF_8);
        return AccessFileParser.parse(file);
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
                .isEqualTo(new ApprovalTrail.Result.Bad(2, "record 2: the approval's signature does not verify with any public key of console: "
                        + "forged, or its key was replaced without keeping the old one in retired_public_keys"));
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
