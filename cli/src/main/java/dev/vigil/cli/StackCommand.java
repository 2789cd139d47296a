package dev.vigil.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackException;
import dev.vigil.stack.StackHealth;
import dev.vigil.stack.StackOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil stack start|stop|status}: the local stack on its own, without the pipeline. */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Starts, stops and checks the local stack (Kafka, schema registry, ClickHouse).",
        subcommands = {StackCommand.Start.class, StackCommand.Stop.class, StackCommand.Status.class})
final class StackCommand {

    private static final Duration DETACHED_START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the local stack; in the foreground until Ctrl-C, or in the background with --detach.")
    static final class Start implements Callable<Integer> {

        @Mixin
        private WorkDirOption workDir;

        @Option(names = "--detach", description = "Start in the background and return once every part answers.")
        private boolean detach;

        @Option(names = "--any-ports", description = "Use free ports instead of the dev defaults.")
        private boolean anyPorts;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = workDir.get();
            if (detach) {
                return startDetached(out, dir);
            }
            StackOptions options = anyPorts ? StackOptions.anyPorts(dir) : StackOptions.devDefaults(dir);
            return ForegroundStack.run(out, options, stack -> () -> { }, Optional.empty());
        }

        /** Runs this same command, without --detach, as a background JVM and waits for its state file. */
        private int startDetached(PrintWriter out, Path dir) throws InterruptedException, IOException {
            Optional<StackEndpoints.Recorded> running = LocalStack.running(dir);
            if (running.isPresent()) {
                out.println("A local stack is already running in " + dir + " (pid " + running.get().ownerPid() + "):");
                StackSummary.print(out, running.get().endpoints());
                return ExitCodes.OK;
            }
            Files.createDirectories(dir);
            Path log = dir.resolve("stack.out");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "stack", "start", "--work-dir", dir.toString()));
            if (anyPorts) {
                command.add("--any-ports");
            }
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            out.println("Starting the local stack in the background (pid " + child.pid() + "), output in " + log);
            out.flush();
            long deadline = System.nanoTime() + DETACHED_START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                Optional<StackEndpoints.Recorded> recorded = LocalStack.running(dir);
                if (recorded.isPresent() && recorded.get().ownerPid() == child.pid()) {
                    StackSummary.print(out, recorded.get().endpoints());
                    out.println("Stop it with: vigil stack stop" + (dir.equals(WorkDirOption.DEFAULT.toAbsolutePath()) ? "" : " --work-dir " + dir));
                    return ExitCodes.OK;
                }
                if (!child.isAlive()) {
                    throw new StackException("The background stack exited with code " + child.exitValue() + "; see " + log);
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            child.toHandle().destroy();
            throw new StackException("The background stack did not come up within " + DETACHED_START_TIMEOUT.toMinutes()
                    + " min; see " + log);
        }
    }

    /** A command about the stack running in the work folder: says so when there is none. */
    abstract static class OnRunningStack implements Callable<Integer> {

        @Mixin
        private WorkDirOption workDir;

        @Spec
        private CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = workDir.get();
            Optional<StackEndpoints.Recorded> running = LocalStack.running(dir);
            if (running.isEmpty()) {
                out.println("No local stack is running in " + dir);
                return exitCodeWhenNotRunning();
            }
            return call(out, dir, running.get());
        }

        abstract int exitCodeWhenNotRunning();

        abstract int call(PrintWriter out, Path dir, StackEndpoints.Recorded running);
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the local stack running in the work folder.")
    static final class Stop extends OnRunningStack {

        @Override
        int exitCodeWhenNotRunning() {
            return ExitCodes.OK;
        }

        @Override
        int call(PrintWriter out, Path dir, StackEndpoints.Recorded running) {
            long pid = running.ownerPid();
            ProcessHandle owner = ProcessHandle.of(pid).orElseThrow(() -> new StackException("pid " + pid + " vanished"));
            out.println("Stopping the local stack in " + dir + " (pid " + pid + ")...");
            out.flush();
            owner.destroy(); // SIGTERM: the stack's shutdown hook stops every part in order
            try {
                owner.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new StackException("The stack (pid " + pid + ") did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s; it may still be shutting down, see " + dir.resolve("stack.out"));
            }
            out.println("Stopped.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Says whether a local stack runs in the work folder and whether each part answers.",
                "Exit code 0: all up; 1: a part is down; 3: no stack running."})
    static final class Status extends OnRunningStack {

        @Override
        int exitCodeWhenNotRunning() {
            return ExitCodes.NOT_RUNNING;
        }

        @Override
        int call(PrintWriter out, Path dir, StackEndpoints.Recorded running) {
            StackHealth health = StackHealth.check(running.endpoints());
            out.println("Local stack in " + dir + " (pid " + running.ownerPid() + "):");
            StackSummary.print(out, running.endpoints(), health);
            return health.allUp() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
