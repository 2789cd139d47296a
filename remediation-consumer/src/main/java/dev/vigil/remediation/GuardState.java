package dev.vigil.remediation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the guards remember: when each rule and each (rule, target) last acted, each rule's recent actions
 * (for its rate limit), attempts per (rule, fingerprint), the targets with an action in flight, and the
 * idempotency keys already decided. The remediation consumer rebuilds it from the audit trail on start, so
 * the guards hold across restarts.
 */
public final class GuardState {

    private final Map<String, Long> ruleLastActed = new HashMap<>();
    private final Map<String, Long> targetLastActed = new HashMap<>();
    private final Map<String, Deque<Long>> ruleActions = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> decided = new HashSet<>();

    boolean decided(String idempotencyKey) {
        return decided.contains(idempotencyKey);
    }

    /** Milliseconds since {@code rule} last acted, {@link Long#MAX_VALUE} if it never did. */
    long sinceRuleActed(String rule, long now) {
        Long last = ruleLastActed.get(rule);
        return last == null ? Long.MAX_VALUE : now - last;
    }

    /** Milliseconds since {@code rule} last acted on {@code target}, {@link Long#MAX_VALUE} if it never did. */
    long sinceTargetActed(String rule, String target, long now) {
        Long last = targetLastActed.get(rule + '\0' + target);
        return last == null ? Long.MAX_VALUE : now - last;
    }

    /** Actions of {@code rule} since {@code since}; older ones are forgotten. */
    int actionsSince(String rule, long since) {
        Deque<Long> actions = ruleActions.get(rule);
        if (actions == null) {
            return 0;
        }
        while (!actions.isEmpty() && actions.peekFirst() < since) {
            actions.pollFirst();
        }
        return actions.size();
    }

    int attempts(String rule, String fingerprint) {
        return attempts.getOrDefault(rule + '\0' + fingerprint, 0);
    }

    boolean inFlight(String target) {
        return inFlight.contains(target);
    }

    int targetsInFlight() {
        return inFlight.size();
    }

    /** A decision was made for this key, whatever it was: the key never decides again. */
    public void recordDecided(String idempotencyKey) {
        decided.add(idempotencyKey);
    }

    /** An action starts (executed or approved): it counts against every guard, and the target is busy. */
    public void recordStarted(String rule, String target, String fingerprint, long atMillis) {
        ruleLastActed.put(rule, atMillis);
        targetLastActed.put(rule + '\0' + target, atMillis);
        ruleActions.computeIfAbsent(rule, r -> new ArrayDeque<>()).addLast(atMillis);
        attempts.merge(rule + '\0' + fingerprint, 1, Integer::sum);
        inFlight.add(target);
    }

    /** An undo starts on {@code target}: the host is busy, and nothing else is counted. */
    public void recordBusy(String target) {
        inFlight.add(target);
    }

    /**
     * An action of {@code rule} on {@code fingerprint} was VERIFIED as fixed: it gives its attempt back, so
     * {@code max_attempts} counts only the actions that did not help (or are still being judged).
     */
    public void recordFixed(String rule, String fingerprint) {
        attempts.computeIfPresent(rule + '\0' + fingerprint, (key, count) -> count > 1 ? count - 1 : null);
    }

    /** The action on {@code target} ended, whatever its outcome. */
    public void recordFinished(String target) {
        inFlight.remove(target);
    }
}
