package dev.vigil.remediation.executors;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.ActionSpec;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/** The executors rules may name, by name: the one place an executor is registered. */
public final class ExecutorTypes {

    /** Every executor Vigil has. */
    public static final ExecutorTypes STANDARD = new ExecutorTypes(List.of(new CommandExecutorType(), new WebhookExecutorType(),
            new HostAgentExecutorType(), new LibraryExecutorType()));

    private final Map<String, ExecutorType> byName = new LinkedHashMap<>();

    public ExecutorTypes(List<ExecutorType> types) {
        for (ExecutorType type : types) {
            if (byName.putIfAbsent(type.name(), type) != null) {
                throw new IllegalArgumentException("two executors are named '" + type.name() + "'");
            }
        }
    }

    /** The executor rules call {@code name}, if there is one. */
    public Optional<ExecutorType> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The names, sorted: what an error message lists as known. */
    public List<String> names() {
        return byName.keySet().stream().sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * Starts the executors {@code policy}'s rules name for their actions, undos and escalations (and only those). The
     * runner hands each action to its rule's executor; closing it closes them all.
     */
    public ActionRunner start(Policy policy, ExecutorResources resources) {
        Map<String, ActionRunner> runners = new LinkedHashMap<>();
        for (Rule rule : policy.rules()) {
            for (ActionSpec action : rule.actions()) {
                String name = action.executor();
                if (!runners.containsKey(name)) {
                    named(name).ifPresent(type -> runners.put(name, type.start(policy, resources)));
                }
            }
        }
        return new ActionRunner() {
            @Override
            public ActionOutcome run(ActionRequest request) {
                ActionRunner runner = runners.get(request.rule().action().executor());
                return runner == null ? new ActionOutcome(false, "no executor " + request.rule().action().executor()) : runner.run(request);
            }

            @Override
            public void close() {
                runners.values().forEach(ActionRunner::close);
            }
        };
    }
}
