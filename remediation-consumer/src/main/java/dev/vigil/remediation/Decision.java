package dev.vigil.remediation;

import java.util.Map;
import java.util.Objects;

import dev.vigil.remediation.policy.Rule;

/**
 * What policy decided for one alert and one rule: a closed set, so every caller handles every outcome.
 * Every decision is audited, whatever it is.
 */
public sealed interface Decision {

    /** The rule that matched. */
    Rule rule();

    /** Stable per (alert, rule): a replayed alert maps to the same key and never acts twice. */
    String idempotencyKey();

    /** Run the action now. */
    record Execute(Rule rule, String idempotencyKey, String target, Map<String, String> parameters) implements Decision {
        public Execute {
            parameters = Map.copyOf(parameters);
        }
    }

    /** What would have run, had the policy not been in dry-run mode. */
    record DryRun(Rule rule, String idempotencyKey, String target, Map<String, String> parameters) implements Decision {
        public DryRun {
            parameters = Map.copyOf(parameters);
        }
    }

    /** A risky rule: waits for {@code vigil approve} / {@code vigil deny} until {@code expiresAtMillis}. */
    record NeedsApproval(Rule rule, String idempotencyKey, String target, Map<String, String> parameters, long expiresAtMillis)
            implements Decision {
        public NeedsApproval {
            parameters = Map.copyOf(parameters);
        }
    }

    /** A guard stopped it: {@code guard} names which, {@code reason} says why, for the audit trail. */
    record Rejected(Rule rule, String idempotencyKey, String target, String guard, String reason) implements Decision {
        public Rejected {
            Objects.requireNonNull(guard, "guard can't be null");
        }
    }
}
