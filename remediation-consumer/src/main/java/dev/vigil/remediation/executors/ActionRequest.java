package dev.vigil.remediation.executors;

import java.util.Map;
import java.util.Objects;

import dev.vigil.remediation.policy.Rule;

/**
 * One action to run: the rule whose action it is, on which host, with the parameters resolved from the alert.
 *
 * @param idempotencyKey per (alert, rule): a receiver that sees it twice must act once
 * @param decisionId     the decision this action carries out, as the audit trail names it
 */
public record ActionRequest(Rule rule, String target, Map<String, String> parameters, String idempotencyKey, String decisionId) {

    public ActionRequest {
        Objects.requireNonNull(rule, "rule can't be null");
        Objects.requireNonNull(target, "target can't be null");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey can't be null");
        Objects.requireNonNull(decisionId, "decisionId can't be null");
    }
}
