package dev.vigil.actions.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.CgroupMounts;
import dev.vigil.actions.CommandExecutor;

/**
 * throttle-cpu and restore-cpu on real processes. This machine mounts cgroups hybrid: a writable v1 cpu hierarchy and
 * a v2 tree without controllers, so the v1 quota and renice are tested on the kernel itself; the v2 {@code cpu.max}
 * path is tested on a directory laid out as a v2 cgroup tree, since no v2 cpu controller exists here to enforce it.
 */
class ThrottleCpuTest {

    @TempDir
    Path dir;

    private final RunningProcesses processes = new RunningProcesses();

    @AfterEach
    void stop() {
        processes.close();
    }

    private static LibraryAction throttle(String executable, String method, String... more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("processes", List.of(executable), "cpu_max", "20%", "nice", "12",
                "method", method));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return Contexts.define("throttle-cpu", settings);
    }

    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]); // utime + stime, in 1/100 s
        return ticks * 10;
    }

    @Test
    void shouldHoldABusyProcessToItsQuotaWithAV1CgroupAndPutItBackOnRestore() throws Exception {
        Process busy = processes.start("/bin/bash", "-c", "while :; do :; done");
        String home = CgroupMounts.cgroupOf(Long.toString(busy.pid()), "cpu").orElseThrow();
        Path group = CgroupMounts.directory(CgroupMounts.read().v1("cpu").orElseThrow(), home).resolve("vigil-throttle-" + busy.pid());

        ActionOutcome throttled = processes.context().run(throttle("bash", "auto"), Map.of("pid", Long.toString(busy.pid())));

        assertThat(throttled.succeeded()).as(throttled.detail()).isTrue();
        assertThat(throttled.detail()).isEqualTo("lowered pid " + busy.pid() + " (/usr/bin/bash) to 20.0% of a CPU with cgroup v1 "
                + "cpu.cfs_quota_us of " + group + "; undone by restore-cpu");
        assertThat(CgroupMounts.cgroupOf(Long.toString(busy.pid()), "cpu")).contains((home.equals("/") ? "" : home) + "/vigil-throttle-" + busy.pid());
        long before = cpuMillis(busy.pid());
        Thread.sleep(3000);
        long used = cpuMillis(busy.pid()) - before;
        assertThat(used).as("CPU time in 3 s at a 20% quota").isLessThanOrEqualTo(800);
        assertThat(Files.readString(group.resolve("cpu.stat"))).containsPattern("nr_throttled [1-9]");

        ActionOutcome restored = processes.context().run(Contexts.define("restore-cpu", Map.of()), Map.of("pid", Long.toString(busy.pid())));

        assertThat(restored.succeeded()).isTrue();
        assertThat(restored.detail()).isEqualTo("restored pid " + busy.pid() + " (/usr/bin/bash): undid cgroup v1 cpu.cfs_quota_us of " + group);
        assertThat(CgroupMounts.cgroupOf(Long.toString(busy.pid()), "cpu")).contains(home);
        assertThat(group).doesNotExist();
    }

    @Test
    void shouldReniceEveryThreadWithoutACgroupAndSetEachBackOnRestore() throws Exception {
        Path python = Path.of("/usr/bin/python3").toRealPath();
        Process threaded = processes.start(python.toString(), "-c",
                "import threading, time\nfor _ in range(3): threading.Thread(target=time.sleep, args=(120,)).start()\ntime.sleep(120)");
        await(() -> threads(threaded.pid()).size() == 4);

        ActionOutcome throttled = processes.context().run(throttle(python.toString(), "renice"), Map.of("pid", Long.toString(threaded.pid())));

        assertThat(throttled.succeeded()).as(throttled.detail()).isTrue();
        assertThat(throttled.detail()).isEqualTo("lowered pid " + threaded.pid() + " (" + python + ") to nice 12 with renice of its 4 threads; "
                + "undone by restore-cpu");
        assertThat(threads(threaded.pid())).allSatisfy(thread -> assertThat(CpuThrottles.niceOf(threaded.pid(), thread)).contains(12));

        ActionOutcome restored = processes.context().run(Contexts.define("restore-cpu", Map.of()), Map.of("pid", Long.toString(threaded.pid())));

        assertThat(restored.succeeded()).as(restored.detail()).isTrue();
        assertThat(threads(threaded.pid())).allSatisfy(thread -> assertThat(CpuThrottles.niceOf(threaded.pid(), thread)).contains(0));
    }

    @Test
    void shouldWriteCpuMaxOfTheProcesssV2CgroupAndWriteTheOldValueBackAfterRestoreAfter() throws Exception {
        Path unit = Files.createDirectories(dir.resolve("system.slice/app.service"));
        Files.writeString(dir.resolve("cgroup.controllers"), "cpu io memory pids\n");
        Files.writeString(unit.resolve("cpu.max"), "max 100000\n");
        CommandExecutor commands = new CommandExecutor();
        CpuThrottles v2 = new CpuThrottles(new CgroupMounts(Optional.of(dir), Map.of()), commands,
                (pid, controller) -> controller.isEmpty() ? Optional.of("/system.slice/app.service") : Optional.empty());
        Process sleeper = processes.start("/bin/sleep", "120");

        try (ActionContext onV2 = new ActionContext(commands, v2, Clock.systemUTC())) {
            ActionOutcome throttled = onV2.run(throttle("sleep", "auto", "restore_after", "500ms"), Map.of("pid", Long.toString(sleeper.pid())));

            assertThat(throttled.succeeded()).as(throttled.detail()).isTrue();
            assertThat(throttled.detail()).startsWith("lowered pid " + sleeper.pid() + " (/usr/bin/sleep) to 20.0% of a CPU with cgroup v2 cpu.max of "
                    + unit + "; undone by restore-cpu or by itself at ");
            assertThat(Files.readString(unit.resolve("cpu.max"))).isEqualTo("20000 100000");
            await(() -> v2.throttled().isEmpty());
            assertThat(Files.readString(unit.resolve("cpu.max"))).isEqualTo("max 100000");
        }
    }

    @Test
    void shouldRestoreWhatIsStillThrottledWhenTheContextCloses() throws Exception {
        Process sleeper = processes.start("/bin/sleep", "120");
        ActionContext closing = Contexts.onThisMachine();
        closing.run(throttle("sleep", "renice"), Map.of("pid", Long.toString(sleeper.pid())));
        assertThat(CpuThrottles.niceOf(sleeper.pid(), sleeper.pid())).contains(12);

        closing.close();

        assertThat(CpuThrottles.niceOf(sleeper.pid(), sleeper.pid())).contains(0);
    }

    @Test
    void shouldRefuseProcessesTheAllowListLacksAndRestoringWhatItDidNotThrottle() throws Exception {
        Process sleeper = processes.start("/bin/sleep", "120");

        ActionOutcome notListed = processes.context().run(throttle("stress", "auto"), Map.of("pid", Long.toString(sleeper.pid())));
        ActionOutcome init = processes.context().run(throttle("sleep", "auto"), Map.of("pid", "1"));
        ActionOutcome self = processes.context().run(throttle("java", "auto"), Map.of("pid", Long.toString(ProcessHandle.current().pid())));
        ActionOutcome neverThrottled = processes.context().run(Contexts.define("restore-cpu", Map.of()), Map.of("pid", Long.toString(sleeper.pid())));

        assertThat(notListed.detail()).isEqualTo("pid " + sleeper.pid() + " runs /usr/bin/sleep, which 'processes' does not list [stress]");
        assertThat(init.detail()).isEqualTo("pid 1 is refused: never pid 1 or below");
        assertThat(self.detail()).isEqualTo("pid " + ProcessHandle.current().pid() + " is refused: it is this JVM or one of its parents");
        assertThat(neverThrottled.succeeded()).isFalse();
        assertThat(neverThrottled.detail()).startsWith("pid " + sleeper.pid() + " is not throttled by this executor");
        assertThat(CpuThrottles.niceOf(sleeper.pid(), sleeper.pid())).contains(0);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<Long> threads(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(task -> Long.parseLong(task.getFileName().toString())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
