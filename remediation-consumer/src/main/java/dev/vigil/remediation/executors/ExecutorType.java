package dev.vigil.remediation.executors;

import java.util.Optional;

import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.Rule;

/**
 * One kind of executor a rule's action may name ({@code action: {executor: NAME, name: ...}}): what it accepts in a
 * policy, and how it runs an action. Adding an executor is one class implementing this and one entry in
 * {@link ExecutorTypes#STANDARD}; the policy parser and the remediation consumer find it there and nowhere else.
 */
public interface ExecutorType {

    /** What rules write as {@code action.executor}. */
    String name();

    /**
     * Why {@code rule}'s action cannot run on this executor under {@code policy} (an action its allow-list does not
     * hold, a parameter its template needs that the rule does not give), or empty if it can. The policy parser
     * refuses a policy with this message, naming the rule's line. By default every action is accepted: for an
     * executor whose far end keeps the allow-list, as a host's agent does.
     */
    default Optional<String> refusal(Rule rule, Policy policy) {
        return Optional.empty();
    }

    /**
     * Opens what running this executor's actions takes (clients, connections). Called once when the consumer
     * starts, and only if a rule of {@code policy} names this executor; the consumer closes the runner when it stops.
     */
    ActionRunner start(Policy policy, ExecutorResources resources);
}
