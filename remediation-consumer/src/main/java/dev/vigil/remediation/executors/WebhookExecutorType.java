package dev.vigil.remediation.executors;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/**
 * {@code webhook}: posts the decision, signed, to a webhook of the policy's {@code webhooks} allow-list
 * ({@link WebhookExecutor}). A rule may name only an allow-listed webhook; without {@code webhook.secret} every
 * post fails, saying so.
 */
final class WebhookExecutorType implements ExecutorType {

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Optional<String> refusal(Rule rule, Policy policy) {
        if (policy.webhooks().containsKey(rule.action().name())) {
            return Optional.empty();
        }
        return Optional.of("rule '" + rule.name() + "' calls webhook '" + rule.action().name()
                + "', which 'webhooks' does not allow-list; allowed: " + new TreeSet<>(policy.webhooks().keySet()));
    }

    @Override
    public ActionRunner start(Policy policy, ExecutorResources resources) {
        if (resources.webhookSecret().length == 0) {
            return request -> new ActionOutcome(false, "no webhook.secret configured");
        }
        WebhookExecutor webhooks = new WebhookExecutor(resources.webhookSecret());
        return request -> webhooks.post(policy.webhooks().get(request.rule().action().name()), request.idempotencyKey(), payload(request));
    }

    /** The decision's fields, as the receiver gets them. */
    private static Map<String, Object> payload(ActionRequest request) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("rule", request.rule().name());
        payload.put("action", request.rule().action().name());
        payload.put("target", request.target());
        payload.put("parameters", request.parameters());
        payload.put("idempotency_key", request.idempotencyKey());
        return payload;
    }
}
