package dev.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettings;
import dev.vigil.actions.CommandExecutor;
import dev.vigil.actions.CommandSpec;
import dev.vigil.actions.library.ActionContext;
import dev.vigil.actions.library.ActionLibrary;
import dev.vigil.actions.library.LibraryAction;

/**
 * What remediation actions cost and do on this machine (run as root: it mounts a tmpfs and uses cgroups):
 * <ol>
 * <li>starting a command confined ({@code setpriv}, {@code prlimit}, a pids cgroup) against starting it bare:
 * the median of 101 starts of {@code /bin/true} each;</li>
 * <li>{@code throttle-cpu} at 20 % on a busy loop: its CPU share per second before, during and after, medians of
 * 10 seconds each;</li>
 * <li>{@code clean-files} over 10,000 files of 8 KiB in 100 directories on a 100 MiB tmpfs, down to 40 % used: the
 * median of 5 runs.</li>
 * </ol>
 *
 * <pre>java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.ActionCosts</pre>
 */
public final class ActionCosts {

    private ActionCosts() {
    }

    public static void main(String[] args) throws Exception {
        starts();
        throttle();
        clean();
    }

    private static void starts() throws Exception {
        CommandExecutor executor = new CommandExecutor();
        CommandSpec bin = new CommandSpec("true", Path.of("/bin/true"), List.of(), Duration.ofSeconds(10));
        List<Double> bare = new ArrayList<>();
        List<Double> confined = new ArrayList<>();
        for (int i = 0; i < 111; i++) {
            long started = System.nanoTime();
            Process process = new ProcessBuilder("/bin/true").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor();
            double bareMillis = (System.nanoTime() - started) / 1e6;
            started = System.nanoTime();
            ActionOutcome outcome = executor.run(bin, Map.of());
            double confinedMillis = (System.nanoTime() - started) / 1e6;
            if (!outcome.succeeded()) {
                throw new IllegalStateException(outcome.detail());
            }
            if (i >= 10) { // the first ten warm up
                bare.add(bareMillis);
                confined.add(confinedMillis);
            }
        }
        System.out.printf(Locale.ROOT, "start /bin/true: bare %.1f ms, confined %.1f ms (medians of 101; confined by %s)%n", median(bare),
                median(confined), executor.confinement().describe());
    }

    private static void throttle() throws Exception {
        Process busy = new ProcessBuilder("/bin/bash", "-c", "while :; do :; done").start();
        try (ActionContext context = ActionContext.open()) {
            LibraryAction throttle = ActionLibrary.define("throttle-cpu", new ActionSettings("bench", Map.of("processes", List.of("bash"),
                    "cpu_max", "20%")));
            LibraryAction restore = ActionLibrary.define("restore-cpu", new ActionSettings("bench", Map.of()));
            String pid = Long.toString(busy.pid());
            double before = median(shares(busy.pid(), 10));
            System.out.println(context.run(throttle, Map.of("pid", pid)).detail());
            double during = median(shares(busy.pid(), 10));
            System.out.println(context.run(restore, Map.of("pid", pid)).detail());
            double after = median(shares(busy.pid(), 10));
            System.out.printf(Locale.ROOT, "throttle-cpu 20%%: CPU share of a busy loop before %.2f, throttled %.2f, restored %.2f (medians of 10 s)%n",
                    before, during, after);
        } finally {
            busy.destroyForcibly();
        }
    }

    private static void clean() throws Exception {
        Path mount = Files.createTempDirectory("vigil-action-costs");
        run("mount", "-t", "tmpfs", "-o", "size=100m", "vigil-action-costs", mount.toString());
        try {
            Path root = Files.createDirectories(mount.resolve("cache"));
            List<Double> runs = new ArrayList<>();
            String detail = "";
            for (int run = 0; run < 5; run++) {
                fill(root);
                try (ActionContext context = ActionContext.open()) {
                    LibraryAction clean = ActionLibrary.define("clean-files", new ActionSettings("bench", Map.of("directories",
                            List.of(root.toString()), "older_than", "2d", "target_use", "40%")));
                    long started = System.nanoTime();
                    detail = context.run(clean, Map.of("directory", root.toString())).detail();
                    runs.add((System.nanoTime() - started) / 1e6);
                }
                empty(root);
            }
            System.out.println(detail);
            System.out.printf(Locale.ROOT, "clean-files over 10,000 files in 100 directories: %.0f ms (median of 5)%n", median(runs));
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    /** 100 directories of 100 files of 8 KiB, 3 to 102 days old. */
    private static void fill(Path root) throws IOException {
        byte[] data = new byte[8192];
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d));
            for (int i = 0; i < 100; i++) {
                Path file = Files.write(dir.resolve("f" + i), data);
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(3 + i))));
            }
        }
    }

    private static void empty(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(root)).toList()) {
                Files.delete(path);
            }
        }
    }

    /** CPU time per second of wall time, once a second for {@code seconds}. */
    private static List<Double> shares(long pid, int seconds) throws Exception {
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            long cpu = cpuMillis(pid);
            Thread.sleep(1000);
            shares.add((cpuMillis(pid) - cpu) / 1000.0);
        }
        return shares;
    }

    /** utime + stime of {@code pid}, in milliseconds (the kernel counts hundredths of a second). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) * 10;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (run as root)");
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
