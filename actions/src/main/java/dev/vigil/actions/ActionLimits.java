package dev.vigil.actions;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import dev.vigil.runtime.config.ConfigType;
import dev.vigil.runtime.config.Durations;

/**
 * What a command may do, on top of its timeout: the resource limits it runs under, the directory it starts in,
 * the user it runs as, and whether it runs in a transient systemd scope. {@link CommandExecutor} applies them
 * with {@code setpriv --no-new-privs} and {@code prlimit}, and a pids cgroup or the scope for processes
 * (docs/remediation.md, "Limits").
 *
 * @param cpuTime          CPU time (RLIMIT_CPU, whole seconds): SIGXCPU when reached, SIGKILL 2 s later
 * @param memory           address space in bytes (RLIMIT_AS); in a scope also {@code MemoryMax}
 * @param openFiles        open file descriptors (RLIMIT_NOFILE)
 * @param processes        processes and threads of the command together (pids cgroup or scope {@code TasksMax};
 *                         RLIMIT_NPROC too, which the kernel applies only to users other than root)
 * @param workingDirectory where the command starts
 * @param user             run as this user (with {@code group}) instead of the caller's
 * @param group            the group to run as, with {@code user}
 * @param systemdScope     run in a transient scope ({@code systemd-run --scope}): needs systemd as the service manager
 * @param cpuQuotaPercent  in a scope, {@code CPUQuota} (100 = one CPU)
 */
public record ActionLimits(Duration cpuTime, long memory, int openFiles, int processes, Path workingDirectory, Optional<String> user,
                           Optional<String> group, boolean systemdScope, OptionalInt cpuQuotaPercent) {

    /** What every command gets unless its settings say otherwise. */
    public static final ActionLimits DEFAULTS = new ActionLimits(Duration.ofSeconds(60), 1L << 30, 1024, 64, Path.of("/"),
            Optional.empty(), Optional.empty(), false, OptionalInt.empty());

    /** The keys {@link #from} reads. */
    public static final Set<String> KEYS = Set.of("cpu_time", "memory", "open_files", "processes", "working_directory", "user", "group",
            "systemd_scope", "cpu_quota");

    public ActionLimits {
        Objects.requireNonNull(cpuTime, "cpuTime can't be null");
        Objects.requireNonNull(workingDirectory, "workingDirectory can't be null");
        Objects.requireNonNull(user, "user can't be null");
        Objects.requireNonNull(group, "group can't be null");
        Objects.requireNonNull(cpuQuotaPercent, "cpuQuotaPercent can't be null");
        if (cpuTime.toSeconds() < 1 || memory < 1 || openFiles < 1 || processes < 1) {
            throw new IllegalArgumentException("every limit must be at least 1 (a second of CPU time)");
        }
        if (user.isPresent() != group.isPresent()) {
            throw new IllegalArgumentException("user and group go together");
        }
        if (cpuQuotaPercent.isPresent() && !systemdScope) {
            throw new IllegalArgumentException("a CPU quota needs a systemd scope");
        }
    }

    /**
     * Reads the limits from settings ({@link #KEYS}), each absent one from {@link #DEFAULTS}. Checks that the working
     * directory exists and that the user and group are known to this machine.
     *
     * @throws ActionSettingException naming the key at fault
     */
    public static ActionLimits from(ActionSettings settings) {
        settings.refuseUnknown(KEYS);
        Duration cpuTime = settings.positiveDuration("cpu_time", DEFAULTS.cpuTime);
        if (cpuTime.toMillis() % 1000 != 0) {
            throw new ActionSettingException("cpu_time", settings.what() + ": 'cpu_time' counts whole seconds, got '" + settings.string("cpu_time") + "'");
        }
        long memory = settings.bytes("memory", DEFAULTS.memory, 16L << 20);
        int openFiles = settings.integer("open_files", DEFAULTS.openFiles, 8, 1 << 20);
        int processes = settings.integer("processes", DEFAULTS.processes, 1, 100_000);
        Path workingDirectory = DEFAULTS.workingDirectory;
        if (settings.has("working_directory")) {
            workingDirectory = Path.of(settings.string("working_directory"));
            if (!workingDirectory.isAbsolute() || !Files.isDirectory(workingDirectory)) {
                throw new ActionSettingException("working_directory", settings.what() + ": 'working_directory' " + workingDirectory
                        + " must be an absolute path to a directory");
            }
        }
        Optional<String> user = settings.optionalString("user");
        Optional<String> group = settings.optionalString("group");
        if (user.isPresent() != group.isPresent()) {
            throw new ActionSettingException(user.isPresent() ? "user" : "group", settings.what() + ": 'user' and 'group' go together: "
                    + "a command that changes only its user keeps the caller's group");
        }
        user.ifPresent(name -> requireKnown(settings, "user", name, false));
        group.ifPresent(name -> requireKnown(settings, "group", name, true));
        boolean scope = settings.bool("systemd_scope", false);
        OptionalInt quota = OptionalInt.empty();
        if (settings.has("cpu_quota")) {
            if (!scope) {
                throw new ActionSettingException("cpu_quota", settings.what() + ": 'cpu_quota' needs 'systemd_scope: true' (it is the scope's CPUQuota)");
            }
            quota = OptionalInt.of((int) Math.round(settings.percent("cpu_quota", 100_000) * 100));
        }
        return new ActionLimits(cpuTime, memory, openFiles, processes, workingDirectory, user, group, scope, quota);
    }

    private static void requireKnown(ActionSettings settings, String key, String name, boolean isGroup) {
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        try {
            if (isGroup) {
                lookup.lookupPrincipalByGroupName(name);
            } else {
                lookup.lookupPrincipalByName(name);
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new ActionSettingException(key, settings.what() + ": '" + key + "' " + name + " is not a " + key + " on this machine");
        }
    }

    /** For outcomes: {@code cpu 60s, memory 1GiB, open files 1024, processes 64}. */
    public String describe() {
        return "cpu " + Durations.format(cpuTime) + ", memory " + ConfigType.BYTES.format().apply(memory) + ", open files " + openFiles
                + ", processes " + processes;
    }
}
