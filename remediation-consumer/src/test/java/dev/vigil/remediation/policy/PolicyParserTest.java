package dev.vigil.remediation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.avro.Alert;
import dev.vigil.avro.AlertKind;
import dev.vigil.avro.AlertScope;
import dev.vigil.avro.Severity;
import dev.vigil.remediation.Alerts;
import dev.vigil.remediation.executors.ActionRunner;
import dev.vigil.remediation.executors.ExecutorResources;
import dev.vigil.remediation.executors.ExecutorType;
import dev.vigil.remediation.executors.ExecutorTypes;

class PolicyParserTest {

    static final String EXAMPLE = """
            dry_run: false
            fleet:
              max_hosts: 5
              max_share: 0.1
            approval_ttl: 15m
            webhooks:
              runbook: {url: "https://automation.example/hooks/vigil", retries: 2}
            commands:
              restart-unit:
                executable: /bin/echo
                args: ["restart", "{{unit}}"]
                timeout: 20s
            rules:
              - name: restart-nginx
                match:
                  metric: "nginx\\\\..*"
                  host_labels: {role: web}
                  severity: warning
                  min_duration: 2m
                  scope: SERIES
                action:
                  executor: command
                  name: restart-unit
                  parameters:
                    unit: "nginx.service"
                    host: "{{host_id}}"
                cooldown: 10m
                target_cooldown: 1h
                rate_limit: 5 per 1h
                max_attempts: 2
              - name: call-runbook
                action:
                  executor: webhook
                  name: runbook
                approval: true
            """;

    @Test
    void shouldReadEveryKeyOfAPolicy() {
        Policy policy = PolicyParser.parse(EXAMPLE);

        assertThat(policy.dryRun()).isFalse();
        assertThat(policy.maxHosts()).isEqualTo(5);
        assertThat(policy.maxFleetShare()).isEqualTo(0.1);
        assertThat(policy.approvalTtl()).isEqualTo(Duration.ofMinutes(15));
        Rule rule = policy.rules().get(0);
        assertThat(rule.name()).isEqualTo("restart-nginx");
        assertThat(rule.line()).isEqualTo(14);
        assertThat(rule.match().metric().orElseThrow().pattern()).isEqualTo("nginx\\..*");
        assertThat(rule.match().hostLabels()).isEqualTo(Map.of("role", "web"));
        assertThat(rule.match().minSeverity()).isEqualTo(Severity.WARNING);
        assertThat(rule.match().scope()).contains(AlertScope.SERIES);
        assertThat(rule.action().id()).isEqualTo("command:restart-unit");
        assertThat(rule.cooldown()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rule.rateLimit()).isEqualTo(5);
        assertThat(rule.rateWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(rule.maxAttempts()).isEqualTo(2);
        assertThat(policy.rules().get(1).requiresApproval()).isTrue();
        assertThat(policy.commands().get("restart-unit").args()).containsExactly("restart", "{{unit}}");
        assertThat(policy.commands().get("restart-unit").timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(rule.match().matches(Alerts.opened("a1", "web-01", "nginx.requests", Map.of()))).isTrue();
        assertThat(rule.match().matches(Alerts.opened("a1", "web-01", "mysql.queries", Map.of()))).isFalse();
    }

    @Test
    void shouldMatchAlertsOfOneKindOnly() {
        Policy policy = PolicyParser.parse(HOOKS + """
                rules:
                  - name: before-the-disk-fills
                    match: {metric: "system\\\\.filesystem\\\\.utilization", kind: predicted}
                    action: {executor: webhook, name: x}
                """);
        Alert anomaly = Alerts.opened("a1", "db-01", "system.filesystem.utilization", Map.of("mountpoint", "/"));
        Alert predicted = Alert.newBuilder(anomaly).setKind(AlertKind.PREDICTED).build();

        AlertMatch match = policy.rules().get(0).match();

        assertThat(match.kind()).contains(AlertKind.PREDICTED);
        assertThat(match.matches(predicted)).isTrue();
        assertThat(match.matches(anomaly)).as("the same series' anomaly alert").isFalse();
        assertThat(AlertMatch.ANY.matches(predicted)).isTrue();
    }

    @Test
    void shouldBeDryRunUnlessThePolicySaysOtherwise() {
        Policy policy = PolicyParser.parse(HOOKS + "rules:\n  - name: r\n    action: {executor: webhook, name: x}\n");

        assertThat(policy.dryRun()).isTrue();
        assertThat(policy.rules().get(0).targetCooldown()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldRefuseABadPolicyNamingTheLineAndTheReason() {
        assertRefused("rules:\n  - name: r\n    action: {executor: shell, name: x}\n", 3,
                "unknown executor 'shell'; known: [command, host-agent, webhook]");
        assertRefused(HOOKS + "rules:\n  - name: r\n    colldown: 5m\n    action: {executor: webhook, name: x}\n", 6, "unknown key 'colldown'");
        assertRefused(HOOKS + "rules:\n  - name: r\n    cooldown: soon\n    action: {executor: webhook, name: x}\n", 6, "expected a duration");
        assertRefused("rules:\n  - name: r\n    match: {metric: \"(\"}\n    action: {executor: webhook, name: x}\n", 3, "not a valid pattern");
        assertRefused("rules:\n  - name: r\n    match: {kind: forecast}\n    action: {executor: webhook, name: x}\n", 3,
                "unknown alertkind 'forecast'; known: [ANOMALY, PREDICTED, HOST_SILENT]");
        assertRefused("rules:\n  - name: r\n    action: {executor: command, name: x, parameters: {p: \"{{hostname}}\"}}\n", 3,
                "unknown alert field {{hostname}}");
        assertRefused(HOOKS + "rules:\n  - name: r\n    action: {executor: webhook, name: x}\n  - name: r\n    action: {executor: webhook, name: y}\n", 7, "exists already");
        assertRefused("rules:\n  - name: r\n", 2, "has no 'action'");
        assertRefused("rules: [\n", 2, "not valid YAML");
        assertRefused("dry_run: maybe\nrules: []\n", 1, "expected true or false");
        assertRefused("rules:\n  - name: r\n    action: {executor: command, name: reboot}\n", 2, "which 'commands' does not allow-list");
        assertRefused("rules:\n  - name: r\n    action: {executor: webhook, name: nope}\n", 2, "which 'webhooks' does not allow-list");
        assertRefused("webhooks:\n  h: {url: \"https://user:secret@automation.example/h\"}\nrules: []\n", 2, "no credentials in it");
        assertRefused("commands:\n  rm:\n    executable: rm\nrules: []\n", 3, "must be an absolute path to an executable file");
        assertRefused("commands:\n  say:\n    executable: /bin/echo\n    args: [\"{{what}}\"]\nrules:\n  - name: r\n"
                + "    action: {executor: command, name: say}\n", 6, "gives no parameter 'what'");
    }

    @Test
    void shouldLeaveTheJudgementOfAnActionToTheExecutorItNames() {
        ExecutorTypes pagerOnly = new ExecutorTypes(List.of(new ExecutorType() {
            @Override
            public String name() {
                return "pager";
            }

            @Override
            public Optional<String> refusal(Rule rule, Policy policy) {
                return rule.action().name().equals("on-call") ? Optional.empty()
                        : Optional.of("rule '" + rule.name() + "' pages '" + rule.action().name() + "'; the pager knows only 'on-call'");
            }

            @Override
            public ActionRunner start(Policy policy, ExecutorResources resources) {
                return request -> new ActionOutcome(true, "paged");
            }
        }));

        Policy policy = PolicyParser.parse("rules:\n  - name: r\n    action: {executor: pager, name: on-call}\n", pagerOnly);

        assertThat(policy.rules().get(0).action().id()).isEqualTo("pager:on-call");
        assertThatThrownBy(() -> PolicyParser.parse("rules:\n  - name: r\n    action: {executor: pager, name: everyone}\n", pagerOnly))
                .isInstanceOf(PolicyException.class).hasMessageContaining("the pager knows only 'on-call'")
                .satisfies(e -> assertThat(((PolicyException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> PolicyParser.parse("rules:\n  - name: r\n    action: {executor: command, name: x}\n", pagerOnly))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown executor 'command'; known: [pager]");
    }

    /** Two allow-listed webhooks, x and y: three lines. */
    private static final String HOOKS = "webhooks:\n  x: {url: \"http://127.0.0.1:1/x\"}\n  y: {url: \"http://127.0.0.1:1/y\"}\n";

    private static void assertRefused(String yaml, int line, String reason) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(reason).satisfies(e -> assertThat(((PolicyException) e).line()).as(yaml).isEqualTo(line));
    }
}
