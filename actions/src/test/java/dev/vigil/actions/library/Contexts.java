package dev.vigil.actions.library;

import java.time.Clock;
import java.util.Map;

import dev.vigil.actions.ActionSettings;
import dev.vigil.actions.CgroupMounts;
import dev.vigil.actions.CommandExecutor;

/** Library actions as a policy defines them, and contexts to run them in, for the tests. */
final class Contexts {

    private Contexts() {
    }

    /** A context on this machine with {@code clock}. */
    static ActionContext on(Clock clock) {
        CommandExecutor commands = new CommandExecutor();
        return new ActionContext(commands, new CpuThrottles(CgroupMounts.read(), commands, CpuThrottles::cgroupOf), clock);
    }

    static ActionContext onThisMachine() {
        return on(Clock.systemUTC());
    }

    /** An action of {@code kind} with {@code settings} (texts or lists of texts), as the policy would define it. */
    static LibraryAction define(String kind, Map<String, ?> settings) {
        return ActionLibrary.define(kind, new ActionSettings("library action 'test' (" + kind + ")", settings));
    }
}
