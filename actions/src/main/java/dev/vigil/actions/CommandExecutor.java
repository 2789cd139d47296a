package dev.vigil.actions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Runs an allow-listed command, never through a shell: the executable is the policy's absolute path, each
 * argument template becomes exactly one argument with the (already validated) parameters filled in, the
 * environment holds only {@code PATH} and {@code LANG}, standard input is empty, the process is killed at
 * its timeout, and its output is captured up to {@value #MAX_OUTPUT} bytes.
 */
public final class CommandExecutor {

    static final int MAX_OUTPUT = 4096;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

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
        Objects.requireNonNull(command, "command can't be null");
        ProcessBuilder builder = new ProcessBuilder(commandLine(command, parameters)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("LANG", "C.UTF-8");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ActionOutcome(false, "could not start " + command.executable() + ": " + e.getMessage());
        }
        OutputCapture output = new OutputCapture(process.getInputStream());
        output.start();
        try {
            boolean finished = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                output.join(1000);
                return new ActionOutcome(false, "timed out after " + command.timeout() + "; killed; output: " + output.text());
            }
            output.join(1000);
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new ActionOutcome(process.exitValue() == 0, "exit " + process.exitValue() + " after " + millis + " ms; output: " + output.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ActionOutcome(false, "interrupted; killed");
        }
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
