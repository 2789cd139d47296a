package dev.vigil.remediation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.vigil.avro.Alert;
import dev.vigil.avro.ApprovalDecision;
import dev.vigil.avro.AuditOutcome;
import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.approvals.ApprovalGate;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.executors.ActionRequest;
import dev.vigil.remediation.executors.ActionRunner;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;
import dev.vigil.remediation.verification.Verifier;

/**
 * Turns decisions into audited actions. Every decision is written to the audit trail before anything runs
 * (write-ahead: a consumer that dies mid-action never repeats it, because the trail it replays says it
 * started), then the action runs, then its outcome is written; an action that succeeded under a rule with
 * {@code verify_within} is then watched by the {@link Verifier}. Risky rules wait for an approval, which
 * lapses after the policy's TTL.
 */
public final class Remediator {

    /** Where audit records go: the single-writer audit topic, acknowledged before the caller goes on. */
    public interface AuditSink {
        void append(String decisionId, String alertId, String hostId, String rule, String action, Map<String, String> parameters,
                    AuditOutcome outcome, String guard, String detail, String actor, Instant time);
    }

    private record Pending(Decision.NeedsApproval decision, String decisionId, Alert alert) {
        String alertId() {
            return alert.getAlertId();
        }
    }

    private final Policy policy;
    private final PolicyEngine engine;
    private final GuardState state;
    private final AuditSink audit;
    private final ActionRunner runner;
    private final String actor;
    private final Verifier verifier;
    private final ApprovalGate gate;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    /**
     * @param verifier where an action that succeeded under a rule with {@code verify_within} goes to be watched
     * @param gate     which answers to a pending decision count (signed, by an approver whose scope covers it)
     */
    public Remediator(Policy policy, GuardState state, AuditSink audit, ActionRunner runner, String actor,
                      java.util.function.IntSupplier fleetSize, Verifier verifier, ApprovalGate gate) {
        this.policy = Objects.requireNonNull(policy, "policy can't be null");
        this.state = Objects.requireNonNull(state, "state can't be null");
        this.engine = new PolicyEngine(policy, state, fleetSize);
        this.audit = Objects.requireNonNull(audit, "audit can't be null");
        this.runner = Objects.requireNonNull(runner, "runner can't be null");
        this.actor = Objects.requireNonNull(actor, "actor can't be null");
        this.verifier = Objects.requireNonNull(verifier, "verifier can't be null");
        this.gate = Objects.requireNonNull(gate, "gate can't be null");
    }

    /** Decides on an alert and acts on the decision; returns it, or empty when no rule acts or it was decided before. */
    public Optional<Decision> onAlert(Alert alert, Instant now) {
        Optional<Decision> decided = engine.decide(alert, now.toEpochMilli());
        if (decided.isEmpty() || decided.get() instanceof Decision.Rejected rejected && rejected.guard().equals("idempotency")) {
            return Optional.empty(); // a replayed alert: decided and audited the first time
        }
        Decision decision = decided.get();
        String decisionId = decisionId(decision);
        Rule rule = decision.rule();
        String action = rule.action().id();
        if (decision instanceof Decision.Rejected rejected) {
            audit.append(decisionId, alert.getAlertId(), alert.getHostId(), rule.name(), action, Map.of(), AuditOutcome.SUPPRESSED,
                    rejected.guard(), rejected.reason(), actor, now);
        } else if (decision instanceof Decision.DryRun dryRun) {
            audit.append(decisionId, alert.getAlertId(), alert.getHostId(), rule.name(), action, dryRun.parameters(), AuditOutcome.DRY_RUN,
                    null, "dry run: would run " + action + " on " + dryRun.target(), actor, now);
        } else if (decision instanceof Decision.NeedsApproval approval) {
            audit.append(decisionId, alert.getAlertId(), alert.getHostId(), rule.name(), action, approval.parameters(),
                    AuditOutcome.AWAITING_APPROVAL, null, "expires at " + Instant.ofEpochMilli(approval.expiresAtMillis()), actor, now);
            pending.put(decisionId, new Pending(approval, decisionId, alert));
        } else if (decision instanceof Decision.Execute execute) {
            run(decisionId, alert, execute.rule(), execute.target(), execute.parameters(), execute.idempotencyKey(), now);
        }
        return decided;
    }

    /**
     * A person's answer to a pending decision, as it came on the approvals topic under {@code recordKey}. It counts only if
     * the {@link ApprovalGate} accepts it; a refused answer is audited ({@code APPROVAL_REFUSED}, the reason as its guard,
     * the consumer as its actor: the name the answer claims is not proven) and runs nothing, and the decision keeps waiting.
     */
    public ApprovalGate.Verdict onApproval(String recordKey, ApprovalDecision answer, Instant now) {
        Pending waiting = pending.get(answer.getDecisionId());
        ApprovalGate.Verdict verdict = gate.check(recordKey, answer, Optional.ofNullable(waiting).map(w -> new ApprovalGate.Waiting(
                w.decision().rule().name(), w.decision().target(), w.alert().getHostLabels())), now);
        if (verdict instanceof ApprovalGate.Verdict.Refused refused) {
            String claimed = (answer.getApproved() ? "approval" : "denial") + " claimed by " + quoted(answer.getActor()) + ": ";
            if (waiting == null) {
                audit.append(quoted(answer.getDecisionId()), "", "", "", "", Map.of(), AuditOutcome.APPROVAL_REFUSED, refused.reason().label(),
                        claimed + refused.detail(), actor, now);
            } else {
                Rule rule = waiting.decision().rule();
                audit.append(waiting.decisionId(), waiting.alertId(), waiting.decision().target(), rule.name(), rule.action().id(),
                        waiting.decision().parameters(), AuditOutcome.APPROVAL_REFUSED, refused.reason().label(), claimed + refused.detail(),
                        actor, now);
            }
            return verdict;
        }
        ApprovalGate.Verdict.Accepted accepted = (ApprovalGate.Verdict.Accepted) verdict;
        pending.remove(answer.getDecisionId());
        Decision.NeedsApproval decision = waiting.decision();
        Rule rule = decision.rule();
        if (!answer.getApproved()) {
            audit.append(waiting.decisionId(), waiting.alertId(), decision.target(), rule.name(), rule.action().id(), decision.parameters(),
                    AuditOutcome.DENIED, null, accepted.evidence(), accepted.actor(), now);
            return verdict;
        }
        audit.append(waiting.decisionId(), waiting.alertId(), decision.target(), rule.name(), rule.action().id(), decision.parameters(),
                AuditOutcome.APPROVED, null, accepted.evidence(), accepted.actor(), now);
        if (policy.dryRun()) {
            audit.append(waiting.decisionId(), waiting.alertId(), decision.target(), rule.name(), rule.action().id(), decision.parameters(),
                    AuditOutcome.DRY_RUN, null, "dry run: approved, would run " + rule.action().id(), actor, now);
            return verdict;
        }
        state.recordStarted(rule.name(), decision.target(), waiting.alert().getFingerprint(), now.toEpochMilli());
        run(waiting.decisionId(), waiting.alert(), rule, decision.target(), decision.parameters(), decision.idempotencyKey(), now);
        return verdict;
    }

    /** A value from the approvals topic as it may go into the trail: no control characters, at most 80 characters. */
    private static String quoted(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
    }

    /** Lapses the pending decisions whose TTL has passed; returns how many. */
    public int expire(Instant now) {
        int expired = 0;
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
            Pending waiting = it.next();
            if (waiting.decision().expiresAtMillis() <= now.toEpochMilli()) {
                Rule rule = waiting.decision().rule();
                audit.append(waiting.decisionId(), waiting.alertId(), waiting.decision().target(), rule.name(), rule.action().id(),
                        waiting.decision().parameters(), AuditOutcome.EXPIRED, null, "no answer within " + policy.approvalTtl(), actor, now);
                it.remove();
                expired++;
            }
        }
        return expired;
    }

    /** The decisions waiting for an answer, by id. */
    public Map<String, Decision.NeedsApproval> pending() {
        Map<String, Decision.NeedsApproval> view = new HashMap<>();
        pending.forEach((id, waiting) -> view.put(id, waiting.decision()));
        return view;
    }

    private void run(String decisionId, Alert alert, Rule rule, String target, Map<String, String> parameters, String key, Instant now) {
        String alertId = alert.getAlertId();
        // Write-ahead: the trail says it started before it does, so a restart never runs it twice.
        audit.append(decisionId, alertId, target, rule.name(), rule.action().id(), parameters, AuditOutcome.EXECUTED, null, "", actor, now);
        ActionOutcome outcome;
        try {
            outcome = runner.run(new ActionRequest(rule, target, parameters, key, decisionId));
        } catch (RuntimeException e) {
            outcome = new ActionOutcome(false, "the executor failed: " + e);
        }
        state.recordFinished(target);
        Instant ended = Instant.now();
        audit.append(decisionId, alertId, target, rule.name(), rule.action().id(), parameters,
                outcome.succeeded() ? AuditOutcome.SUCCEEDED : AuditOutcome.FAILED, null, outcome.detail(), actor, ended);
        if (outcome.succeeded()) {
            verifier.start(decisionId, alert, rule, ended); // from the time the trail gives, as a restart reads it back
        }
    }

    /** Stable per idempotency key, so the decision of a replayed alert has the same id. */
    static String decisionId(Decision decision) {
        return decisionId(decision.idempotencyKey());
    }

    static String decisionId(String idempotencyKey) {
        return AuditChain.sha256(idempotencyKey).substring(0, 20);
    }

    /** Hex SHA-256 of the parameters in key order: what the audit trail stores instead of the values. */
    public static String parametersHash(Map<String, String> parameters) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(parameters).forEach((k, v) -> canonical.append(k.length()).append(':').append(k).append('=')
                .append(v.length()).append(':').append(v).append(';'));
        return AuditChain.sha256(canonical.toString());
    }
}
