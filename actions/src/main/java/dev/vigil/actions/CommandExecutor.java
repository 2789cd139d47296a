package dev.vigil.actions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Runs an allow-listed command, never through a shell: the executable is the policy's absolute path, each
 * argument template becomes exactly one argument with the (already validated) parameters filled in, the
 * environment holds only {@code PATH} and {@code LANG}, standard input is empty, the process is killed at
 * its timeout, and its output is captured up to {@value #MAX_OUTPUT} bytes. It runs confined to its
 * {@link ActionLimits} (CPU time, memory, open files, processes, no new privileges, a fixed working directory),
 * as {@link Confinement} does it on this machine; a command that runs into a limit fails, and its outcome says
 * which limit where that can be told.
 */
public final class CommandExecutor {

    static final int MAX_OUTPUT = 4096;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;

    private final Confinement confinement;

    /** Confines commands as this machine allows ({@link Confinement#detect}). */
    public CommandExecutor() {
        this(Confinement.detect());
    }

    public CommandExecutor(Confinement confinement) {
        this.confinement = Objects.requireNonNull(confinement, "confinement can't be null");
    }

    /** How commands are confined here. */
    public Confinement confinement() {
        return confinement;
    }

    /** The argument list the command runs with: the executable, then each template filled in. */
    static List<String> commandLine(CommandSpec command, Map<String, String> parameters) {
        List<String> line = new ArrayList<>();
        line.add(command.executable().toString());
        for (String template : command.args()) {
            Matcher matcher = PLACEHOLDER.matcher(template);
            StringBuilder arg = new StringBuilder();
            while (matcher.find()) {
                String value = parameters.get(matcher.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("command " + command.name() + " needs parameter '" + matcher.group(1) + "'");
                }
                matcher.appendReplacement(arg, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(arg);
            line.add(arg.toString());
        }
        return line;
    }

    /** Runs {@code command} with {@code parameters} and waits for it, at most its timeout. */
    public ActionOutcome run(CommandSpec command, Map<String, String> parameters) {
        return execute(command, parameters).outcome();
    }

    /** Runs {@code command} like {@link #run}, keeping its exit code and output apart for the caller to read. */
    public CommandResult execute(CommandSpec command, Map<String, String> parameters) {
        Objects.requireNonNull(command, "command can't be null");
        ActionLimits limits = command.limits();
        List<String> bare = commandLine(command, parameters);
        Optional<String> refusal = confinement.refusal(limits);
        if (refusal.isPresent()) {
            return failed("not run: " + refusal.get());
        }
        List<String> line = confinement.commandLine(bare, limits);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).directory(limits.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        long started = System.nanoTime();
        try (Confinement.Launch launch = confinement.launch(limits)) {
            Process process;
            try {
                process = launch.start(builder);
            } catch (IOException e) {
                return failed("could not start " + command.executable() + ": " + e.getMessage());
            }
            try {
                return await(process, launch, command, started);
            } catch (InterruptedException e) {
                kill(process, launch);
                Thread.currentThread().interrupt();
                return failed("interrupted; killed");
            }
        } catch (IOException e) {
            return failed("not run: cannot make a cgroup for its processes: " + e.getMessage());
        }
    }

    private static CommandResult await(Process process, Confinement.Launch launch, CommandSpec command, long started) throws InterruptedException {
        ActionLimits limits = command.limits();
        OutputCapture output = new OutputCapture(process.getInputStream());
        output.start();
        if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            kill(process, launch);
            output.join(1000);
            return new CommandResult(OptionalInt.empty(), output.text(), "timed out after " + command.timeout() + "; killed; output: "
                    + output.text() + refused(launch, limits));
        }
        int leftBehind = launch.killAll();
        output.join(1000);
        long millis = (System.nanoTime() - started) / 1_000_000;
        int exit = process.exitValue();
        String detail = "exit " + exit + signal(exit, limits) + " after " + millis + " ms; output: " + output.text() + refused(launch, limits)
                + (leftBehind > 0 ? "; killed " + leftBehind + " processes it left running" : "");
        return new CommandResult(OptionalInt.of(exit), output.text(), exit == 0 ? detail : detail + "; limits: " + limits.describe());
    }

    /** Kills the command and whatever it started; waits a little for it to go, unless this thread is interrupted. */
    private static void kill(Process process, Confinement.Launch launch) {
        // The command first, so that it cannot go on when a child it waits for dies; the children it had then.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        launch.killAll();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CommandResult failed(String detail) {
        return new CommandResult(OptionalInt.empty(), "", detail);
    }

    /** What a death by signal means under {@code limits}; the wrappers exec the command, so its signal is the exit's. */
    private static String signal(int exit, ActionLimits limits) {
        if (exit == 128 + SIGXCPU) {
            return " (SIGXCPU: stopped by the CPU time limit of " + limits.cpuTime().toSeconds() + " s)";
        }
        if (exit == 128 + SIGKILL) {
            return " (SIGKILL: the hard CPU time limit, " + (limits.cpuTime().toSeconds() + 2) + " s, or another killer)";
        }
        return exit > 128 && exit < 128 + 65 ? " (killed by signal " + (exit - 128) + ")" : "";
    }

    private static String refused(Confinement.Launch launch, ActionLimits limits) {
        int refused = launch.refusedForks();
        return refused == 0 ? "" : "; the processes limit (" + limits.processes() + ") refused " + refused + " new processes";
    }

    /** Reads a process's output on its own thread, keeping the first {@value #MAX_OUTPUT} bytes and draining the rest. */
    private static final class OutputCapture extends Thread {
        private final InputStream in;
        private final byte[] kept = new byte[MAX_OUTPUT];
        private int length;
        private long total;

        OutputCapture(InputStream in) {
            super("vigil-command-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    synchronized (this) {
                        int keep = Math.min(read, MAX_OUTPUT - length);
                        System.arraycopy(buffer, 0, kept, length, keep);
                        length += keep;
                        total += read;
                    }
                }
            } catch (IOException e) {
                // the process was killed: what was read is what there is
            }
        }

        synchronized String text() {
            String text = new String(kept, 0, length, StandardCharsets.UTF_8).strip();
            return total > length ? text + " ... (" + (total - length) + " more bytes)" : text;
        }
    }
}
