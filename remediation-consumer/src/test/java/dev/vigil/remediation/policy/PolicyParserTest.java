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
                "unknown executor 'shell'; known: [command, host-agent, library, webhook]");
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

    @Test
    void shouldReadWhatFixedMeansAndWhatFollowsWhenItIsNot() {
        Policy policy = PolicyParser.parse(HOOKS + COMMANDS + """
                rules:
                  - name: restart
                    action: {executor: command, name: restart-unit, parameters: {unit: "{{label.unit}}"}}
                    verify_within: 10m
                    undo: {executor: command, name: start-unit, parameters: {unit: "{{label.unit}}"}}
                    escalate: y
                  - name: clean
                    action: {executor: webhook, name: x}
                    verify_within: 90s
                    verify_metric: system.filesystem.utilization
                    verify_samples: 5
                  - name: plain
                    action: {executor: webhook, name: x}
                """);

        Verification restart = policy.rules().get(0).verification().orElseThrow();
        assertThat(restart.within()).isEqualTo(Duration.ofMinutes(10));
        assertThat(restart.metric()).as("fixed means the alert resolves").isEmpty();
        assertThat(restart.undo().orElseThrow().id()).isEqualTo("command:start-unit");
        assertThat(restart.escalation().orElseThrow().id()).isEqualTo("webhook:y");
        assertThat(policy.rules().get(0).actions()).extracting(ActionSpec::id)
                .containsExactly("command:restart-unit", "command:start-unit", "webhook:y");
        Verification clean = policy.rules().get(1).verification().orElseThrow();
        assertThat(clean.within()).isEqualTo(Duration.ofSeconds(90));
        assertThat(clean.metric()).contains("system.filesystem.utilization");
        assertThat(clean.samples()).isEqualTo(5);
        assertThat(clean.undo()).isEmpty();
        assertThat(policy.rules().get(2).verification()).isEmpty();
    }

    @Test
    void shouldRefuseABadVerificationUndoOrEscalationNamingTheLineAndTheReason() {
        String rule = HOOKS + COMMANDS + "rules:\n  - name: r\n    action: {executor: command, name: restart-unit, parameters: {unit: u}}\n";
        // HOOKS and COMMANDS take 6 lines, the rule 3: its next key is on line 10.
        assertRefused(rule + "    verify_within: 0s\n", 10, "verify_within must be longer than zero");
        assertRefused(rule + "    verify_within: PT-5M\n", 10, "a duration must not be negative");
        assertRefused(rule + "    verify_within: soon\n", 10, "expected a duration");
        assertRefused(rule + "    verify_within: 5m\n    undo: {executor: command, name: reboot}\n", 11,
                "undo: rule 'r' runs command 'reboot', which 'commands' does not allow-list; allowed: [restart-unit, start-unit]");
        assertRefused(rule + "    verify_within: 5m\n    undo: {executor: command, name: start-unit}\n", 11,
                "undo: rule 'r' gives no parameter 'unit', which command 'start-unit' needs");
        assertRefused(rule + "    verify_within: 5m\n    undo: {executor: shell, name: x}\n", 11, "unknown executor 'shell'");
        assertRefused(rule + "    verify_within: 5m\n    escalate: pager\n", 11,
                "escalate: rule 'r' calls webhook 'pager', which 'webhooks' does not allow-list; allowed: [x, y]");
        assertRefused(rule + "    undo: {executor: command, name: start-unit, parameters: {unit: u}}\n", 10,
                "rule 'r' gives 'undo' but no 'verify_within'");
        assertRefused(rule + "    escalate: x\n", 10, "rule 'r' gives 'escalate' but no 'verify_within'");
        assertRefused(rule + "    verify_within: 5m\n    verify_samples: 3\n", 11, "verify_samples counts scores of the verify_metric");
        assertRefused(rule + "    verify_within: 5m\n    verify_metric: \"cpu{core=0}\"\n", 11, "verify_metric must be a metric name");
        assertRefused(rule + "    verify_within: 5m\n    verify_metric: cpu\n    verify_samples: 0\n", 12, "expected a whole number from 1 to 100");
        assertRefused(rule + "    verify_within: 5m\n    undo: {executor: command, name: start-unit, parameters: {unit: \"{{pid}}\"}}\n", 11,
                "unknown alert field {{pid}}");
    }

    /** Two allow-listed commands, restart-unit and start-unit, each taking {{unit}}: three lines. */
    private static final String COMMANDS = "commands:\n"
            + "  restart-unit: {executable: /bin/echo, args: [\"restart\", \"{{unit}}\"]}\n"
            + "  start-unit: {executable: /bin/echo, args: [\"start\", \"{{unit}}\"]}\n";

    void shouldReadTheSilencesAPolicyDeclares() {
        Policy policy = PolicyParser.parse(HOOKS + "rules: []\nsilences:\n"
                + "  - name: db-upgrade\n"
                + "    hosts: [db-01, db-02]\n"
                + "    host_labels: {dc: fra}\n"
                + "    metric: \"disk\\\\..*\"\n"
                + "    starts: 2026-12-01T02:00:00Z\n"
                + "    ends: 2026-12-01T04:00:00Z\n"
                + "    author: alice\n"
                + "    reason: PostgreSQL 17\n"
                + "  - {name: web-freeze, host_labels: {role: web}, ends: 2026-12-24T00:00:00Z, author: bob, reason: freeze}\n");

        assertThat(policy.silences()).hasSize(2);
        PolicySilence upgrade = policy.silences().get(0);
        assertThat(upgrade.hosts()).containsExactly("db-01", "db-02");
        assertThat(upgrade.hostLabels()).isEqualTo(Map.of("dc", "fra"));
        assertThat(upgrade.metric()).hasValue("disk\\..*");
        assertThat(upgrade.line()).isEqualTo(6);
        assertThat(upgrade.silenceId()).matches("policy\\.db-upgrade\\.[0-9a-f]{8}");
        assertThat(policy.silences().get(1).starts()).isEmpty();
        assertThat(policy.silences().get(1).toSilence(java.time.Instant.parse("2026-12-20T00:00:00Z")).getStartsAt())
                .isEqualTo(java.time.Instant.parse("2026-12-20T00:00:00Z"));
    }

    @Test
    void shouldRefuseASilenceWithoutAnEndOrAnAuthorNamingTheLine() {
        String head = HOOKS + "rules: []\nsilences:\n";
        assertRefused(head + "  - name: s\n    hosts: [db-01]\n    author: alice\n    reason: r\n", 6, "silence 's' has no 'ends': a silence must end");
        assertRefused(head + "  - name: s\n    hosts: [db-01]\n    ends: 2026-12-01T04:00:00Z\n    reason: r\n", 6,
                "silence 's' has no 'author': a silence must name who made it");
        assertRefused(head + "  - {name: s, hosts: [db-01], ends: 2026-12-01T04:00:00Z, author: alice}\n", 6, "has no 'reason'");
        assertRefused(head + "  - name: s\n    hosts: [db-01]\n    ends: tomorrow\n    author: alice\n    reason: r\n", 8,
                "expected an instant such as 2026-12-01T02:00:00Z, got 'tomorrow'");
        assertRefused(head + "  - name: s\n    hosts: [db-01]\n    starts: 2026-12-01T04:00:00Z\n    ends: 2026-12-01T02:00:00Z\n"
                + "    author: alice\n    reason: r\n", 9, "silence 's': ends: ends (2026-12-01T02:00:00Z) before it starts");
        assertRefused(head + "  - {name: s, ends: 2026-12-01T04:00:00Z, author: alice, reason: r}\n", 6, "would silence everything");
        assertRefused(head + "  - name: s\n    metric: \"(\"\n    ends: 2026-12-01T04:00:00Z\n    author: alice\n    reason: r\n", 7,
                "silence 's': metric: '(' is not a regular expression");
        assertRefused(head + "  - {name: s, hosts: [a], ends: 2026-12-01T04:00:00Z, author: alice, reason: r}\n"
                + "  - {name: s, hosts: [b], ends: 2026-12-01T04:00:00Z, author: alice, reason: r}\n", 7, "a silence named 's' exists already");
        assertRefused(head + "  - {name: s, hosts: [a], until: 2026-12-01T04:00:00Z, author: alice, reason: r}\n", 6, "unknown key 'until'");
    }

    /** Two allow-listed webhooks, x and y: three lines. */
    private static final String HOOKS = "webhooks:\n  x: {url: \"http://127.0.0.1:1/x\"}\n  y: {url: \"http://127.0.0.1:1/y\"}\n";

    private static void assertRefused(String yaml, int line, String reason) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(reason).satisfies(e -> assertThat(((PolicyException) e).line()).as(yaml).isEqualTo(line));
    }
}
