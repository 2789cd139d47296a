package dev.vigil.remediation.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.runtime.security.SigningKeys;

class ApprovalSignaturesTest {

    private static final Instant AT = Instant.parse("2026-12-01T03:00:00.123Z");

    private static ApprovalDecision approval(String decisionId, String actor, String comment, String nonce) {
        return ApprovalDecision.newBuilder().setDecisionId(decisionId).setApproved(true).setActor(actor).setDecidedAt(AT)
                .setExpiresAt(AT.plusSeconds(600)).setNonce(nonce).setComment(comment).build();
    }

    @Test
    void shouldWriteTheCanonicalFormVersionedAndLengthPrefixed() {
        byte[] canonical = ApprovalSignatures.canonical(approval("d1", "alice", "ok", "n1"));

        byte[] expectedStart = "vigil-approval\0\1\0\0\0\2d1\0\0\0\4true\0\0\0\5alice".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Arrays.copyOf(canonical, expectedStart.length)).isEqualTo(expectedStart);
        assertThat(new String(canonical, StandardCharsets.ISO_8859_1)).endsWith("\0\0\0\2n1\0\0\0\2ok")
                .contains("\0\0\0\r" + AT.toEpochMilli());
    }

    @Test
    void shouldGiveDifferentBytesWhenTextMovesBetweenFields() {
        // Without length prefixes "ab" + "c" and "a" + "bc" would sign alike.
        assertThat(ApprovalSignatures.canonical(approval("d1", "ab", "c", "n")))
                .isNotEqualTo(ApprovalSignatures.canonical(approval("d1", "a", "bc", "n")));
        assertThat(ApprovalSignatures.canonical(approval("d1", "alice", "", "n1x")))
                .isNotEqualTo(ApprovalSignatures.canonical(approval("d1", "alice", "x", "n1")));
    }

    @Test
    void shouldVerifyASignedApprovalWithTheSignersKeyOnly(@TempDir Path folder) {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]", "bob", "roles: [approver]"));
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", AT);
        var keys = approvers.parsed();

        assertThat(signed.getSignature().remaining()).isEqualTo(64);
        assertThat(signed.getNonce()).hasSize(22);
        assertThat(ApprovalSignatures.verifies(signed, ((ApproverKeys.Lookup.Found) ApproverKeys.current(java.util.Optional.of(keys), "alice")).key()))
                .isTrue();
        assertThat(ApprovalSignatures.verifies(signed, ((ApproverKeys.Lookup.Found) ApproverKeys.current(java.util.Optional.of(keys), "bob")).key()))
                .as("bob's key").isFalse();
    }

    @Test
    void shouldRefuseEveryFieldChangedAfterSigning(@TempDir Path folder) throws Exception {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]"));
        ApprovalDecision signed = approvers.sign("alice", "d1", true, "go", AT);
        var key = SigningKeys.readPublic(folder.resolve("keys/alice.pub"));

        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setDecisionId("d2").build(), key)).as("decision").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setApproved(false).build(), key)).as("approved").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setActor("mallory").build(), key)).as("actor").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setDecidedAt(AT.plusMillis(1)).build(), key)).as("decidedAt").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setExpiresAt(AT.plusSeconds(86_400)).build(), key)).as("expiresAt").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setNonce("other").build(), key)).as("nonce").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setComment("go!").build(), key)).as("comment").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setSignature(ByteBuffer.wrap(new byte[3])).build(), key))
                .as("a malformed signature").isFalse();
        assertThat(ApprovalSignatures.verifies(ApprovalDecision.newBuilder(signed).setSignature(null).build(), key)).as("none").isFalse();
        assertThat(ApprovalSignatures.verifies(signed, key)).isTrue();
    }

    @Test
    void shouldKeepWhatTheTrailNeedsToVerifyTheSignatureAgain(@TempDir Path folder) throws Exception {
        Approvers approvers = new Approvers(folder, Map.of("alice", "roles: [approver]"));
        ApprovalDecision signed = approvers.sign("alice", "d1", false, "not now; see ticket 42, signature x", AT);
        var record = dev.vigil.avro.AuditRecord.newBuilder().setSequence(1).setTimestamp(AT).setActor("alice").setDecisionId("d1").setAlertId("a")
                .setHostId("h").setRule("r").setAction("x").setParametersHash("").setOutcome(dev.vigil.avro.AuditOutcome.DENIED)
                .setDetail(ApprovalEvidence.detail(signed)).setPreviousHash("").setHmac("").build();

        ApprovalDecision fromTrail = ApprovalEvidence.signedApproval(record).orElseThrow();

        assertThat(fromTrail).isEqualTo(signed);
        assertThat(ApprovalSignatures.verifies(fromTrail, SigningKeys.readPublic(folder.resolve("keys/alice.pub")))).isTrue();
    }
}
