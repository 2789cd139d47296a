package dev.vigil.actions.library;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real processes a test starts for process actions to work on, and the context the actions run in; closing restores
 * what the context still throttles and kills the processes still running.
 */
final class RunningProcesses implements AutoCloseable {

    private final List<Process> started = new ArrayList<>();
    private final ActionContext context = Contexts.onThisMachine();

    ActionContext context() {
        return context;
    }

    /** Starts {@code command} and gives it 300 ms to set itself up (signal handlers, threads). */
    Process start(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        Thread.sleep(300);
        return process;
    }

    @Override
    public void close() {
        context.close();
        started.forEach(Process::destroyForcibly);
    }
}
