package dev.vigil.remediation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.vigil.actions.ActionLimits;
import dev.vigil.actions.Confinement;
import dev.vigil.actions.library.ActionLibrary;
import dev.vigil.actions.library.LibraryAction;

/** The policy's {@code library} section, the {@code library} executor and the {@code limits} of commands. */
class ActionPolicyTest {

    static final String POLICY = """
            commands:
              restart-app:
                executable: /bin/echo
                args: ["{{unit}}"]
                limits: {cpu_time: 10s, memory: 256MiB, open_files: 64, processes: 8, working_directory: /tmp, user: nobody, group: nogroup}
            library:
              clean-tmp: {kind: clean-files, directories: [/tmp], older_than: 2d, target_use: 80%}
              stop-runaway: {kind: stop-process, processes: [/usr/bin/stress, java], grace: 5s}
            rules:
              - name: clean
                action: {executor: library, name: clean-tmp, parameters: {directory: "/tmp/{{label.app}}"}}
              - name: stop
                action: {executor: library, name: stop-runaway, parameters: {pid: "{{label.pid}}"}}
              - name: restart
                action: {executor: command, name: restart-app, parameters: {unit: app.service}}
            """;

    @Test
    void shouldReadLibraryActionsAndCommandLimits() {
        Policy policy = PolicyParser.parse(POLICY);

        assertThat(policy.library()).containsOnlyKeys("clean-tmp", "stop-runaway");
        assertThat(policy.library().get("clean-tmp").kind()).isEqualTo("clean-files");
        assertThat(policy.library().get("stop-runaway").parameters()).containsExactly("pid");
        assertThat(policy.rules().get(0).action().id()).isEqualTo("library:clean-tmp");
        ActionLimits limits = policy.commands().get("restart-app").limits();
        assertThat(limits.cpuTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(limits.memory()).isEqualTo(256L << 20);
        assertThat(limits.openFiles()).isEqualTo(64);
        assertThat(limits.processes()).isEqualTo(8);
        assertThat(limits.workingDirectory()).isEqualTo(Path.of("/tmp"));
        assertThat(limits.user()).contains("nobody");
        assertThat(PolicyParser.parse("commands:\n  c: {executable: /bin/echo}\nrules: []\n").commands().get("c").limits())
                .isEqualTo(ActionLimits.DEFAULTS);
    }

    @Test
    void shouldParseTheLibraryExampleInTheDocs() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "remediation.md"));
        int section = doc.indexOf("## The action library");
        int start = doc.indexOf("```yaml\n", section) + 8;
        // The example's log directory need not exist on the machine running the tests.
        String yaml = doc.substring(start, doc.indexOf("```", start)).replace("/var/log/app", "/var/log");

        Policy policy = PolicyParser.parse(yaml);

        assertThat(policy.library()).containsOnlyKeys("restart-web", "clean-tmp", "throttle", "unthrottle", "stop-runaway", "rotate-app");
        assertThat(policy.library().values()).extracting(LibraryAction::kind).containsExactlyInAnyOrderElementsOf(ActionLibrary.kinds());
        assertThat(policy.rules()).extracting(rule -> rule.action().id()).containsExactly("library:clean-tmp", "library:throttle");
    }

    @Test
    void shouldRefuseBadLibraryActionsNamingTheLineAndTheReason() {
        String clean = "library:\n  clean-tmp: {kind: clean-files, directories: [/tmp], older_than: 2d, target_use: 80%}\nrules:\n  - name: r\n";
        assertRefused(clean + "    action: {executor: library, name: clean-tmp, parameters: {directory: /etc}}\n", 4,
                "rule 'r', library action 'clean-tmp' (clean-files): parameter 'directory' is /etc, outside the allow-list [/tmp]");
        assertRefused(clean + "    action: {executor: library, name: clean-tmp, parameters: {directory: \"{{label.dir}}\"}}\n", 4,
                "which does not start inside the allow-list [/tmp]");
        assertRefused(clean + "    action: {executor: library, name: clean-tmp}\n", 4,
                "rule 'r' gives no parameter 'directory', which library action 'clean-tmp' (clean-files) needs");
        assertRefused(clean + "    action: {executor: library, name: wipe}\n", 4,
                "rule 'r' runs library action 'wipe', which 'library' does not allow-list; allowed: [clean-tmp]");
        assertRefused("library:\n  clean-tmp:\n    kind: clean-files\n    directories: [/tmp]\n    older_than: 2d\nrules: []\n", 3,
                "library action 'clean-tmp' (clean-files): 'target_use' is missing");
        assertRefused("library:\n  clean-tmp:\n    kind: clean-files\n    directories: [/tmp]\n    older_than: 2d\n    target_use: 180%\nrules: []\n", 6,
                "'target_use' must be a percentage above 0% and at most 99%");
        assertRefused("library:\n  clean-tmp:\n    kind: clean-files\n    directories: [/tmp, /nonexistent]\n    older_than: 2d\n    target_use: 80%\n"
                + "rules: []\n", 4, "'directories' lists /nonexistent, which is not an absolute path to a directory");
        assertRefused("library:\n  x:\n    directories: [/tmp]\n    kind: format-disk\nrules: []\n", 4,
                "library action 'x' (format-disk): unknown kind 'format-disk'; known: [restart-unit, clean-files, throttle-cpu, restore-cpu, "
                        + "stop-process, rotate-log]");
        assertRefused("library:\n  x: {kind: stop-process, processes: [sshd], grace: 5s, signal: 9}\nrules: []\n", 2,
                "unknown key 'signal' in library action 'x' (stop-process); known: [grace, processes]");
        assertRefused("library:\n  x: {kind: stop-process, processes: [java]}\nrules:\n  - name: r\n"
                + "    action: {executor: library, name: x, parameters: {pid: \"1\"}}\n", 4, "parameter 'pid' must be a process id above 1, got 1");
    }

    @Test
    void shouldRefuseBadLimitsNamingTheLineAndTheReason() {
        String command = "commands:\n  c:\n    executable: /bin/echo\n    limits:\n";
        assertRefused(command + "      memory: lots\nrules: []\n", 5, "the limits of command 'c': 'memory' is not a size");
        assertRefused(command + "      cpu_time: 1500ms\nrules: []\n", 5, "'cpu_time' counts whole seconds");
        assertRefused(command + "      open_files: 0\nrules: []\n", 5, "'open_files' must be a whole number from 8 to 1048576");
        assertRefused(command + "      proceses: 10\nrules: []\n", 5, "unknown key 'proceses' in the limits of command 'c'");
        assertRefused(command + "      user: nobody\nrules: []\n", 5, "'user' and 'group' go together");
        assertRefused(command + "      user: no-such-user-here\n      group: nogroup\nrules: []\n", 5, "'user' no-such-user-here is not a user on this machine");
        assertRefused(command + "      cpu_quota: 50%\nrules: []\n", 5, "'cpu_quota' needs 'systemd_scope: true'");
        assertRefused(command + "      working_directory: relative/dir\nrules: []\n", 5, "must be an absolute path to a directory");
    }

    @Test
    void shouldRefuseASystemdScopeWhereSystemdIsNotTheServiceManager() {
        String yaml = "commands:\n  c:\n    executable: /bin/echo\n    limits: {systemd_scope: true, cpu_quota: 50%}\nrules:\n  - name: r\n"
                + "    action: {executor: command, name: c}\n";
        if (Confinement.systemdIsServiceManager()) {
            assertThat(PolicyParser.parse(yaml).commands().get("c").limits().cpuQuotaPercent()).hasValue(50);
        } else {
            assertRefused(yaml, 6, "rule 'r' runs command 'c' with systemd_scope: true, but systemd is not the service manager here");
        }
    }

    private static void assertRefused(String yaml, int line, String reason) {
        assertThatThrownBy(() -> PolicyParser.parse(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(reason).satisfies(e -> assertThat(((PolicyException) e).line()).as(yaml).isEqualTo(line));
    }
}
