package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertEvent;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;

class PolicyEngineTest {

    private static final long MINUTE = 60_000;
    private static final String HOOK = "webhooks: {h: {url: \"http://127.0.0.1:1/h\"}}\n";
    private final GuardState state = new GuardState();

    private PolicyEngine engine(String rule, String global) {
        Policy policy = PolicyParser.parse(global + "commands:\n  restart-unit: {executable: /bin/echo, args: [\"{{unit}}\"]}\n"
                + "rules:\n  - name: restart\n    action: {executor: command, name: restart-unit,"
                + " parameters: {unit: \"{{label.unit}}\"}}\n" + rule);
        return new PolicyEngine(policy, state, () -> 100);
    }

    private static Alert alert(String id, String host) {
        return Alerts.opened(id, host, "service.errors", Map.of("unit", "nginx.service"));
    }

    private static Optional<String> guard(Optional<Decision> decision) {
        return decision.map(d -> d instanceof Decision.Rejected rejected ? rejected.guard() : d.getClass().getSimpleName());
    }

    @Test
    void shouldDryRunByDefaultAndExecuteOnlyWhenThePolicySaysSo() {
        assertThat(engine("", "").decide(alert("a1", "web-01"), 0)).get().isInstanceOf(Decision.DryRun.class);
        Decision decision = engine("", "dry_run: false\n").decide(alert("a2", "web-02"), 0).orElseThrow();
        assertThat(decision).isInstanceOf(Decision.Execute.class);
        assertThat(((Decision.Execute) decision).parameters()).containsEntry("unit", "nginx.service");
        assertThat(decision.idempotencyKey()).isEqualTo("a2/restart");
    }

    @Test
    void shouldNeverActOnASilencedAlertAndSayWhichSilence() {
        PolicyEngine engine = engine("", "dry_run: false\n");
        Alert silenced = Alert.newBuilder(alert("a1", "web-01")).setSilencedBy("s-maintenance").build();

        Decision decision = engine.decide(silenced, 0).orElseThrow();

        assertThat(decision).isInstanceOfSatisfying(Decision.Rejected.class, rejected -> {
            assertThat(rejected.guard()).isEqualTo("silence");
            assertThat(rejected.reason()).isEqualTo("the alert falls under silence s-maintenance");
        });
        assertThat(guard(engine.decide(alert("a2", "web-01"), 0))).as("the host's next alert, not silenced").hasValue("Execute");
    }

    @Test
    void shouldActOnlyOnOpenedAlertsThatARuleMatches() {
        PolicyEngine engine = engine("    match: {metric: \"disk\\\\..*\"}\n", "dry_run: false\n");
        Alert resolved = Alert.newBuilder(Alerts.opened("a1", "web-01", "disk.used", Map.of("unit", "x"))).setEvent(AlertEvent.RESOLVED).build();

        assertThat(engine.decide(resolved, 0)).isEmpty();
        assertThat(engine.decide(alert("a2", "web-01"), 0)).as("service.errors does not match disk.*").isEmpty();
        assertThat(engine.decide(Alerts.opened("a3", "web-01", "disk.used", Map.of("unit", "x")), 0)).isPresent();
    }

    @Test
    void shouldNeverDecideTheSameAlertAndRuleTwice() {
        PolicyEngine engine = engine("", "dry_run: false\n");
        assertThat(guard(engine.decide(alert("a1", "web-01"), 0))).contains("Execute");
        state.recordFinished("web-01");

        assertThat(guard(engine.decide(alert("a1", "web-01"), 20 * MINUTE))).contains("idempotency");
    }

    @Test
    void shouldHoldEachTargetToItsCooldownAndOneActionAtATime() {
        PolicyEngine engine = engine("    target_cooldown: 10m\n", "dry_run: false\n");
        assertThat(guard(engine.decide(alert("a1", "web-01"), 0))).contains("Execute");

        assertThat(guard(engine.decide(alert("a2", "web-02"), MINUTE))).as("another host").contains("Execute");
        state.recordFinished("web-01");
        assertThat(guard(engine.decide(alert("a3", "web-01"), 2 * MINUTE))).contains("target-cooldown");
        assertThat(guard(engine.decide(alert("a4", "web-01"), 11 * MINUTE))).contains("Execute");
        assertThat(guard(engine.decide(alert("a5", "web-02"), 12 * MINUTE))).as("web-02 still busy").contains("one-at-a-time");
    }

    @Test
    void shouldHoldTheRuleToItsCooldownRateLimitAndMaxAttempts() {
        PolicyEngine cooling = engine("    cooldown: 5m\n    target_cooldown: 0s\n", "dry_run: false\n");
        assertThat(guard(cooling.decide(alert("c1", "web-01"), 0))).contains("Execute");
        assertThat(guard(cooling.decide(alert("c2", "web-02"), MINUTE))).contains("cooldown");

        GuardState fresh = new GuardState();
        PolicyEngine limited = new PolicyEngine(PolicyParser.parse("dry_run: false\n" + HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: h}\n"
                + "    target_cooldown: 0s\n    rate_limit: 2 per 1h\n    max_attempts: 5\n"), fresh, () -> 100);
        assertThat(guard(limited.decide(alert("r1", "h1"), 0))).contains("Execute");
        assertThat(guard(limited.decide(alert("r2", "h2"), MINUTE))).contains("Execute");
        assertThat(guard(limited.decide(alert("r3", "h3"), 2 * MINUTE))).contains("rate-limit");
        assertThat(guard(limited.decide(alert("r4", "h4"), 61 * MINUTE))).as("the first action left the window").contains("Execute");

        GuardState attempts = new GuardState();
        PolicyEngine capped = new PolicyEngine(PolicyParser.parse("dry_run: false\n" + HOOK + "rules:\n  - name: r\n    action: {executor: webhook, name: h}\n"
                + "    target_cooldown: 0s\n    max_attempts: 2\n"), attempts, () -> 100);
        for (int i = 0; i < 2; i++) {
            assertThat(guard(capped.decide(alert("m" + i, "h1"), i * MINUTE))).contains("Execute");
            attempts.recordFinished("h1");
        }
        assertThat(guard(capped.decide(alert("m9", "h1"), 9 * MINUTE))).as("the same series, a third time").contains("max-attempts");
    }

    @Test
    void shouldCapHowMuchOfTheFleetIsUnderRemediationAtOnce() {
        PolicyEngine engine = new PolicyEngine(PolicyParser.parse("dry_run: false\nfleet: {max_hosts: 10, max_share: 0.2}\n" + HOOK + "rules:\n"
                + "  - name: r\n    action: {executor: webhook, name: h}\n"), state, () -> 10);
        assertThat(guard(engine.decide(alert("f1", "h1"), 0))).contains("Execute");
        assertThat(guard(engine.decide(alert("f2", "h2"), 0))).contains("Execute");
        assertThat(guard(engine.decide(alert("f3", "h3"), 0))).as("20 % of 10 hosts are busy").contains("fleet-cap");
        state.recordFinished("h1");
        assertThat(guard(engine.decide(alert("f4", "h3"), 0))).contains("Execute");
    }

    @Test
    void shouldAskForApprovalOnRiskyRulesAndRefuseUnsafeParameters() {
        PolicyEngine risky = engine("    approval: true\n", "dry_run: false\napproval_ttl: 20m\n");
        Decision decision = risky.decide(alert("a1", "web-01"), 1000).orElseThrow();
        assertThat(decision).isInstanceOf(Decision.NeedsApproval.class);
        assertThat(((Decision.NeedsApproval) decision).expiresAtMillis()).isEqualTo(1000 + 20 * MINUTE);

        PolicyEngine engine = engine("", "dry_run: false\n");
        Alert hostile = Alerts.opened("a2", "web-02", "service.errors", Map.of("unit", "--help"));
        assertThat(guard(engine.decide(hostile, 0))).contains("unsafe-parameter");
        assertThat(state.inFlight("web-02")).as("nothing started").isFalse();
    }

    @Test
    void shouldRefuseToActWhenTheUndoCouldNotBeFilledInSafely() {
        PolicyEngine engine = new PolicyEngine(PolicyParser.parse("dry_run: false\n" + HOOK + "commands:\n"
                + "  renice: {executable: /bin/echo, args: [\"{{pid}}\"]}\n"
                + "rules:\n  - name: r\n    action: {executor: webhook, name: h}\n    verify_within: 5m\n"
                + "    undo: {executor: command, name: renice, parameters: {pid: \"{{label.pid}}\"}}\n"), state, () -> 100);

        Optional<Decision> decision = engine.decide(Alerts.opened("a1", "web-01", "process.cpu", Map.of("pid", "-1")), 0);

        assertThat(guard(decision)).contains("unsafe-parameter");
        assertThat(((Decision.Rejected) decision.orElseThrow()).reason()).contains("parameter 'pid' ({{label.pid}})");
    }
}
