package dev.vigil.remediation.executors;

import java.util.UUID;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.Policy;

/**
 * {@code host-agent}: sends the action to the target host's collector agent and waits for its result
 * ({@link HostAgentExecutor}). Any action name is accepted here (the default {@link #refusal}): the agent's own
 * allow-list decides what runs.
 */
final class HostAgentExecutorType implements ExecutorType {

    @Override
    public String name() {
        return "host-agent";
    }

    @Override
    public ActionRunner start(Policy policy, ExecutorResources resources) {
        HostAgentExecutor agents = new HostAgentExecutor(resources.kafka(), resources.topics(), resources.hostAgentTimeout());
        return new ActionRunner() {
            @Override
            public ActionOutcome run(ActionRequest request) {
                String commandId = UUID.randomUUID().toString().replace("-", "").substring(0, 24); // one per attempt
                return agents.run(request.target(), request.rule().action().name(), request.parameters(), request.decisionId(), commandId);
            }

            @Override
            public void close() {
                agents.close();
            }
        };
    }
}
