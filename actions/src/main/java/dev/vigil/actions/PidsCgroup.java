package dev.vigil.actions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes limit of a command, where RLIMIT_NPROC cannot give it: the kernel never applies that limit to root,
 * and for other users it counts all their processes. Each run gets its own cgroup in the v1 {@code pids} hierarchy
 * ({@code vigil-actions/run-ID}) with {@code pids.max}; the command is born in it, so neither it nor anything it
 * forks can escape, and what it leaves behind is killed when it ends.
 *
 * <p>The command is born in the cgroup because the thread that starts it is moved there first: in a v1 hierarchy a
 * single thread can change cgroup, and a new process starts in its parent thread's. After the start every thread of
 * this JVM is moved back (the JDK may have started a reaper thread meanwhile). A v2 tree offers no such move of one
 * thread; there a systemd scope ({@code TasksMax}) gives the limit, and without systemd only RLIMIT_NPROC does.
 */
final class PidsCgroup {

    private static final Logger log = LoggerFactory.getLogger(PidsCgroup.class);

    private final Path mount;
    private final Path parent;

    private PidsCgroup(Path mount, Path parent) {
        this.mount = mount;
        this.parent = parent;
    }

    /** The pids hierarchy of this machine, if there is a v1 one this process may create cgroups in. */
    static Optional<PidsCgroup> detect(CgroupMounts mounts) {
        Optional<Path> pids = mounts.v1("pids");
        Optional<String> own = CgroupMounts.cgroupOf("self", "pids");
        if (pids.isEmpty() || own.isEmpty() || !Files.isRegularFile(Path.of("/proc/thread-self/cgroup"))) {
            return Optional.empty();
        }
        Path parent = CgroupMounts.directory(pids.get(), own.get()).resolve("vigil-actions");
        try {
            Files.createDirectories(parent);
            if (!Files.isWritable(parent.resolve("tasks"))) {
                return Optional.empty();
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        PidsCgroup cgroup = new PidsCgroup(pids.get(), parent);
        cgroup.removeStale();
        return Optional.of(cgroup);
    }

    /** Where the runs' cgroups are made. */
    Path parent() {
        return parent;
    }

    /** A fresh cgroup for one run, allowing {@code max} processes. */
    Run open(int max) throws IOException {
        Path directory = parent.resolve("run-" + UUID.randomUUID().toString().substring(0, 13));
        Files.createDirectory(directory);
        Run run = new Run(directory, max);
        // Room for the starting thread and a JDK reaper thread while the command starts; lowered to max after.
        run.write("pids.max", Integer.toString(max + 2));
        return run;
    }

    /** Cgroups of runs a killed JVM left behind: removed when empty. */
    private void removeStale() {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, "run-*")) {
            for (Path run : runs) {
                if (Files.readString(run.resolve("cgroup.procs")).isBlank()) {
                    Files.deleteIfExists(run);
                }
            }
        } catch (IOException e) {
            log.debug("Cannot tidy {}: {}", parent, e.toString());
        }
    }

    /** One command's cgroup: start the command in it, then count and kill what is left and remove it. */
    final class Run implements AutoCloseable {
        private final Path directory;
        private final int max;

        private Run(Path directory, int max) {
            this.directory = directory;
            this.max = max;
        }

        /** Starts {@code builder}'s command inside this cgroup. */
        Process start(ProcessBuilder builder) throws IOException {
            String thread = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Path home = CgroupMounts.directory(mount, CgroupMounts.cgroupOf("thread-self", "pids")
                    .orElseThrow(() -> new IOException("this thread is in no pids cgroup")));
            write("tasks", thread);
            try {
                return builder.start();
            } finally {
                for (String task : Files.readAllLines(directory.resolve("tasks"))) {
                    if (Files.exists(Path.of("/proc/self/task", task.strip()))) {
                        Files.writeString(home.resolve("tasks"), task.strip());
                    }
                }
                write("pids.max", Integer.toString(max));
            }
        }

        /** How many forks the limit refused ({@code pids.events}). */
        int refusedForks() {
            try {
                for (String line : Files.readAllLines(directory.resolve("pids.events"))) {
                    if (line.startsWith("max ")) {
                        return Integer.parseInt(line.substring(4).strip());
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // an older kernel without pids.events: nothing to say
            }
            return 0;
        }

        /** Kills every process still in the cgroup; returns how many there were. */
        int killAll() {
            List<ProcessHandle> left = new ArrayList<>();
            try {
                for (String pid : Files.readAllLines(directory.resolve("cgroup.procs"))) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(left::add);
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            return left.size();
        }

        /** Kills what the command left running and removes the cgroup. */
        @Override
        public void close() {
            killAll();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                try {
                    Files.delete(directory);
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        log.warn("Cannot remove the cgroup {} of a finished command: {}", directory, e.toString());
                        return;
                    }
                    killAll();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private void write(String file, String value) throws IOException {
            Files.write(directory.resolve(file), value.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
