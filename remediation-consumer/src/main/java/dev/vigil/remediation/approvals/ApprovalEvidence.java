package dev.vigil.remediation.approvals;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;

/**
 * What an {@code APPROVED} or {@code DENIED} audit record says about the approval behind it, in its {@code detail}: enough to
 * verify the signature again from the trail alone ({@code vigil audit verify}) and to know its nonce after a restart. One
 * line, the comment last so it may hold anything:
 *
 * <pre>
 *   signed by alice, nonce 3q2-7w, decided 2026-12-01T03:00:00.123Z, expires 2026-12-01T03:10:00.123Z, signature BASE64; comment: TEXT
 *   signed by console for alice, nonce 3q2-7w, decided ..., expires ..., signature BASE64; comment: TEXT
 *   unsigned (approvals.unsigned.allowed); comment: TEXT
 * </pre>
 *
 * The second form is an approval the console signed with its service key for the user it authenticated: the signer and the
 * actor both stay in the trail. The decision id, the answer (the outcome) and the actor are the record's own fields.
 */
public final class ApprovalEvidence {

    private static final Pattern SIGNED = Pattern.compile(
            "signed by ([^\\s,]+)(?: for ([^\\s,]+))?, nonce (\\S+), decided (\\S+), expires (\\S+), signature (\\S+); comment: (.*)", Pattern.DOTALL);
    private static final String UNSIGNED = "unsigned (approvals.unsigned.allowed); comment: ";

    private ApprovalEvidence() {
    }

    /** The detail of the record that accepts {@code approval}. */
    public static String detail(ApprovalDecision approval) {
        if (approval.getSignature() == null) {
            return UNSIGNED + approval.getComment();
        }
        String onBehalf = approval.getSigner().equals(approval.getActor()) ? "" : " for " + approval.getActor();
        return "signed by " + approval.getSigner() + onBehalf + ", nonce " + approval.getNonce() + ", decided " + approval.getDecidedAt()
                + ", expires " + approval.getExpiresAt() + ", signature "
                + Base64.getEncoder().encodeToString(ApprovalSignatures.bytes(approval.getSignature())) + "; comment: " + approval.getComment();
    }

    /** The signed approval an APPROVED or DENIED record accepted; empty for other records, unsigned ones and those written before signing. */
    public static Optional<ApprovalDecision> signedApproval(AuditRecord record) {
        if (record.getOutcome() != AuditOutcome.APPROVED && record.getOutcome() != AuditOutcome.DENIED) {
            return Optional.empty();
        }
        Matcher m = SIGNED.matcher(record.getDetail());
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(2) != null && !m.group(2).equals(record.getActor())) {
            return Optional.empty(); // says it was signed for someone else than the record's actor: not evidence of this record
        }
        try {
            return Optional.of(ApprovalDecision.newBuilder().setDecisionId(record.getDecisionId())
                    .setApproved(record.getOutcome() == AuditOutcome.APPROVED).setActor(record.getActor())
                    .setSigner(m.group(1)).setNonce(m.group(3)).setDecidedAt(Instant.parse(m.group(4))).setExpiresAt(Instant.parse(m.group(5)))
                    .setSignature(ByteBuffer.wrap(Base64.getDecoder().decode(m.group(6)))).setComment(m.group(7)).build());
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the record says it accepted an unsigned approval. */
    public static boolean unsigned(AuditRecord record) {
        return (record.getOutcome() == AuditOutcome.APPROVED || record.getOutcome() == AuditOutcome.DENIED)
                && record.getDetail().startsWith(UNSIGNED);
    }
}
