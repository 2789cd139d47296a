package dev.vigil.remediation.verification;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.vigil.avro.Alert;
import dev.vigil.remediation.policy.Rule;
import dev.vigil.remediation.policy.Verification;

/**
 * An executed action under watch: which decision, alert, host and rule, since when, until when, and the check that
 * decides. Built when the action succeeds, or from the audit trail when the consumer starts.
 */
public final class PendingVerification {

    private final String decisionId;
    private final String alertId;
    private final String hostId;
    private final Rule rule;
    private final Instant startedAt;
    private final FixedCheck check;
    private Alert alert;

    PendingVerification(String decisionId, String alertId, String hostId, Rule rule, Instant startedAt, Alert alert) {
        this.decisionId = Objects.requireNonNull(decisionId, "decisionId can't be null");
        this.alertId = Objects.requireNonNull(alertId, "alertId can't be null");
        this.hostId = Objects.requireNonNull(hostId, "hostId can't be null");
        this.rule = Objects.requireNonNull(rule, "rule can't be null");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt can't be null");
        this.alert = alert;
        Verification verification = rule.verification().orElseThrow(() -> new IllegalArgumentException("rule " + rule.name()
                + " verifies nothing"));
        this.check = verification.metric().<FixedCheck>map(metric -> new MetricInBand(hostId, metric, verification.samples(), startedAt,
                verification.within())).orElseGet(() -> new AlertResolves(alertId, startedAt, verification.within()));
    }

    public String decisionId() {
        return decisionId;
    }

    public String alertId() {
        return alertId;
    }

    public String hostId() {
        return hostId;
    }

    /** The rule whose action is watched (as the current policy has it). */
    public Rule rule() {
        return rule;
    }

    /** What the rule says "fixed" means, and what follows when it was not. */
    public Verification verification() {
        return rule.verification().orElseThrow();
    }

    /** When the action ended: the watch starts here. */
    public Instant startedAt() {
        return startedAt;
    }

    /** When the watch ends: {@code verify_within} after the action. */
    public Instant deadline() {
        return startedAt.plus(verification().within());
    }

    /** The alert the action answered, for the undo's parameters; empty when it could not be found after a restart. */
    public Optional<Alert> alert() {
        return Optional.ofNullable(alert);
    }

    void alert(Alert found) {
        this.alert = found;
    }

    FixedCheck check() {
        return check;
    }
}
