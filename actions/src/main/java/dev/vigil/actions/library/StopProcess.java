package dev.vigil.actions.library;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettings;

/**
 * {@code stop-process}: stops a process of the allow-list by pid: SIGTERM, then SIGKILL if it is still running after
 * {@code grace}. Signals go through {@link ProcessHandle}, which checks the process's start time, so a pid reused
 * since the process was looked up is never signalled.
 *
 * @param processes what it may stop
 * @param grace     how long a process has to end after SIGTERM
 */
record StopProcess(AllowedProcesses processes, Duration grace) implements ProcessAction {

    static final Set<String> SETTINGS = Set.of("processes", "grace");
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    public StopProcess {
        Objects.requireNonNull(processes, "processes can't be null");
        Objects.requireNonNull(grace, "grace can't be null");
    }

    static StopProcess from(ActionSettings settings) {
        return new StopProcess(AllowedProcesses.from(settings, "processes"), settings.positiveDuration("grace", Duration.ofSeconds(10)));
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException {
        ProcessHandle process = processes.resolve(Texts.parameter(parameters, "pid"));
        String what = AllowedProcesses.describe(process);
        long started = System.nanoTime();
        if (!process.destroy()) {
            throw new ActionFailedException("cannot send SIGTERM to " + what);
        }
        if (ended(process, grace)) {
            return new ActionOutcome(true, "stopped " + what + " with SIGTERM after " + millisSince(started) + " ms");
        }
        process.destroyForcibly();
        if (ended(process, AFTER_KILL)) {
            return new ActionOutcome(true, what + " did not stop within " + grace.toSeconds() + " s of SIGTERM; killed with SIGKILL");
        }
        throw new ActionFailedException(what + " is still running " + AFTER_KILL.toSeconds() + " s after SIGKILL");
    }

    private static boolean ended(ProcessHandle process, Duration within) throws ActionFailedException {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while waiting for " + AllowedProcesses.describe(process) + " to end");
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
