package dev.vigil.remediation.verification;

import java.util.Objects;
import java.util.Optional;

/**
 * What an INEFFECTIVE verdict still owes, as the audit trail tells it after a restart: the undo (if the rule has one
 * and no UNDONE record follows the verdict) and the escalation (if the rule has one and no ESCALATED record follows).
 *
 * @param detail      what the verification saw, as its INEFFECTIVE record says
 * @param undoOutcome the undo's outcome when it ran before the restart, for the escalation to report
 */
public record OwedFollowUp(PendingVerification verification, String detail, boolean undo, boolean escalation,
                           Optional<String> undoOutcome) {

    public OwedFollowUp {
        Objects.requireNonNull(verification, "verification can't be null");
        Objects.requireNonNull(detail, "detail can't be null");
        Objects.requireNonNull(undoOutcome, "undoOutcome can't be null");
    }

    boolean settled() {
        return !undo && !escalation;
    }
}
