package dev.vigil.actions.library;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.CgroupMounts;
import dev.vigil.actions.CommandExecutor;
import dev.vigil.actions.CommandResult;
import dev.vigil.actions.CommandSpec;

/**
 * The CPU throttles in force, and how each is made and undone. In order of preference:
 * <ol>
 * <li><b>cgroup v2 {@code cpu.max}</b> of the cgroup the process is in, where the v2 tree has the cpu controller
 * there (current distributions): on a systemd host that cgroup is the process's unit, so the unit as a whole is
 * throttled; the process is not moved, so systemd keeps track of it. Undone by writing back the old value.</li>
 * <li><b>cgroup v1 {@code cpu.cfs_quota_us}</b> of a cgroup made for the process below its own in the v1 cpu
 * hierarchy ({@code vigil-throttle-PID}), which it moves into, threads and all. Undone by moving it back and removing
 * that cgroup.</li>
 * <li><b>renice</b> of every thread of the process (Linux keeps a nice value per thread), when no cgroup can be
 * used. Undone by setting each thread's old value back; threads started since get the old value of the first.</li>
 * </ol>
 * A throttle is undone by {@code restore-cpu}, by its {@code restore_after}, or when the context closes.
 */
final class CpuThrottles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CpuThrottles.class);
    private static final long PERIOD_MICROS = 100_000;
    private static final Path RENICE = Path.of("/usr/bin/renice");

    /** Where a process is in a cgroup hierarchy: {@code controller} in v1, or {@code ""} for the v2 tree. */
    interface CgroupLookup {
        Optional<String> cgroupOf(long pid, String controller);
    }

    /** One throttle in force. */
    private interface Throttle {
        ProcessHandle process();

        /** How, for outcomes: {@code cgroup v1 cpu.cfs_quota_us of /sys/fs/cgroup/cpu/vigil-throttle-42}. */
        String how();

        void restore() throws IOException, ActionFailedException;
    }

    private record CpuMax(ProcessHandle process, Path file, String previous) implements Throttle {
        @Override
        public String how() {
            return "cgroup v2 cpu.max of " + file.getParent();
        }

        @Override
        public void restore() throws IOException {
            write(file, previous);
        }
    }

    private record CfsQuota(ProcessHandle process, Path group, Path home) implements Throttle {
        @Override
        public String how() {
            return "cgroup v1 cpu.cfs_quota_us of " + group;
        }

        @Override
        public void restore() throws IOException {
            if (process.isAlive()) {
                write(home.resolve("cgroup.procs"), Long.toString(process.pid()));
            }
            Files.deleteIfExists(group);
        }
    }

    private final class Renice implements Throttle {
        private final ProcessHandle process;
        private final Map<Long, Integer> before;

        Renice(ProcessHandle process, Map<Long, Integer> before) {
            this.process = process;
            this.before = before;
        }

        @Override
        public ProcessHandle process() {
            return process;
        }

        @Override
        public String how() {
            return "renice of its " + before.size() + " threads";
        }

        @Override
        public void restore() throws IOException, ActionFailedException {
            int first = before.getOrDefault(process.pid(), 0);
            Map<Integer, List<Long>> byNice = new TreeMap<>();
            for (Long thread : threads(process.pid())) {
                byNice.computeIfAbsent(before.getOrDefault(thread, first), nice -> new ArrayList<>()).add(thread);
            }
            for (Map.Entry<Integer, List<Long>> group : byNice.entrySet()) {
                renice(group.getKey(), group.getValue());
            }
        }
    }

    private final CgroupMounts mounts;
    private final CommandExecutor commands;
    private final CgroupLookup lookup;
    private final Map<Long, Throttle> active = new LinkedHashMap<>();
    private ScheduledExecutorService timer;

    CpuThrottles(CgroupMounts mounts, CommandExecutor commands, CgroupLookup lookup) {
        this.mounts = mounts;
        this.commands = commands;
        this.lookup = lookup;
    }

    /** This machine's answer: {@code /proc/PID/cgroup}. */
    static Optional<String> cgroupOf(long pid, String controller) {
        return CgroupMounts.cgroupOf(Long.toString(pid), controller);
    }

    /** Lowers {@code process}'s CPU as {@code how} says; a process throttled already is left as it is. */
    synchronized ActionOutcome throttle(ProcessHandle process, ThrottleCpu how, Clock clock) throws ActionFailedException, IOException {
        String what = AllowedProcesses.describe(process);
        Throttle current = active.get(process.pid());
        if (current != null && current.process().equals(process)) {
            return new ActionOutcome(true, what + " is throttled already, by " + current.how());
        }
        Throttle throttle = apply(process, how);
        active.put(process.pid(), throttle);
        String limit = throttle instanceof Renice ? "nice " + how.nice() : Texts.percent(how.cpuMax()) + " of a CPU";
        String restore = "; undone by restore-cpu";
        if (how.restoreAfter().isPresent()) {
            Duration after = how.restoreAfter().get();
            schedule(throttle, after);
            restore += " or by itself at " + clock.instant().plus(after);
        }
        return new ActionOutcome(true, "lowered " + what + " to " + limit + " with " + throttle.how() + restore);
    }

    /** Undoes the throttle of {@code pid}. */
    synchronized ActionOutcome restore(long pid) throws ActionFailedException, IOException {
        Throttle throttle = active.remove(pid);
        if (throttle == null) {
            throw new ActionFailedException("pid " + pid + " is not throttled by this executor (throttled: " + active.keySet() + ")");
        }
        throttle.restore();
        return new ActionOutcome(true, "restored " + AllowedProcesses.describe(throttle.process()) + ": undid " + throttle.how());
    }

    private Throttle apply(ProcessHandle process, ThrottleCpu how) throws ActionFailedException, IOException {
        long quota = Math.max(1000, Math.round(how.cpuMax() * PERIOD_MICROS));
        if (how.method() != ThrottleCpu.Method.RENICE) {
            Optional<Path> cpuMax = v2CpuMax(process.pid());
            if (cpuMax.isPresent()) {
                String previous = Files.readString(cpuMax.get()).strip();
                write(cpuMax.get(), quota + " " + PERIOD_MICROS);
                return new CpuMax(process, cpuMax.get(), previous);
            }
            Optional<Path> mount = mounts.v1("cpu");
            Optional<String> own = lookup.cgroupOf(process.pid(), "cpu");
            if (mount.isPresent() && own.isPresent() && Files.isWritable(mount.get().resolve("cgroup.procs"))) {
                Path home = CgroupMounts.directory(mount.get(), own.get());
                Path group = Files.createDirectories(home.resolve("vigil-throttle-" + process.pid()));
                write(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
                write(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                write(group.resolve("cgroup.procs"), Long.toString(process.pid()));
                return new CfsQuota(process, group, home);
            }
            if (how.method() == ThrottleCpu.Method.CGROUP) {
                throw new ActionFailedException("no cgroup can throttle " + AllowedProcesses.describe(process)
                        + ": the v2 tree has no cpu controller for it and there is no writable v1 cpu hierarchy");
            }
        }
        Map<Long, Integer> before = new HashMap<>();
        List<Long> threads = threads(process.pid());
        for (Long thread : threads) {
            niceOf(process.pid(), thread).ifPresent(nice -> before.put(thread, nice));
        }
        renice(how.nice(), threads);
        return new Renice(process, before);
    }

    /** The {@code cpu.max} of the v2 cgroup {@code pid} is in, if the cpu controller is on there (never the root). */
    private Optional<Path> v2CpuMax(long pid) {
        Optional<String> path = lookup.cgroupOf(pid, "");
        if (mounts.unified().isEmpty() || path.isEmpty() || path.get().equals("/")) {
            return Optional.empty();
        }
        Path file = CgroupMounts.directory(mounts.unified().get(), path.get()).resolve("cpu.max");
        return Files.isWritable(file) ? Optional.of(file) : Optional.empty();
    }

    private void renice(int nice, List<Long> threads) throws ActionFailedException {
        if (!Files.isExecutable(RENICE)) {
            throw new ActionFailedException("no cgroup can throttle here, and " + RENICE + " is not installed");
        }
        List<String> args = new ArrayList<>(List.of("-n", Integer.toString(nice), "-p"));
        threads.forEach(thread -> args.add(Long.toString(thread)));
        CommandResult result = commands.execute(new CommandSpec("renice", RENICE, args, Duration.ofSeconds(10)), Map.of());
        if (!result.succeeded()) {
            throw new ActionFailedException("renice failed: " + result.detail());
        }
    }

    private static List<Long> threads(long pid) throws ActionFailedException {
        List<Long> threads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> threads.add(Long.parseLong(task.getFileName().toString())));
        } catch (IOException e) {
            throw new ActionFailedException("cannot list the threads of pid " + pid + ": " + e.getMessage());
        }
        return threads;
    }

    /** A thread's nice value: field 19 of its {@code stat}, counted after the command name in parentheses. */
    static Optional<Integer> niceOf(long pid, long thread) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(thread), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Integer.parseInt(fields[19 - 3]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private synchronized void schedule(Throttle throttle, Duration after) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "vigil-cpu-restore");
                thread.setDaemon(true);
                return thread;
            });
        }
        timer.schedule(() -> restoreOnTime(throttle), after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restoreOnTime(Throttle throttle) {
        if (active.get(throttle.process().pid()) != throttle) {
            return; // restored already
        }
        active.remove(throttle.process().pid());
        undo(throttle, "restore_after");
    }

    private static void undo(Throttle throttle, String why) {
        try {
            throttle.restore();
            log.info("Restored {} ({}): undid {}", AllowedProcesses.describe(throttle.process()), why, throttle.how());
        } catch (IOException | ActionFailedException e) {
            log.warn("Cannot restore {} ({}): {}", AllowedProcesses.describe(throttle.process()), why, e.getMessage());
        }
    }

    /** Pids throttled now. */
    synchronized List<Long> throttled() {
        return List.copyOf(active.keySet());
    }

    /** Undoes every throttle still in force. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        active.values().forEach(throttle -> undo(throttle, "the executor stopped"));
        active.clear();
    }

    private static void write(Path file, String value) throws IOException {
        Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    }
}
