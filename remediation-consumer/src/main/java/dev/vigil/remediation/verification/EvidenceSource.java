package dev.vigil.remediation.verification;

/** Where a verification looks for the fix: the topic the remediation consumer must have read up to the deadline before it judges. */
public enum EvidenceSource {
    /** {@code vigil.alerts}: the alert's RESOLVED event. */
    ALERTS,
    /** {@code vigil.scores}: the named metric's scores on the alert's host. */
    SCORES
}
