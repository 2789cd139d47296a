package dev.vigil.remediation.verification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import dev.vigil.avro.Alert;
import dev.vigil.remediation.Alerts;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.remediation.policy.Rule;

/** What the verification tests watch: a policy with a rule of each kind, the time its action succeeded, and its alert. */
final class Watched {

    static final byte[] KEY = "audit-key-audit-key-audit-key-0123456789".getBytes(StandardCharsets.UTF_8);
    /** When the watched action succeeded. */
    static final Instant T = Instant.parse("2026-11-02T12:05:00Z");
    static final Policy POLICY = PolicyParser.parse("""
            dry_run: false
            webhooks: {oncall: {url: "http://127.0.0.1:1/page"}}
            commands:
              restart-unit: {executable: /bin/echo, args: ["restart", "{{unit}}"]}
              start-unit: {executable: /bin/echo, args: ["start", "{{unit}}"]}
            rules:
              - name: restart
                match: {metric: "service\\\\..*"}
                action: {executor: command, name: restart-unit, parameters: {unit: "{{label.unit}}"}}
                verify_within: 10m
                undo: {executor: command, name: start-unit, parameters: {unit: "{{label.unit}}"}}
                escalate: oncall
              - name: throttle
                match: {metric: "process\\\\..*"}
                action: {executor: webhook, name: oncall}
                verify_within: 5m
                verify_metric: process.cpu.utilization
                verify_samples: 3
              - name: unverified
                action: {executor: webhook, name: oncall}
            """);
    /** Fixed when its alert resolves within 10 minutes; else undone (start-unit) and escalated (oncall). */
    static final Rule RESTART = POLICY.rules().get(0);
    /** Fixed when process.cpu.utilization is back inside its band for 3 scores in a row, within 5 minutes. */
    static final Rule THROTTLE = POLICY.rules().get(1);
    static final Alert NGINX = Alerts.opened("web-01/service.errors-1", "web-01", "service.errors", Map.of("unit", "nginx.service"));

    private Watched() {
    }
}
