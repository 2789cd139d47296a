package dev.vigil.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server the stack runs as a child process: started with its output in a log file, probed until ready,
 * stopped with SIGTERM and, after a grace period, SIGKILL.
 *
 * <p>Its pid is written next to the log. If a previous run died without stopping its children (a
 * {@code kill -9}, a crashed test JVM), the next start finds that pid, checks that the process is still
 * the one it started (its command line names the same pid file's folder), and stops it before starting
 * anew, so orphans do not pile up or hold ports.
 */
final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final Path pidFile;
    private final String ownershipMarker;
    private Process process;

    /**
     * @param ownershipMarker a string that appears in the command line of this child and no other process,
     *                        used to recognise a stale child of an earlier run
     */
    ChildProcess(String name, List<String> command, Path logFile, Path pidFile, String ownershipMarker) {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.ownershipMarker = ownershipMarker;
    }

    void start() {
        stopStaleChild();
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            log.info("Started {} (pid {}), log {}", name, process.pid(), logFile);
        } catch (IOException e) {
            throw new StackException("Cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Polls {@code ready} until it holds, the process exits, or {@code timeout} passes. */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(name + " exited with code " + process.exitValue() + " while starting. Last lines of "
                        + logFile + ":\n" + tailOfLog(20));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(Duration.ofSeconds(5));
                throw new StackException("Interrupted while waiting for " + name, e);
            }
        }
        stop(Duration.ofSeconds(5));
        throw new StackException(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of " + logFile + ":\n"
                + tailOfLog(20));
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** SIGTERM, then SIGKILL after {@code grace}; descendants too. Safe to call twice. */
    void stop(Duration grace) {
        if (process == null) {
            return;
        }
        terminate(process.toHandle(), grace);
        process = null;
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.warn("Cannot delete {}: {}", pidFile, e.getMessage());
        }
    }

    /** SIGTERM to the child and its descendants, SIGKILL to whatever is left after {@code grace}; waits for all. */
    private void terminate(ProcessHandle handle, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
        tree.add(0, handle);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : tree) {
            if (!awaitExit(process, Math.max(0, deadline - System.nanoTime()))) {
                log.warn("{} process {} did not stop within {} s; killing it", name, process.pid(), grace.toSeconds());
                process.destroyForcibly();
                awaitExit(process, TimeUnit.SECONDS.toNanos(10));
            }
        }
        log.info("Stopped {} (pid {})", name, handle.pid());
    }

    private static boolean awaitExit(ProcessHandle process, long nanos) {
        try {
            process.onExit().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Stops the child an earlier run left behind, if its pid file names a live process that is still ours. */
    void stopStaleChild() {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().commandLine().map(line -> line.contains(ownershipMarker)).orElse(false))
                    .ifPresent(stale -> {
                        log.warn("Stopping {} left running by an earlier run (pid {})", name, pid);
                        terminate(stale, Duration.ofSeconds(10));
                    });
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("Ignoring unreadable pid file {}: {}", pidFile, e.getMessage());
        }
    }

    private String tailOfLog(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
