package dev.vigil.remediation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;
import dev.vigil.remediation.policy.UnsafeParameterException;
import dev.vigil.remediation.policy.Verification;

/**
 * Decides what to do about an alert: the first rule that matches an OPENED alert, then every guard in turn.
 * The guards, in the order they are checked (the first that stops it is the one audited):
 * <ol>
 *   <li>{@code idempotency}: this (alert, rule) was decided before (a replayed or redelivered alert)</li>
 *   <li>{@code silence}: the alert falls under a silence (the streams application marked it {@code silencedBy})</li>
 *   <li>{@code unsafe-parameter}: an alert field would bring a path or an option into the action</li>
 *   <li>{@code max-attempts}: the rule acted this often on this series or host already</li>
 *   <li>{@code cooldown}, {@code target-cooldown}: the rule acted too recently, anywhere or on this host</li>
 *   <li>{@code rate-limit}: the rule's actions in its window</li>
 *   <li>{@code one-at-a-time}: an action on this host is still running</li>
 *   <li>{@code fleet-cap}: too many hosts, or too large a share of the fleet, under remediation at once</li>
 * </ol>
 * What passes is {@link Decision.NeedsApproval} for risky rules, {@link Decision.DryRun} in dry-run mode,
 * and {@link Decision.Execute} otherwise. Pure: no I/O, the clock is an argument.
 */
public final class PolicyEngine {

    private final Policy policy;
    private final GuardState state;
    private final IntSupplier fleetSize;

    /**
     * @param fleetSize how many hosts the fleet has now, for the share cap
     */
    public PolicyEngine(Policy policy, GuardState state, IntSupplier fleetSize) {
        this.policy = Objects.requireNonNull(policy, "policy can't be null");
        this.state = Objects.requireNonNull(state, "state can't be null");
        this.fleetSize = Objects.requireNonNull(fleetSize, "fleetSize can't be null");
    }

    /** The decision for {@code alert}, or empty when no rule acts on it (not OPENED, or no rule matches). */
    public Optional<Decision> decide(Alert alert, long nowMillis) {
        if (alert.getEvent() != AlertEvent.OPENED) {
            return Optional.empty();
        }
        Optional<Rule> matched = policy.rules().stream().filter(rule -> rule.match().matches(alert)).findFirst();
        return matched.map(rule -> decide(rule, alert, nowMillis));
    }

    private Decision decide(Rule rule, Alert alert, long now) {
        String key = alert.getAlertId() + "/" + rule.name();
        String target = alert.getHostId();
        if (state.decided(key)) {
            return new Decision.Rejected(rule, key, target, "idempotency", "alert " + alert.getAlertId() + " was decided for rule "
                    + rule.name() + " before");
        }
        state.recordDecided(key);
        if (alert.getSilencedBy() != null) {
            return new Decision.Rejected(rule, key, target, "silence", "the alert falls under silence " + alert.getSilencedBy());
        }
        Map<String, String> parameters;
        try {
            parameters = rule.action().resolve(alert);
            // An undo that could not be filled in when needed is no undo: an action that could not be reversed waits for a person.
            rule.verification().flatMap(Verification::undo).ifPresent(undo -> undo.resolve(alert));
        } catch (UnsafeParameterException e) {
            return new Decision.Rejected(rule, key, target, "unsafe-parameter", e.getMessage());
        }
        int attempts = state.attempts(rule.name(), alert.getFingerprint());
        if (attempts >= rule.maxAttempts()) {
            return new Decision.Rejected(rule, key, target, "max-attempts", "rule acted " + attempts + " times on "
                    + alert.getFingerprint() + " already (max_attempts " + rule.maxAttempts() + ")");
        }
        long sinceRule = state.sinceRuleActed(rule.name(), now);
        if (sinceRule < rule.cooldown().toMillis()) {
            return new Decision.Rejected(rule, key, target, "cooldown", "rule acted " + sinceRule / 1000 + " s ago (cooldown "
                    + rule.cooldown() + ")");
        }
        long sinceTarget = state.sinceTargetActed(rule.name(), target, now);
        if (sinceTarget < rule.targetCooldown().toMillis()) {
            return new Decision.Rejected(rule, key, target, "target-cooldown", "rule acted on " + target + " " + sinceTarget / 1000
                    + " s ago (target_cooldown " + rule.targetCooldown() + ")");
        }
        int recent = state.actionsSince(rule.name(), now - rule.rateWindow().toMillis());
        if (recent >= rule.rateLimit()) {
            return new Decision.Rejected(rule, key, target, "rate-limit", recent + " actions in the last " + rule.rateWindow()
                    + " (rate_limit " + rule.rateLimit() + ")");
        }
        if (state.inFlight(target)) {
            return new Decision.Rejected(rule, key, target, "one-at-a-time", "an action on " + target + " is still running");
        }
        int busy = state.targetsInFlight();
        int fleet = Math.max(1, fleetSize.getAsInt());
        if (busy + 1 > policy.maxHosts() || (busy + 1) > Math.max(1, Math.floor(policy.maxFleetShare() * fleet))) {
            return new Decision.Rejected(rule, key, target, "fleet-cap", busy + " of " + fleet + " hosts under remediation (max_hosts "
                    + policy.maxHosts() + ", max_share " + policy.maxFleetShare() + ")");
        }
        if (rule.requiresApproval()) {
            return new Decision.NeedsApproval(rule, key, target, parameters, now + policy.approvalTtl().toMillis());
        }
        if (policy.dryRun()) {
            // Counted as if it ran and ended at once, so a dry run shows what the guards would let through.
            state.recordStarted(rule.name(), target, alert.getFingerprint(), now);
            state.recordFinished(target);
            return new Decision.DryRun(rule, key, target, parameters);
        }
        state.recordStarted(rule.name(), target, alert.getFingerprint(), now);
        return new Decision.Execute(rule, key, target, parameters);
    }
}
