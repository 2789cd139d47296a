package dev.vigil.actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How this machine confines a command to its {@link ActionLimits}, found once by {@link #detect}: util-linux's
 * {@code setpriv --no-new-privs} (and its user switch) and {@code prlimit} as exec wrappers, so the command runs
 * as the same process with nothing in between and no shell; processes counted by a {@link PidsCgroup} where one
 * can be made, or by a transient systemd scope for commands that ask for one, where systemd runs.
 */
public final class Confinement {

    private static final List<Path> BIN = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    private final Optional<Path> setpriv;
    private final Optional<Path> prlimit;
    private final Optional<Path> systemdRun;
    private final Optional<PidsCgroup> pids;

    /**
     * @param setpriv    util-linux {@code setpriv}
     * @param prlimit    util-linux {@code prlimit}
     * @param systemdRun {@code systemd-run}, present only when systemd is the service manager
     * @param pids       the v1 pids hierarchy to count processes in, if this process may use one
     */
    Confinement(Optional<Path> setpriv, Optional<Path> prlimit, Optional<Path> systemdRun, Optional<PidsCgroup> pids) {
        this.setpriv = Objects.requireNonNull(setpriv, "setpriv can't be null");
        this.prlimit = Objects.requireNonNull(prlimit, "prlimit can't be null");
        this.systemdRun = Objects.requireNonNull(systemdRun, "systemdRun can't be null");
        this.pids = Objects.requireNonNull(pids, "pids can't be null");
    }

    /** What this machine offers. */
    public static Confinement detect() {
        Optional<Path> systemdRun = systemdIsServiceManager() ? executable("systemd-run") : Optional.empty();
        return new Confinement(executable("setpriv"), executable("prlimit"), systemdRun, PidsCgroup.detect(CgroupMounts.read()));
    }

    /** Whether systemd is the service manager here, as {@code sd_booted(3)} tells it: {@code /run/systemd/system} exists. */
    public static boolean systemdIsServiceManager() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    private static Optional<Path> executable(String name) {
        return BIN.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** Why a command with {@code limits} cannot run confined here, if it cannot. */
    public Optional<String> refusal(ActionLimits limits) {
        if (setpriv.isEmpty() || prlimit.isEmpty()) {
            return Optional.of("cannot confine commands: util-linux's " + (setpriv.isEmpty() ? "setpriv" : "prlimit") + " is not installed");
        }
        if (limits.systemdScope() && systemdRun.isEmpty()) {
            return Optional.of("systemd_scope: systemd is not the service manager here (/run/systemd/system is absent), so there is no scope");
        }
        return Optional.empty();
    }

    /** Whether the processes limit of {@code limits} is enforced for root too: by the scope or a pids cgroup. */
    public boolean countsProcesses(ActionLimits limits) {
        return limits.systemdScope() || pids.isPresent();
    }

    /** For logs: what confines commands here. */
    public String describe() {
        if (setpriv.isEmpty() || prlimit.isEmpty()) {
            return "nothing: util-linux's setpriv or prlimit is missing, so no command runs";
        }
        return "setpriv --no-new-privs and prlimit (CPU time, memory, open files, processes); processes of root's commands counted by "
                + pids.map(p -> "a pids cgroup under " + p.parent()).orElse("nothing but a systemd scope (RLIMIT_NPROC spares root)")
                + "; systemd scopes " + (systemdRun.isPresent() ? "available" : "unavailable (systemd is not the service manager)");
    }

    /**
     * The command line that runs {@code command} (the executable and its arguments) under {@code limits}: the wrappers
     * exec one another and then the command, each taking its own options only up to {@code --}.
     */
    public List<String> commandLine(List<String> command, ActionLimits limits) {
        List<String> line = new ArrayList<>();
        if (limits.systemdScope()) {
            line.addAll(List.of(systemdRun.orElseThrow().toString(), "--scope", "--quiet", "--collect",
                    "-p", "MemoryMax=" + limits.memory(), "-p", "TasksMax=" + limits.processes()));
            limits.cpuQuotaPercent().ifPresent(quota -> line.addAll(List.of("-p", "CPUQuota=" + quota + "%")));
            line.add("--");
        }
        line.add(setpriv.orElseThrow().toString());
        line.add("--no-new-privs");
        if (limits.user().isPresent()) {
            line.addAll(List.of("--reuid=" + limits.user().get(), "--regid=" + limits.group().orElseThrow(), "--init-groups"));
        }
        line.add("--");
        long cpu = limits.cpuTime().toSeconds();
        // The soft limit sends SIGXCPU, which names the cause; the hard one, 2 s later, kills what ignores it.
        Stream.of(prlimit.orElseThrow().toString(), "--cpu=" + cpu + ":" + (cpu + 2), "--as=" + limits.memory(),
                "--nofile=" + limits.openFiles(), "--nproc=" + limits.processes(), "--").forEach(line::add);
        line.addAll(command);
        return line;
    }

    /** Starts processes for one command and, with a pids cgroup, keeps its count: {@link #start} once, then close. */
    public interface Launch extends AutoCloseable {

        Process start(ProcessBuilder builder) throws IOException;

        /** New processes the limit refused the command. */
        int refusedForks();

        /** Kills every process of the command still running; how many there were (0 when they cannot be told). */
        int killAll();

        @Override
        void close();
    }

    /** A launch for a command with {@code limits}: in a pids cgroup of its own where there is one and no scope counts. */
    public Launch launch(ActionLimits limits) throws IOException {
        if (limits.systemdScope() || pids.isEmpty()) {
            return new Launch() {
                @Override
                public Process start(ProcessBuilder builder) throws IOException {
                    return builder.start();
                }

                @Override
                public int refusedForks() {
                    return 0;
                }

                @Override
                public int killAll() {
                    return 0;
                }

                @Override
                public void close() {
                }
            };
        }
        PidsCgroup.Run run = pids.get().open(limits.processes());
        return new Launch() {
            @Override
            public Process start(ProcessBuilder builder) throws IOException {
                return run.start(builder);
            }

            @Override
            public int refusedForks() {
                return run.refusedForks();
            }

            @Override
            public int killAll() {
                return run.killAll();
            }

            @Override
            public void close() {
                run.close();
            }
        };
    }
}
