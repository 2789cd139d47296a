package dev.vigil.remediation.approvals;

import java.util.List;
import java.util.Optional;

import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.runtime.security.AccessFile;

/**
 * Checks, from the audit trail alone, that every {@code APPROVED} and {@code DENIED} record was signed by the approver it
 * names, or by a console (a user holding {@code console}) for that approver: the signature its detail carries
 * ({@link ApprovalEvidence}) must verify with the signer's public key in the access file. The actor is part of the signed
 * form, so a verified signature also binds who decided. {@code vigil audit verify} runs it after the chain's own check. A record that says it took an unsigned answer
 * ({@code approvals.unsigned.allowed}), or was written before approvals were signed, is counted, not refused.
 */
public final class ApprovalTrail {

    /** What the check found. */
    public sealed interface Result {
        record Verified(int signed, int unsigned) implements Result {
        }

        record Bad(long sequence, String problem) implements Result {
        }
    }

    private ApprovalTrail() {
    }

    public static Result verify(List<AuditRecord> trail, AccessFile access) {
        int signed = 0;
        int unsigned = 0;
        for (AuditRecord record : trail) {
            if (record.getOutcome() != AuditOutcome.APPROVED && record.getOutcome() != AuditOutcome.DENIED) {
                continue;
            }
            Optional<ApprovalDecision> approval = ApprovalEvidence.signedApproval(record);
            if (approval.isEmpty()) {
                if (record.getDetail().startsWith("signed by ")) {
                    return new Result.Bad(record.getSequence(), "record " + record.getSequence() + " says it was signed but its evidence cannot be read");
                }
                unsigned++;
                continue;
            }
            String signer = approval.get().getSigner();
            if (!signer.equals(record.getActor()) && !ApprovalGate.holdsConsoleRole(Optional.of(access), signer)) {
                return new Result.Bad(record.getSequence(), "record " + record.getSequence() + " names " + record.getActor() + " but was signed by "
                        + signer + ", which does not hold the console role");
            }
            // Any key the signer has had: a record signed before a rotation verifies with the key it was signed with.
            ApproverKeys.Lookup history = ApproverKeys.history(access, signer);
            if (history instanceof ApproverKeys.Lookup.Missing missing) {
                return new Result.Bad(record.getSequence(), "record " + record.getSequence() + ": the approval's signature cannot be checked: " + missing.why());
            }
            ApprovalDecision signedApproval = approval.get();
            if (((ApproverKeys.Lookup.Found) history).keys().stream().noneMatch(key -> ApprovalSignatures.verifies(signedApproval, key))) {
                return new Result.Bad(record.getSequence(), "record " + record.getSequence() + ": the approval's signature does not verify with any "
                        + "public key of " + signer + ": forged, or its key was replaced without keeping the old one in retired_public_keys");
            }
            signed++;
        }
        return new Result.Verified(signed, unsigned);
    }
}
