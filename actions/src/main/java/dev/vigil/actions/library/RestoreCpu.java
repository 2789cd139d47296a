package dev.vigil.actions.library;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import dev.vigil.actions.ActionOutcome;
import dev.vigil.actions.ActionSettings;

/**
 * {@code restore-cpu}: undoes what {@code throttle-cpu} did to a process (the undo of a throttling rule). It touches
 * only processes this executor throttled, so it needs no allow-list of its own.
 */
record RestoreCpu() implements ProcessAction {

    static final Set<String> SETTINGS = Set.of();

    static RestoreCpu from(ActionSettings settings) {
        return new RestoreCpu();
    }

    @Override
    public ActionOutcome run(Map<String, String> parameters, ActionContext context) throws ActionFailedException, IOException {
        String pid = Texts.parameter(parameters, "pid");
        try {
            return context.throttles().restore(Long.parseLong(pid));
        } catch (NumberFormatException e) {
            throw new ActionFailedException("pid '" + pid + "' is not a process id");
        }
    }
}
