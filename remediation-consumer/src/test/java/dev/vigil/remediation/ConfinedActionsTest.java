package dev.vigil.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.avro.AuditOutcome;
import dev.vigil.avro.AuditRecord;
import dev.vigil.remediation.audit.AuditChain;
import dev.vigil.remediation.audit.AuditVerifier;
import dev.vigil.remediation.audit.ChainedAuditSink;
import dev.vigil.remediation.executors.ActionRunner;
import dev.vigil.remediation.executors.ExecutorResources;
import dev.vigil.remediation.executors.ExecutorTypes;
import dev.vigil.remediation.policy.Policy;
import dev.vigil.remediation.policy.PolicyParser;
import dev.vigil.remediation.verification.Verifier;
import dev.vigil.schemas.Topics;
import dev.vigil.schemas.registry.InMemorySchemaRegistryClient;
import dev.vigil.schemas.serde.AvroSerdes;

/**
 * Alerts through the remediator and Vigil's real executors to real processes: a command that tries to go past each
 * of its limits is stopped and the trail says FAILED with the reason; a library action's outcome is audited too.
 */
class ConfinedActionsTest {

    private static final byte[] KEY = "audit-key-audit-key-audit-key-0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final List<AuditRecord> trail = new ArrayList<>();

    private Path script(String name, String interpreter, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!" + interpreter + "\n" + body + "\n");
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    /** Runs an alert per rule of {@code policyYaml} ({@code metric} = the rule's name) through Vigil's executors. */
    private void alertEachRule(String policyYaml) {
        Policy policy = PolicyParser.parse(policyYaml);
        ExecutorResources resources = new ExecutorResources(Map.of(), new Topics(AvroSerdes.on(new InMemorySchemaRegistryClient())), new byte[0],
                Duration.ofMinutes(1));
        try (ActionRunner runner = ExecutorTypes.STANDARD.start(policy, resources)) {
            Remediator remediator = new Remediator(policy, new GuardState(), new ChainedAuditSink(new AuditChain(KEY, 0, AuditChain.GENESIS),
                    trail::add), runner, "remediation-test", () -> 100, new Verifier(),
                    new dev.vigil.remediation.approvals.ApprovalGate(java.util.Optional::empty, false));
            policy.rules().forEach(rule -> remediator.onAlert(Alerts.opened(rule.name() + "-1", "host-" + rule.name(), rule.name(),
                    Map.of("pid", Long.toString(ProcessHandle.current().pid()))), Instant.now()));
        }
    }

    private AuditRecord outcomeOf(String rule) {
        return trail.stream().filter(r -> r.getRule().equals(rule) && r.getOutcome() != AuditOutcome.EXECUTED).findFirst().orElseThrow();
    }

    @Test
    void shouldAuditACommandStoppedAtEachLimitAsFailedWithTheReason() throws IOException {
        String policy = """
                dry_run: false
                commands:
                  spin:   {executable: %s, limits: {cpu_time: 1s}}
                  hungry: {executable: %s, limits: {memory: 64MiB}}
                  opener: {executable: %s, limits: {open_files: 16}}
                  forker: {executable: %s, limits: {processes: 8}}
                  slow:   {executable: %s, timeout: 1s}
                rules:
                """.formatted(script("spin.sh", "/bin/bash", "while :; do :; done"),
                script("hungry.sh", "/bin/bash", "exec /bin/dd if=/dev/zero of=/dev/null bs=200M count=1"),
                script("opener.sh", "/bin/bash", "for i in $(seq 1 100); do exec {fd}</dev/null || exit 3; done"),
                script("forker.pl", "/usr/bin/perl", "for my $i (1..50) { my $pid = fork(); if (!defined $pid) { print \"fork $i: $!\\n\"; exit 3 } "
                        + "if ($pid == 0) { sleep 60; exit 0 } }"),
                script("slow.sh", "/bin/bash", "sleep 60"));
        for (String name : List.of("spin", "hungry", "opener", "forker", "slow")) {
            policy += "  - name: " + name + "\n    match: {metric: " + name + "}\n    action: {executor: command, name: " + name + "}\n";
        }

        alertEachRule(policy);

        assertThat(trail).extracting(AuditRecord::getOutcome).containsExactly(AuditOutcome.EXECUTED, AuditOutcome.FAILED, AuditOutcome.EXECUTED,
                AuditOutcome.FAILED, AuditOutcome.EXECUTED, AuditOutcome.FAILED, AuditOutcome.EXECUTED, AuditOutcome.FAILED, AuditOutcome.EXECUTED,
                AuditOutcome.FAILED);
        assertThat(outcomeOf("spin").getDetail()).startsWith("exit 152 (SIGXCPU: stopped by the CPU time limit of 1 s)");
        assertThat(outcomeOf("hungry").getDetail()).contains("dd: memory exhausted").endsWith("memory 64MiB, open files 1024, processes 64");
        assertThat(outcomeOf("opener").getDetail()).contains("Too many open files").contains("open files 16");
        assertThat(outcomeOf("forker").getDetail()).contains("fork 8: Resource temporarily unavailable", "the processes limit (8) refused 1 new processes",
                "killed 7 processes it left running");
        assertThat(outcomeOf("slow").getDetail()).startsWith("timed out after PT1S; killed");
        assertThat(new AuditVerifier(KEY).verify(trail, List.of())).isInstanceOf(AuditVerifier.Result.Intact.class);
    }

    @Test
    void shouldAuditWhatALibraryActionDid() throws Exception {
        Process sleeper = new ProcessBuilder("/bin/sleep", "300").start();
        try {
            String policy = """
                    dry_run: false
                    library:
                      stop-sleepers: {kind: stop-process, processes: [/usr/bin/sleep], grace: 5s}
                      stop-java: {kind: stop-process, processes: [sleep]}
                    rules:
                      - name: stop
                        match: {metric: stop}
                        action: {executor: library, name: stop-sleepers, parameters: {pid: "%d"}}
                      - name: stop-self
                        match: {metric: stop-self}
                        action: {executor: library, name: stop-java, parameters: {pid: "{{label.pid}}"}}
                    """.formatted(sleeper.pid());

            alertEachRule(policy);

            assertThat(outcomeOf("stop").getOutcome()).isEqualTo(AuditOutcome.SUCCEEDED);
            assertThat(outcomeOf("stop").getDetail()).startsWith("stopped pid " + sleeper.pid() + " (/usr/bin/sleep) with SIGTERM after ");
            assertThat(sleeper.waitFor()).isEqualTo(128 + 15);
            assertThat(outcomeOf("stop-self").getOutcome()).isEqualTo(AuditOutcome.FAILED);
            assertThat(outcomeOf("stop-self").getDetail()).endsWith("is refused: it is this JVM or one of its parents");
        } finally {
            sleeper.destroyForcibly();
        }
    }
}
