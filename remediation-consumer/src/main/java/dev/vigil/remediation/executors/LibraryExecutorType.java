package dev.vigil.remediation.executors;

import java.util.Optional;
import java.util.TreeSet;

import dev.vigil.actions.library.ActionContext;
import dev.vigil.actions.library.LibraryAction;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/**
 * {@code library}: runs an action of Vigil's own library ({@code restart-unit}, {@code clean-files} ...) that the
 * policy's {@code library} section allow-lists with its settings. A rule may name only an allow-listed one, must give
 * every parameter it needs, and its fixed parameters must pass the action's own checks (a directory inside the
 * allow-list ...) when the policy loads.
 */
final class LibraryExecutorType implements ExecutorType {

    @Override
    public String name() {
        return "library";
    }

    @Override
    public Optional<String> refusal(Rule rule, Policy policy) {
        LibraryAction action = policy.library().get(rule.action().name());
        String what = "library action '" + rule.action().name() + "'";
        if (action == null) {
            return Optional.of("rule '" + rule.name() + "' runs " + what + ", which 'library' does not allow-list; allowed: "
                    + new TreeSet<>(policy.library().keySet()));
        }
        for (String parameter : action.parameters()) {
            if (!rule.action().parameters().containsKey(parameter)) {
                return Optional.of("rule '" + rule.name() + "' gives no parameter '" + parameter + "', which " + what + " (" + action.kind() + ") needs");
            }
        }
        return action.refusal(rule.action().parameters()).map(reason -> "rule '" + rule.name() + "', " + what + " (" + action.kind() + "): " + reason);
    }

    @Override
    public ActionRunner start(Policy policy, ExecutorResources resources) {
        ActionContext context = ActionContext.open();
        return new ActionRunner() {
            @Override
            public dev.vigil.actions.ActionOutcome run(ActionRequest request) {
                return context.run(policy.library().get(request.rule().action().name()), request.parameters());
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
