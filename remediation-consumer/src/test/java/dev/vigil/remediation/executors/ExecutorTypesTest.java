package dev.vigil.remediation.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.remediation.policy.Rule;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;

class ExecutorTypesTest {

    private final List<String> started = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    @Test
    void shouldRegisterVigilsExecutorsByName() {
        assertThat(ExecutorTypes.STANDARD.names()).containsExactly("command", "host-agent", "library", "webhook");
    }

    @Test
    void shouldStartOnlyTheExecutorsTheRulesNameAndHandEachActionToItsOwn() {
        ExecutorTypes executors = new ExecutorTypes(List.of(recording("mail"), recording("pager"), recording("sms")));
        Policy policy = PolicyParser.parse("""
                rules:
                  - name: page
                    action: {executor: pager, name: on-call}
                  - name: mail
                    action: {executor: mail, name: team}
                  - name: page-again
                    action: {executor: pager, name: backup}
                """, executors);

        ActionOutcome outcome;
        try (ActionRunner runner = executors.start(policy, resources())) {
            assertThat(started).containsExactly("pager", "mail");
            outcome = runner.run(new ActionRequest(policy.rules().get(2), "web-01", Map.of(), "key-1", "decision-1"));
        }

        assertThat(outcome.detail()).isEqualTo("pager ran backup on web-01 for decision-1");
        assertThat(closed).containsExactly("pager", "mail");
    }

    @Test
    void shouldStartTheExecutorOfAnUndoThatNoRuleTakesAsItsAction() {
        ExecutorTypes executors = new ExecutorTypes(List.of(recording("pager"), recording("sms"), recording("webhook")));
        Policy policy = PolicyParser.parse("""
                webhooks: {oncall: {url: "http://127.0.0.1:1/page"}}
                rules:
                  - name: page
                    action: {executor: pager, name: on-call}
                    verify_within: 5m
                    undo: {executor: sms, name: stand-down}
                    escalate: oncall
                """, executors);

        ActionOutcome outcome;
        try (ActionRunner runner = executors.start(policy, resources())) {
            assertThat(started).containsExactly("pager", "sms", "webhook");
            Rule undo = policy.rules().get(0).withAction(policy.rules().get(0).verification().orElseThrow().undo().orElseThrow());
            outcome = runner.run(new ActionRequest(undo, "web-01", Map.of(), "key-1", "decision-1"));
        }

        assertThat(outcome.detail()).isEqualTo("sms ran stand-down on web-01 for decision-1");
    }

    @Test
    void shouldRefuseTwoExecutorsOfOneName() {
        assertThatThrownBy(() -> new ExecutorTypes(List.of(recording("pager"), recording("pager"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two executors are named 'pager'");
    }

    private ExecutorType recording(String name) {
        return new ExecutorType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> refusal(Rule rule, Policy policy) {
                return Optional.empty();
            }

            @Override
            public ActionRunner start(Policy policy, ExecutorResources resources) {
                started.add(name);
                return new ActionRunner() {
                    @Override
                    public ActionOutcome run(ActionRequest request) {
                        return new ActionOutcome(true, name + " ran " + request.rule().action().name() + " on " + request.target()
                                + " for " + request.decisionId());
                    }

                    @Override
                    public void close() {
                        closed.add(name);
                    }
                };
            }
        };
    }

    private static ExecutorResources resources() {
        return new ExecutorResources(Map.of(), new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient())), new byte[0],
                Duration.ofMinutes(2));
    }
}
