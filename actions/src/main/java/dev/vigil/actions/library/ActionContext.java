package dev.vigil.actions.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.CgroupMounts;
import dev.vigil.actions.CommandExecutor;

/**
 * What running library actions takes, opened once by the executor that runs them and closed when it stops: the
 * command executor (for {@code systemctl} and {@code renice}), and the CPU throttles in force, which closing
 * restores.
 */
public final class ActionContext implements AutoCloseable {

    private final CommandExecutor commands;
    private final CpuThrottles throttles;
    private final Clock clock;

    ActionContext(CommandExecutor commands, CpuThrottles throttles, Clock clock) {
        this.commands = Objects.requireNonNull(commands, "commands can't be null");
        this.throttles = Objects.requireNonNull(throttles, "throttles can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
    }

    /** A context on this machine: its cgroups, its commands confined as it allows. */
    public static ActionContext open() {
        CommandExecutor commands = new CommandExecutor();
        return new ActionContext(commands, new CpuThrottles(CgroupMounts.read(), commands, CpuThrottles::cgroupOf), Clock.systemUTC());
    }

    /** Runs {@code action}; whatever stops it becomes a failed outcome saying why. */
    public ActionOutcome run(LibraryAction action, Map<String, String> parameters) {
        try {
            return action.run(parameters, this);
        } catch (ActionFailedException e) {
            return new ActionOutcome(false, e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            return new ActionOutcome(false, action.kind() + " failed: " + e);
        }
    }

    CommandExecutor commands() {
        return commands;
    }

    CpuThrottles throttles() {
        return throttles;
    }

    Clock clock() {
        return clock;
    }

    /** Restores every CPU throttle still in force: nothing this context did outlives it by surprise. */
    @Override
    public void close() {
        throttles.close();
    }
}
