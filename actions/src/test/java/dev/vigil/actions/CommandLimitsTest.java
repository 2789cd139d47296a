package dev.vigil.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that try to go past each limit, on this machine's kernel: each is stopped, and its outcome says why.
 * Run as root, so the processes limit is the pids cgroup's (RLIMIT_NPROC spares root); one test runs a command as
 * {@code nobody} without the cgroup to show RLIMIT_NPROC holds for other users.
 */
class CommandLimitsTest {

    @TempDir
    Path dir;

    private final CommandExecutor executor = new CommandExecutor();

    @BeforeEach
    void letOtherUsersRunTheScripts() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path script(String name, String interpreter, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!" + interpreter + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static ActionLimits limits(String cpu, String memory, int openFiles, int processes) {
        return new ActionLimits(Duration.parse(cpu), Long.parseLong(memory), openFiles, processes, Path.of("/"), Optional.empty(),
                Optional.empty(), false, OptionalInt.empty());
    }

    private static ActionLimits asNobody(ActionLimits limits) {
        return new ActionLimits(limits.cpuTime(), limits.memory(), limits.openFiles(), limits.processes(), limits.workingDirectory(),
                Optional.of("nobody"), Optional.of("nogroup"), false, OptionalInt.empty());
    }

    @Test
    void shouldStopACommandThatUsesMoreCpuTimeThanItsLimit() throws IOException {
        Path spin = script("spin.sh", "/bin/bash", "echo spinning; while :; do :; done");
        long started = System.nanoTime();

        ActionOutcome outcome = executor.run(new CommandSpec("spin", spin, List.of(), Duration.ofSeconds(30),
                limits("PT1S", String.valueOf(1L << 30), 1024, 64)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 152 (SIGXCPU: stopped by the CPU time limit of 1 s)").contains("spinning");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped by the limit, long before its 30 s timeout")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldStopACommandThatAsksForMoreMemoryThanItsLimit() throws IOException {
        Path hungry = script("hungry.sh", "/bin/bash", "exec /bin/dd if=/dev/zero of=/dev/null bs=200M count=1");

        ActionOutcome outcome = executor.run(new CommandSpec("hungry", hungry, List.of(), Duration.ofSeconds(30),
                limits("PT10S", String.valueOf(64L << 20), 1024, 64)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 1 ").contains("memory exhausted by input buffer of size 209715200 bytes")
                .endsWith("limits: cpu 10s, memory 64MiB, open files 1024, processes 64");
    }

    @Test
    void shouldStopACommandThatOpensMoreFilesThanItsLimit() throws IOException {
        Path opener = script("opener.sh", "/bin/bash",
                "for i in $(seq 1 100); do exec {fd}</dev/null || { echo \"opened $i files\"; exit 3; }; done; echo 'opened all 100'");

        ActionOutcome outcome = executor.run(new CommandSpec("opener", opener, List.of(), Duration.ofSeconds(30),
                limits("PT10S", String.valueOf(1L << 30), 16, 64)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 3 ").contains("Too many open files").doesNotContain("opened all")
                .endsWith("open files 16, processes 64");
    }

    @Test
    void shouldStopARootCommandThatStartsMoreProcessesThanItsLimitAndKillWhatItLeaves() throws IOException {
        assertThat(executor.confinement().countsProcesses(ActionLimits.DEFAULTS)).as("this machine has a writable v1 pids hierarchy").isTrue();
        Path forker = script("forker.pl", "/usr/bin/perl",
                "for my $i (1..50) { my $pid = fork(); if (!defined $pid) { print \"fork $i failed: $!\\n\"; exit 3 } "
                        + "if ($pid == 0) { sleep 60; exit 0 } }");

        ActionOutcome outcome = executor.run(new CommandSpec("forker", forker, List.of(), Duration.ofSeconds(30),
                limits("PT10S", String.valueOf(1L << 30), 1024, 8)), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 3 ").contains("fork 8 failed: Resource temporarily unavailable",
                "the processes limit (8) refused 1 new processes", "killed 7 processes it left running");
    }

    @Test
    void shouldHoldOtherUsersToTheirProcessesLimitWithoutACgroup() throws IOException {
        CommandExecutor withoutCgroup = new CommandExecutor(new Confinement(Optional.of(Path.of("/usr/bin/setpriv")),
                Optional.of(Path.of("/usr/bin/prlimit")), Optional.empty(), Optional.empty()));
        Path forker = script("forker.pl", "/usr/bin/perl",
                "my @kids; for my $i (1..50) { my $pid = fork(); if (!defined $pid) { print \"fork $i failed: $!\\n\"; kill 'KILL', @kids; exit 3 } "
                        + "if ($pid == 0) { sleep 60; exit 0 } push @kids, $pid }");

        ActionOutcome outcome = withoutCgroup.run(new CommandSpec("forker", forker, List.of(), Duration.ofSeconds(30),
                asNobody(limits("PT10S", String.valueOf(1L << 30), 1024, 8))), Map.of());

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.detail()).startsWith("exit 3 ").containsPattern("fork [1-8] failed: Resource temporarily unavailable");
    }

    @Test
    void shouldRunWithNoNewPrivilegesInItsWorkingDirectoryAsItsUser() throws IOException {
        Path probe = script("probe.sh", "/bin/bash", "grep NoNewPrivs /proc/self/status; echo \"in $(pwd) as $(id -un):$(id -gn)\"; ulimit -n");
        ActionLimits limits = new ActionLimits(Duration.ofSeconds(10), 1L << 30, 200, 64, dir, Optional.of("nobody"), Optional.of("nogroup"),
                false, OptionalInt.empty());

        ActionOutcome outcome = executor.run(new CommandSpec("probe", probe, List.of(), Duration.ofSeconds(30), limits), Map.of());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.detail()).contains("NoNewPrivs:\t1", "in " + dir + " as nobody:nogroup", "200");
    }

    @Test
    void shouldPutTheCommandBehindItsWrappersWithEachLimit() {
        Confinement confinement = new Confinement(Optional.of(Path.of("/usr/bin/setpriv")), Optional.of(Path.of("/usr/bin/prlimit")),
                Optional.of(Path.of("/usr/bin/systemd-run")), Optional.empty());
        ActionLimits scoped = new ActionLimits(Duration.ofSeconds(30), 256L << 20, 128, 16, Path.of("/"), Optional.of("app"),
                Optional.of("app"), true, OptionalInt.of(50));

        assertThat(confinement.commandLine(List.of("/usr/bin/systemctl", "restart", "-x"), scoped)).containsExactly(
                "/usr/bin/systemd-run", "--scope", "--quiet", "--collect", "-p", "MemoryMax=268435456", "-p", "TasksMax=16", "-p", "CPUQuota=50%", "--",
                "/usr/bin/setpriv", "--no-new-privs", "--reuid=app", "--regid=app", "--init-groups", "--",
                "/usr/bin/prlimit", "--cpu=30:32", "--as=268435456", "--nofile=128", "--nproc=16", "--",
                "/usr/bin/systemctl", "restart", "-x");
        assertThat(confinement.countsProcesses(scoped)).isTrue();
    }

    @Test
    void shouldRefuseToRunWhatItCannotConfine() {
        CommandExecutor noSystemd = new CommandExecutor(new Confinement(Optional.of(Path.of("/usr/bin/setpriv")),
                Optional.of(Path.of("/usr/bin/prlimit")), Optional.empty(), Optional.empty()));
        CommandExecutor noUtilLinux = new CommandExecutor(new Confinement(Optional.empty(), Optional.of(Path.of("/usr/bin/prlimit")),
                Optional.empty(), Optional.empty()));
        ActionLimits scoped = new ActionLimits(Duration.ofSeconds(30), 256L << 20, 128, 16, Path.of("/"), Optional.empty(), Optional.empty(),
                true, OptionalInt.empty());

        ActionOutcome inScope = noSystemd.run(new CommandSpec("echo", Path.of("/bin/echo"), List.of(), Duration.ofSeconds(5), scoped), Map.of());
        ActionOutcome bare = noUtilLinux.run(new CommandSpec("echo", Path.of("/bin/echo"), List.of(), Duration.ofSeconds(5)), Map.of());

        assertThat(inScope.succeeded()).isFalse();
        assertThat(inScope.detail()).isEqualTo("not run: systemd_scope: systemd is not the service manager here (/run/systemd/system is absent), "
                + "so there is no scope");
        assertThat(bare.detail()).isEqualTo("not run: cannot confine commands: util-linux's setpriv is not installed");
    }
}
