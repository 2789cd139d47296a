package dev.vigil.remediation.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a policy: alerts it matches, the one action it takes, and its guards.
 *
 * @param cooldown         after this rule acted, it does not act again for this long, on any target
 * @param targetCooldown   after this rule acted on a target (host), not again on that target for this long
 * @param rateLimit        at most this many actions of this rule per {@code rateWindow}
 * @param maxAttempts      at most this many actions per alert fingerprint (a series or host that keeps failing); with a
 *                         verification, an action VERIFIED as fixed gives its attempt back: only the others count
 * @param requiresApproval risky: every action waits for {@code vigil approve}
 * @param verification     what "fixed" means, and the undo and escalation when the action did not help; empty: none
 * @param line             where the rule starts in the policy file, for messages
 */
public record Rule(String name, AlertMatch match, ActionSpec action, Duration cooldown, Duration targetCooldown, int rateLimit,
                   Duration rateWindow, int maxAttempts, boolean requiresApproval, Optional<Verification> verification, int line) {

    public Rule {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(match, "match can't be null");
        Objects.requireNonNull(action, "action can't be null");
        Objects.requireNonNull(cooldown, "cooldown can't be null");
        Objects.requireNonNull(targetCooldown, "targetCooldown can't be null");
        Objects.requireNonNull(rateWindow, "rateWindow can't be null");
        Objects.requireNonNull(verification, "verification can't be null");
    }

    /** Every action this rule may run: its action, then its undo and its escalation if it has them. */
    public List<ActionSpec> actions() {
        List<ActionSpec> actions = new ArrayList<>(List.of(action));
        verification.ifPresent(v -> {
            v.undo().ifPresent(actions::add);
            v.escalation().ifPresent(actions::add);
        });
        return actions;
    }

    /**
     * This rule with {@code other} as its action: how its undo and its escalation reach their executors, which know
     * an action only through the rule it belongs to.
     */
    public Rule withAction(ActionSpec other) {
        return new Rule(name, match, other, cooldown, targetCooldown, rateLimit, rateWindow, maxAttempts, requiresApproval, verification,
                line);
    }
}
