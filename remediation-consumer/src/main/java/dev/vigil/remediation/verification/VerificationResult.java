package dev.vigil.remediation.verification;

import java.util.Objects;

/**
 * A verification's verdict on one executed action: it helped (VERIFIED) or it did not within {@code verify_within}
 * (INEFFECTIVE), with the numbers the check saw.
 */
public record VerificationResult(PendingVerification verification, Kind kind, String detail) {

    /** The two verdicts; each is written to the audit trail as the outcome of the same name. */
    public enum Kind { VERIFIED, INEFFECTIVE }

    public VerificationResult {
        Objects.requireNonNull(verification, "verification can't be null");
        Objects.requireNonNull(kind, "kind can't be null");
        Objects.requireNonNull(detail, "detail can't be null");
    }
}
