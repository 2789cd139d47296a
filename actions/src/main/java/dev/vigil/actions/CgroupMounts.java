package dev.vigil.actions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where this machine mounts its cgroups: the v2 tree, if any, and each v1 hierarchy by controller. Machines differ:
 * current distributions mount v2 alone at {@code /sys/fs/cgroup} with its controllers enabled; older ones and many
 * containers mount v1 hierarchies ({@code /sys/fs/cgroup/cpu}, {@code .../pids}) beside a v2 tree without
 * controllers (hybrid). Actions that use cgroups ask here instead of assuming either.
 *
 * @param unified the cgroup v2 mount, if there is one
 * @param v1      each v1 controller ({@code cpu}, {@code pids} ...) and the mount of its hierarchy
 */
public record CgroupMounts(Optional<Path> unified, Map<String, Path> v1) {

    public CgroupMounts {
        v1 = Map.copyOf(v1);
    }

    /** This machine's mounts, from {@code /proc/self/mounts}; none where that cannot be read. */
    public static CgroupMounts read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mounts")));
        } catch (IOException e) {
            return new CgroupMounts(Optional.empty(), Map.of());
        }
    }

    /** The mounts listed in {@code lines}, in the format of {@code /proc/mounts}. */
    public static CgroupMounts parse(List<String> lines) {
        Optional<Path> unified = Optional.empty();
        Map<String, Path> v1 = new TreeMap<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length < 4) {
                continue;
            }
            if (fields[2].equals("cgroup2") && unified.isEmpty()) {
                unified = Optional.of(Path.of(fields[1]));
            } else if (fields[2].equals("cgroup")) {
                for (String option : fields[3].split(",")) {
                    if (!option.equals("rw") && !option.equals("ro") && !option.contains("=") && !option.startsWith("no")
                            && !option.equals("relatime") && !option.equals("noatime")) {
                        v1.putIfAbsent(option, Path.of(fields[1]));
                    }
                }
            }
        }
        return new CgroupMounts(unified, v1);
    }

    /** The mount of the v1 hierarchy that holds {@code controller}. */
    public Optional<Path> v1(String controller) {
        return Optional.ofNullable(v1.get(controller));
    }

    /** The controllers the v2 tree offers at its root ({@code cgroup.controllers}); none without a v2 tree. */
    public List<String> unifiedControllers() {
        if (unified.isEmpty()) {
            return List.of();
        }
        try {
            String text = Files.readString(unified.get().resolve("cgroup.controllers")).strip();
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The cgroup of {@code task} (a process, or {@code thread-self}) in the v1 hierarchy of {@code controller}, or in the
     * v2 tree when {@code controller} is empty: the path inside the hierarchy, such as {@code /} or
     * {@code /system.slice/nginx.service}.
     */
    public static Optional<String> cgroupOf(String task, String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", task, "cgroup"))) {
                String[] fields = line.split(":", 3);
                if (fields.length == 3 && (controller.isEmpty() ? fields[0].equals("0") && fields[1].isEmpty()
                        : Arrays.asList(fields[1].split(",")).contains(controller))) {
                    return Optional.of(fields[2]);
                }
            }
        } catch (IOException e) {
            // the task is gone, or this is no Linux
        }
        return Optional.empty();
    }

    /** {@code path} (as {@link #cgroupOf} gives it) as a directory under {@code mount}. */
    public static Path directory(Path mount, String path) {
        return path.equals("/") ? mount : mount.resolve(path.substring(1));
    }
}
