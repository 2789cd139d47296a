package dev.vigil.remediation.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * One rule of a policy: alerts it matches, the one action it takes, and its guards.
 *
 * @param cooldown         after this rule acted, it does not act again for this long, on any target
 * @param targetCooldown   after this rule acted on a target (host), not again on that target for this long
 * @param rateLimit        at most this many actions of this rule per {@code rateWindow}
 * @param maxAttempts      at most this many actions per alert fingerprint (a series or host that keeps failing)
 * @param requiresApproval risky: every action waits for {@code vigil approve}
 * @param line             where the rule starts in the policy file, for messages
 */
public record Rule(String name, AlertMatch match, ActionSpec action, Duration cooldown, Duration targetCooldown, int rateLimit,
                   Duration rateWindow, int maxAttempts, boolean requiresApproval, int line) {

    public Rule {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(match, "match can't be null");
        Objects.requireNonNull(action, "action can't be null");
        Objects.requireNonNull(cooldown, "cooldown can't be null");
        Objects.requireNonNull(targetCooldown, "targetCooldown can't be null");
        Objects.requireNonNull(rateWindow, "rateWindow can't be null");
    }
}
