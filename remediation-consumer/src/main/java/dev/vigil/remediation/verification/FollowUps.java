package dev.vigil.remediation.verification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.remediation.AuditReplay;
import dev.vigil.remediation.GuardState;
import dev.vigil.remediation.Remediator;
import dev.vigil.remediation.executors.ActionRequest;
import dev.vigil.remediation.executors.ActionRunner;
import dev.vigil.remediation.policy.ActionSpec;
import dev.vigil.remediation.policy.Rule;
import dev.vigil.remediation.policy.UnsafeParameterException;
import dev.vigil.schemas.Topics;

/**
 * Writes verdicts to the audit trail and carries out what follows an INEFFECTIVE one. In the trail, for one decision:
 * {@code VERIFIED}, or {@code INEFFECTIVE} then, if the rule has an undo, {@code UNDONE} (written before the undo runs,
 * like EXECUTED before an action: a restart never runs it twice) and the undo's {@code SUCCEEDED} or {@code FAILED}, then,
 * if the rule escalates, {@code ESCALATED} with the webhook's answer (written after the call: a lost page is worse than a
 * repeated one, which the receiver drops by its {@code X-Vigil-Idempotency-Key}).
 */
public final class FollowUps {

    private final Remediator.AuditSink audit;
    private final ActionRunner runner;
    private final GuardState state;
    private final String actor;
    private final Supplier<Instant> clock;

    public FollowUps(Remediator.AuditSink audit, ActionRunner runner, GuardState state, String actor, Supplier<Instant> clock) {
        this.audit = Objects.requireNonNull(audit, "audit can't be null");
        this.runner = Objects.requireNonNull(runner, "runner can't be null");
        this.state = Objects.requireNonNull(state, "state can't be null");
        this.actor = Objects.requireNonNull(actor, "actor can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    /** Audits {@code result}; after an INEFFECTIVE one, runs the undo and the escalation its rule has. */
    public void settle(VerificationResult result) {
        PendingVerification watched = result.verification();
        boolean fixed = result.kind() == VerificationResult.Kind.VERIFIED;
        append(watched, watched.rule().action(), Map.of(), fixed ? AuditOutcome.VERIFIED : AuditOutcome.INEFFECTIVE, result.detail());
        if (fixed) {
            state.recordFixed(watched.rule().name(), AuditReplay.fingerprintOf(watched.alertId()));
            return;
        }
        carryOut(new OwedFollowUp(watched, result.detail(), watched.verification().undo().isPresent(),
                watched.verification().escalation().isPresent(), Optional.empty()));
    }

    /** Carries out what an INEFFECTIVE verdict still owes: its undo, then its escalation. */
    public void carryOut(OwedFollowUp owed) {
        PendingVerification watched = owed.verification();
        Optional<String> undone = owed.undoOutcome();
        if (owed.undo()) {
            undone = Optional.of(undo(watched, watched.verification().undo().orElseThrow()));
        }
        if (owed.escalation()) {
            escalate(watched, watched.verification().escalation().orElseThrow(), owed.detail(), undone);
        }
    }

    private String undo(PendingVerification watched, ActionSpec undo) {
        Map<String, String> parameters;
        String refused = null;
        try {
            parameters = parameters(watched, undo);
        } catch (UnsafeParameterException | IllegalStateException e) {
            parameters = Map.of();
            refused = e.getMessage();
        }
        append(watched, undo, parameters, AuditOutcome.UNDONE, "undo of " + watched.rule().action().id() + " after INEFFECTIVE: "
                + (refused == null ? "running " : "cannot run ") + undo.id());
        ActionOutcome outcome;
        if (refused != null) {
            outcome = new ActionOutcome(false, "not run: " + refused);
        } else {
            state.recordBusy(watched.hostId());
            outcome = run(watched, watched.rule().withAction(undo), parameters, "undo");
            state.recordFinished(watched.hostId());
        }
        AuditOutcome ended = outcome.succeeded() ? AuditOutcome.SUCCEEDED : AuditOutcome.FAILED;
        append(watched, undo, parameters, ended, outcome.detail());
        return ended + ": " + outcome.detail();
    }

    /** The undo's parameters, from the alert; an undo without alert fields needs no alert. */
    private static Map<String, String> parameters(PendingVerification watched, ActionSpec undo) {
        if (!undo.namesAlertFields()) {
            return undo.parameters();
        }
        return undo.resolve(watched.alert().orElseThrow(() -> new IllegalStateException("its parameters name alert fields, and alert "
                + watched.alertId() + " is no longer on " + Topics.ALERTS.name())));
    }

    private void escalate(PendingVerification watched, ActionSpec webhook, String detail, Optional<String> undone) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("alert_id", watched.alertId());
        parameters.put("host_id", watched.hostId());
        parameters.put("action", watched.rule().action().id());
        parameters.put("verdict", AuditOutcome.INEFFECTIVE.name());
        parameters.put("seen", detail);
        parameters.put("undo", undone.orElse("none"));
        ActionOutcome outcome = run(watched, watched.rule().withAction(webhook), parameters, "escalate");
        append(watched, webhook, parameters, AuditOutcome.ESCALATED, (outcome.succeeded() ? "delivered: " : "NOT delivered: ") + outcome.detail());
    }

    private ActionOutcome run(PendingVerification watched, Rule rule, Map<String, String> parameters, String step) {
        try {
            return runner.run(new ActionRequest(rule, watched.hostId(), parameters, watched.alertId() + "/" + rule.name() + "/" + step,
                    watched.decisionId()));
        } catch (RuntimeException e) {
            return new ActionOutcome(false, "the executor failed: " + e);
        }
    }

    private void append(PendingVerification watched, ActionSpec action, Map<String, String> parameters, AuditOutcome outcome, String detail) {
        audit.append(watched.decisionId(), watched.alertId(), watched.hostId(), watched.rule().name(), action.id(), parameters, outcome, null,
                detail, actor, clock.get());
    }
}
