package dev.vigil.remediation.approvals;

/**
 * Why the remediation consumer refused an approval: a closed set, audited as the {@code guard} of an
 * {@code APPROVAL_REFUSED} record and counted as {@code vigil_remediation_approvals_refused_total{reason}}.
 */
public enum ApprovalRefusal {
    /** No signature, and unsigned approvals are not allowed ({@code approvals.unsigned.allowed}). */
    UNSIGNED("unsigned"),
    /** The signer is no user of the access file with a readable public key, or there is no access file. */
    UNKNOWN_SIGNER("unknown-signer"),
    /** The signature does not verify with the signer's public key, or the signer is not who it says decided. */
    FORGED("forged"),
    /** Past its expiry, or without one. */
    EXPIRED("expired"),
    /** Its nonce was accepted before (or it has none). */
    REPLAYED("replayed"),
    /** The record's key names another decision than its signed body. */
    OTHER_DECISION("other-decision"),
    /** Nothing waits for an answer under this decision id: unknown, answered or lapsed. */
    NOT_PENDING("not-pending"),
    /** The signer has no approver role, or its {@code approve} scope does not cover the decision's rule and host. */
    NOT_APPROVER("not-approver");

    private final String label;

    ApprovalRefusal(String label) {
        this.label = label;
    }

    /** As the audit trail and the metric name it. */
    public String label() {
        return label;
    }
}
