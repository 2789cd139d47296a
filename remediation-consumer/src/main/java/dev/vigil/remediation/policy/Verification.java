package dev.vigil.remediation.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What "fixed" means for a rule's action, and what follows when it was not: after the action succeeded, the
 * remediation consumer watches for up to {@code within} and records VERIFIED or INEFFECTIVE in the audit trail.
 *
 * @param within     how long the action has to show it helped ({@code verify_within}); more than zero
 * @param metric     {@code verify_metric}: fixed when every series of this metric on the alert's host is inside its
 *                   band for {@code samples} scores in a row; empty: fixed when the alert's RESOLVED event arrives
 * @param samples    {@code verify_samples}: scores in a row inside the band that count as fixed (with {@code metric})
 * @param undo       {@code undo}: the action that reverses this one, run when it was INEFFECTIVE
 * @param escalation {@code escalate}: the allow-listed webhook called (executor {@code webhook}) when it was INEFFECTIVE
 */
public record Verification(Duration within, Optional<String> metric, int samples, Optional<ActionSpec> undo,
                           Optional<ActionSpec> escalation) {

    public Verification {
        Objects.requireNonNull(within, "within can't be null");
        if (within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("within must be more than zero, is " + within);
        }
        Objects.requireNonNull(metric, "metric can't be null");
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, is " + samples);
        }
        Objects.requireNonNull(undo, "undo can't be null");
        Objects.requireNonNull(escalation, "escalation can't be null");
    }
}
